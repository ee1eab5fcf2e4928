/** A post's states. SQL names them through this enum too (see `sqlList`), never by hand. */
export enum PostStatus {
  Scheduled = 'scheduled',
  Queued = 'queued',
  Sending = 'sending',
  Sent = 'sent',
  Failed = 'failed',
  Unconfirmed = 'unconfirmed',
  /** Handed to the group's owner, who sends it by confirming in their WeCom app. */
  AwaitingConfirmation = 'awaiting_confirmation',
  /** Never confirmed before its deadline. */
  Expired = 'expired',
  Paused = 'paused',
  Skipped = 'skipped',
  Cancelled = 'cancelled',
}

export const POST_STATUSES = Object.values(PostStatus);
/** Statuses from which a post will still be sent. */
export const OPEN_POST_STATUSES = [
  PostStatus.Scheduled,
  PostStatus.Queued,
  PostStatus.Sending,
  PostStatus.Paused,
  PostStatus.AwaitingConfirmation,
];
/** Statuses nothing changes again on its own; only these are ever purged (RETENTION_DAYS). */
export const FINISHED_POST_STATUSES = [
  PostStatus.Sent,
  PostStatus.Failed,
  PostStatus.Unconfirmed,
  PostStatus.Expired,
  PostStatus.Skipped,
  PostStatus.Cancelled,
];
/** Not yet in a worker's hands: the content may still change or be pulled. */
export const UNSENT_POST_STATUSES = [PostStatus.Scheduled, PostStatus.Queued, PostStatus.Paused];
/** Will still be sent and may therefore hold up a later post to the same group. */
export const BLOCKING_POST_STATUSES = [PostStatus.Scheduled, PostStatus.Queued, PostStatus.Sending];

/** Status values as an SQL list, for query text that stays the same from call to call. */
export function sqlList(...statuses: string[]): string {
  return statuses.map((s) => `'${s}'`).join(', ');
}

/** The error code of a post cancelled because its group left the run (it goes again if the group comes back). */
export const LEFT_RUN = 'left_run';
