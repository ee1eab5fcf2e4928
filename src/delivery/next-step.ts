import { SendResult } from '../providers/outcomes';

/** What the worker does with a post after one send attempt. */
export type NextStep =
  | { kind: 'sent'; externalId: string | null }
  /** Handed to a person who sends it by confirming (WeCom customer groups): the task's id. */
  | { kind: 'awaiting'; externalId: string }
  /** The provider's rate limit: wait without spending an attempt. */
  | { kind: 'wait'; until: Date; reason: string }
  /** Send again after BullMQ's backoff. */
  | { kind: 'retry'; code: string; reason: string }
  /** Will not be sent. `final`: no attempt could help (else the attempts ran out). */
  | { kind: 'failed'; code: string; reason: string; final: boolean }
  /** May have arrived: an operator checks the chat rather than risk a second post. */
  | { kind: 'unconfirmed'; code: 'ambiguous'; reason: string };

export interface AttemptContext {
  /** This was the job's last attempt. */
  lastAttempt: boolean;
  /** The provider drops a repeated idempotency key, or the channel accepts a possible double. */
  retrySafe: boolean;
  now: Date;
}

/** The outcome table: each kind of send result, on the last attempt or not, becomes one next step. */
export function nextStep(result: SendResult, { lastAttempt, retrySafe, now }: AttemptContext): NextStep {
  const retryOrFail = (code: string, reason: string): NextStep =>
    lastAttempt ? { kind: 'failed', code, reason, final: false } : { kind: 'retry', code, reason };
  switch (result.kind) {
    case 'ok':
      return result.awaitingConfirmation && result.externalId
        ? { kind: 'awaiting', externalId: result.externalId }
        : { kind: 'sent', externalId: result.externalId ?? null };
    case 'rate':
      return {
        kind: 'wait',
        until: new Date(now.getTime() + result.retryAfterMs),
        reason: `provider rate limit: ${result.reason ?? result.code ?? ''}`,
      };
    case 'permanent':
      return { kind: 'failed', code: result.code, reason: result.reason, final: true };
    case 'moved':
      return retryOrFail('moved', `address moved: ${result.reason}`);
    case 'ambiguous':
      return retrySafe
        ? retryOrFail('ambiguous', result.reason)
        : { kind: 'unconfirmed', code: 'ambiguous', reason: result.reason };
    case 'transient':
      return retryOrFail(result.code ?? 'transient', result.reason);
  }
}
