import { RunStatus, SENDING_RUN_STATUSES } from '../../common/run-status';
import { PostStatus, UNSENT_POST_STATUSES, sqlList } from '../post-status';
import { PostSource } from './post-types';

export const S = PostStatus;
const LIVE_RUN = sqlList(...SENDING_RUN_STATUSES);
export const STOPPED_RUN = sqlList(RunStatus.Paused, RunStatus.Cancelled);
export const UNSENT = sqlList(...UNSENT_POST_STATUSES);

/**
 * Where a post a worker gives back goes: to the queue, or, if its run was paused or cancelled
 * while the worker held it, to its run's state (a cancelled run's post must not wait for ever).
 * Post and run share these two status names.
 */
export const REQUEUED_STATUS = `COALESCE((SELECT CASE WHEN r.status IN (${STOPPED_RUN}) THEN r.status ELSE '${S.Queued}' END FROM runs r WHERE r.id = posts.run_id), '${S.Queued}')`;
/** A post sendable now: a routine's, or one of a run that is scheduled or running. */
export const LIVE = `(p.run_id IS NULL OR r.status IN (${LIVE_RUN}))`;

export const sourceColumn = (source: PostSource) => ('runId' in source ? 'run_id' : 'routine_id');
export const sourceId = (source: PostSource) => ('runId' in source ? source.runId : source.routineId);

export function affected(result: unknown): number {
  return (result as { affectedRows?: number }).affectedRows ?? 0;
}
