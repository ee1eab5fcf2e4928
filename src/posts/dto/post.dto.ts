import { IsIn, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { IsInstant } from '../../common/instant.decorator';
import { PageQuery } from '../../common/page.dto';
import type { HoldCode } from '../../common/hold-codes';
import { STAGES, Stage } from '../../common/stages';
import { POST_STATUSES, PostStatus } from '../post-status';
import { Omittable } from '../../common/omittable.decorator';

export class ListPostsQuery extends PageQuery {
  @Omittable()
  @IsUUID()
  runId?: string;

  @Omittable()
  @IsUUID()
  routineId?: string;

  @Omittable()
  @IsUUID()
  groupId?: string;

  @Omittable()
  @IsIn(POST_STATUSES)
  status?: PostStatus;

  @Omittable()
  @IsIn(STAGES)
  stage?: Stage;

  /** Due at or after (ISO 8601). */
  @Omittable()
  @IsInstant()
  dueFrom?: string;

  /** Due before (ISO 8601). */
  @Omittable()
  @IsInstant()
  dueTo?: string;

  /**
   * Where the previous page ended (its `next`): the page after it, found by position rather than
   * counted from the start, so that deep pages cost what the first does. Not with `page`.
   */
  @Omittable()
  @Matches(/^[A-Za-z0-9_-]{16,200}$/, { message: 'after must be the next value of a previous page' })
  after?: string;

  /** Posts to groups this staff member owns: a WeCom customer group's owner (its address's `sender`). */
  @Omittable()
  @IsString()
  @MaxLength(64)
  @Matches(/^[A-Za-z0-9_.@-]+$/, { message: 'owner must be a WeCom userid (letters, digits, _ . @ -)' })
  owner?: string;
}

/** What one staff member still has to confirm on one channel. */
export class OwnerInboxDto {
  channelId: string;
  /** The owner's userid (a WeCom customer group's `sender`). */
  owner: string;
  /** Posts awaiting their confirmation. */
  posts: number;
  /** Their customer groups those posts go to. */
  groups: number;
  /** When the oldest of them was handed over. */
  oldestAwaitingSince: Date;
}

export class AttemptDto {
  attemptedAt: Date;
  latencyMs: number;
  outcome: string;
  code: string | null;
  error: string | null;
}

export class PostDto {
  id: string;
  /** The run that made the post; null for a routine's. */
  runId: string | null;
  /** The routine whose slot the post fills; null for a run's. */
  routineId: string | null;
  step: number;
  stage: Stage;
  groupId: string;
  channelType: string;
  /** Null for a routine slot that had nothing to send. */
  contentId: string | null;
  /** The revision this post will send, or, once sent, the one it sent. */
  revision: number | null;
  /** Counts toward the promotional cap (trigger_need and close stages, promotional kinds). */
  promotional: boolean;
  dueAt: Date;
  status: PostStatus;
  notBefore: Date | null;
  /** Why the post waits now (null once sent); every deferral is in GET /v1/posts/:id. */
  deferReason: string | null;
  /** The same in a word, for code to compare: the words of `deferReason` may change. */
  holdCode: HoldCode | null;
  attempts: number;
  /** Messages of a split post (texts and pictures) the provider took so far. */
  partsSent: number;
  /** Messages with text it became when sent (a text split in three is three): what the daily and promotional caps count. */
  messages: number;
  sentAt: Date | null;
  externalId: string | null;
  errorCode: string | null;
  error: string | null;
  /** Handed to a WeCom customer group's owner to confirm: since when (null otherwise). */
  awaitingSince: Date | null;
  /** When the owner was reminded to confirm it. */
  remindedAt: Date | null;
}

export class DeferralDto {
  at: Date;
  until: Date;
  /** Null only for deferrals recorded before codes whose words matched none. */
  code: HoldCode | null;
  reason: string;
}

export class PostWithAttemptsDto extends PostDto {
  attemptLog: AttemptDto[];
  /** Each time the post was held back, oldest first. */
  deferrals: DeferralDto[];
}

export class PostPageDto {
  items: PostDto[];
  page: number;
  pageSize: number;
  /**
   * Posts matching the filters, counted at most every 2 s per filter (a list polled hard is not
   * recounted each time); null on a page asked for with `after`, which is not counted.
   */
  total: number | null;
  /** Give it as `after` for the page that follows; null on the last page. */
  next: string | null;
}
