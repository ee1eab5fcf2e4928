/**
 * A run's states. Here rather than in campaigns/ because posts/ reads them too: a post follows
 * its run when the run is paused or cancelled, and campaigns/ builds on posts/.
 */
export enum RunStatus {
  Scheduled = 'scheduled',
  Running = 'running',
  Paused = 'paused',
  Completed = 'completed',
  Cancelled = 'cancelled',
}

export const RUN_STATUSES = Object.values(RunStatus);
/** Runs that may still send. */
export const LIVE_RUN_STATUSES = [RunStatus.Scheduled, RunStatus.Running, RunStatus.Paused];
/** Runs whose posts workers take. */
export const SENDING_RUN_STATUSES = [RunStatus.Scheduled, RunStatus.Running];
