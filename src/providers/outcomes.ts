/** What one send attempt came to; the worker turns each kind into a queue decision. */
export class Sent {
  readonly kind = 'ok';
  constructor(
    readonly externalId?: string,
    readonly partsSent = 1,
    /** Accepted, but it goes out only when a person confirms it (WeCom customer groups): externalId names the task. */
    readonly awaitingConfirmation = false,
  ) {}
}

/** The provider refused because of its rate limit: wait retryAfterMs; no attempt is spent. */
export class RateLimited {
  readonly kind = 'rate';
  constructor(
    readonly retryAfterMs: number,
    readonly code?: string,
    readonly reason?: string,
    readonly partsSent = 0,
  ) {}
}

/** The request did not reach the provider, or the provider failed (5xx): retry with backoff. */
export class Transient {
  readonly kind = 'transient';
  constructor(
    readonly reason: string,
    readonly code?: string,
    readonly partsSent = 0,
  ) {}
}

/** The provider refused for good (bad key, robot removed, bad request): do not retry. */
/** The code of a message the provider cannot take as it is (too long even split): the message's fault, not the group's. */
export const TOO_LONG = 'too_long';

export class Permanent {
  readonly kind = 'permanent';
  constructor(
    readonly code: string,
    readonly reason: string,
    readonly partsSent = 0,
    /** The address itself is gone (a receiver answering 410 or 404): no later post can reach it either. */
    readonly gone = false,
  ) {}
}

/** The request was sent and no answer came: a retry may post twice. */
export class Ambiguous {
  readonly kind = 'ambiguous';
  constructor(
    readonly reason: string,
    readonly partsSent = 0,
  ) {}
}

/** The chat moved (a Telegram group became a supergroup): update the address and send again. */
export class AddressMoved {
  readonly kind = 'moved';
  constructor(
    readonly address: Record<string, unknown>,
    readonly reason: string,
    readonly partsSent = 0,
  ) {}
}

export type SendResult = Sent | RateLimited | Transient | Permanent | Ambiguous | AddressMoved;
export type Failure = Exclude<SendResult, Sent>;

/** The same failure, noting how many parts of a split message had already gone out. */
export function withPartsSent(failure: Failure, partsSent: number): Failure {
  switch (failure.kind) {
    case 'rate':
      return new RateLimited(failure.retryAfterMs, failure.code, failure.reason, partsSent);
    case 'transient':
      return new Transient(failure.reason, failure.code, partsSent);
    case 'permanent':
      return new Permanent(failure.code, failure.reason, partsSent, failure.gone);
    case 'ambiguous':
      return new Ambiguous(failure.reason, partsSent);
    case 'moved':
      return new AddressMoved(failure.address, failure.reason, partsSent);
  }
}
