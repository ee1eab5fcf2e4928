export type DomainErrorCode =
  | 'invalid'
  | 'not_found'
  | 'conflict'
  | 'precondition_failed'
  | 'unauthorized'
  | 'forbidden'
  | 'unprocessable'
  | 'too_many';

export interface ErrorDetail {
  field: string;
  message: string;
  line?: number;
  column?: number;
}

/** Errors thrown by services; the HTTP layer maps the code to a status in one place. */
export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details?: ErrorDetail[],
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static invalid(details: ErrorDetail[], message?: string): DomainError {
    return new DomainError('invalid', message ?? describeDetails(details), details);
  }

  static notFound(what: string, id: string | number): DomainError {
    return new DomainError('not_found', `${what} ${id} not found`);
  }

  static conflict(message: string, details?: ErrorDetail[]): DomainError {
    return new DomainError('conflict', message, details);
  }

  /** A quota is spent: try again after `retryAfterMs`. */
  static tooMany(message: string, retryAfterMs: number): DomainError {
    return Object.assign(new DomainError('too_many', message), { retryAfterMs });
  }

  /** For `too_many`: how long until the request may succeed. */
  readonly retryAfterMs?: number;
}

/** Problems a message names before it says how many more `details` lists. */
const DESCRIBED = 10;
/** A field name from the request is quoted this long at most. */
const FIELD_CHARS = 80;

/**
 * The problems in one line: the first ten, each field name quoted up to 80 characters (a body of
 * a thousand made-up keys gets a short message; `details` still lists every one).
 */
export function describeDetails(details: ErrorDetail[]): string {
  const described = details.slice(0, DESCRIBED).map((d) => {
    const where =
      d.line !== undefined ? ` (line ${d.line}${d.column !== undefined ? `, column ${d.column}` : ''})` : '';
    const field = d.field.length > FIELD_CHARS ? `${d.field.slice(0, FIELD_CHARS)}…` : d.field;
    return `${field}: ${d.message}${where}`;
  });
  const more = details.length - described.length;
  return [...described, ...(more > 0 ? [`and ${more} more (see details)`] : [])].join('; ');
}
