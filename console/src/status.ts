/** One colour per post status, the same on every page. */
export const STATUS_COLOURS: Record<string, string> = {
  planned: '#94a3b8',
  scheduled: '#3b82f6',
  queued: '#3b82f6',
  sending: '#6366f1',
  deferred: '#f59e0b',
  sent: '#16a34a',
  failed: '#dc2626',
  unconfirmed: '#ea580c',
  awaiting_confirmation: '#a855f7',
  expired: '#7f1d1d',
  skipped: '#64748b',
  cancelled: '#475569',
  paused: '#0ea5e9',
};

/** A queued post that was moved shows as deferred: the operator sees that something holds it. */
export function shownStatus(status: string, reason: string | null | undefined): string {
  return (status === 'queued' || status === 'scheduled') && reason ? 'deferred' : status;
}

export const colour = (status: string) => STATUS_COLOURS[status] ?? '#334155';
