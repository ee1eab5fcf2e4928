export type DomainErrorCode =
  'invalid' | 'not_found' | 'conflict' | 'precondition_failed' | 'unauthorized' | 'forbidden' | 'unprocessable';

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
}

export function describeDetails(details: ErrorDetail[]): string {
  return details
    .map((d) => {
      const where =
        d.line !== undefined ? ` (line ${d.line}${d.column !== undefined ? `, column ${d.column}` : ''})` : '';
      return `${d.field}: ${d.message}${where}`;
    })
    .join('; ');
}
