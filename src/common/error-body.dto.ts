export class ErrorDetailDto {
  /** The offending field, e.g. `fields.headlines[0].title` or `body`. */
  field: string;
  message: string;
  /** For template errors: the line in the template. */
  line?: number;
  column?: number;
}

export class ErrorBodyDto {
  /** @example 400 */
  statusCode: number;
  /** @example 'Bad Request' */
  error: string;
  /** @example 'title: must be longer than or equal to 1 characters' */
  message: string;
  details?: ErrorDetailDto[];
}
