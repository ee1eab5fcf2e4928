/**
 * One colour per post status, the same on every page; each carries white text at WCAG AA contrast
 * (4.5:1 or more).
 */
export const STATUS_COLOURS: Record<string, string> = {
  planned: '#475569',
  scheduled: '#1d4ed8',
  queued: '#1d4ed8',
  sending: '#4338ca',
  deferred: '#b45309',
  sent: '#15803d',
  failed: '#b91c1c',
  unconfirmed: '#c2410c',
  awaiting_confirmation: '#7e22ce',
  expired: '#7f1d1d',
  skipped: '#57534e',
  cancelled: '#334155',
  paused: '#0369a1',
};

/** Posts that may still go: what cancelling a run stops. */
export const OPEN_STATUSES = ['planned', 'scheduled', 'queued', 'paused', 'awaiting_confirmation'];

/** Not gone yet, not failed: drawn pale in a progress bar, so 0 of 12 sent looks empty. */
export const pending = (status: string) => ['planned', 'scheduled', 'queued', 'paused'].includes(status);

/** A queued post that was moved shows as deferred: the operator sees that something holds it. */
export function shownStatus(status: string, reason: string | null | undefined): string {
  return (status === 'queued' || status === 'scheduled') && reason ? 'deferred' : status;
}

export const colour = (status: string) => STATUS_COLOURS[status] ?? '#334155';
