import { ValidationError, ValidationPipe } from '@nestjs/common';
import { ClassConstructor, plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { DomainError, ErrorDetail } from './domain-error';

export function flatten(errors: ValidationError[], parent = ''): ErrorDetail[] {
  return errors.flatMap((error) => {
    const field = /^\d+$/.test(error.property)
      ? `${parent}[${error.property}]`
      : parent
        ? `${parent}.${error.property}`
        : error.property;
    const own: ErrorDetail[] = [];
    const messages: string[] = [];
    // A value that is missing fails every check of it: saying it is missing is enough.
    const constraints = error.constraints?.isDefined ? { isDefined: error.constraints.isDefined } : error.constraints;
    for (const [constraint, message] of Object.entries(constraints ?? {})) {
      if (constraint === 'whitelistValidation') messages.push('is not a known field');
      else if (message.startsWith(SUBFIELD)) own.push(...parseSubfields(message, field));
      else messages.push(stripProperty(message, error.property));
    }
    if (messages.length > 0) own.unshift({ field, message: messages.join('; ') });
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

const SUBFIELD = '\u001f';

/**
 * A validator's message that names problems of parts of its value (a map's keys), each reported
 * under its own field such as `vars.city`; '' names the value itself.
 */
export function subfieldMessages(problems: [string, string][]): string {
  return problems.map(([sub, message]) => `${SUBFIELD}${sub}${SUBFIELD}${message}`).join('');
}

function parseSubfields(encoded: string, field: string): ErrorDetail[] {
  const parts = encoded.split(SUBFIELD).slice(1);
  const details: ErrorDetail[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) {
    details.push({ field: parts[i] === '' ? field : `${field}.${parts[i]}`, message: parts[i + 1] });
  }
  return details;
}

function stripProperty(message: string, property: string): string {
  return message.startsWith(`${property} `) ? message.slice(property.length + 1) : message;
}

const VALIDATOR_OPTIONS = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true };

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    ...VALIDATOR_OPTIONS,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) => DomainError.invalid(flatten(errors)),
  });
}

/**
 * Validates one item of a batch as the global pipe validates a body, so that a service can
 * report every bad item at once, each under its own prefix such as `groups[12]`.
 */
export function validateItem<T extends object>(
  type: ClassConstructor<T>,
  plain: unknown,
  prefix: string,
): { value: T; details: ErrorDetail[] } {
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) {
    return { value: plainToInstance(type, {}), details: [{ field: prefix, message: 'must be an object' }] };
  }
  const value = plainToInstance(type, plain);
  return { value, details: flatten(validateSync(value, VALIDATOR_OPTIONS), prefix) };
}
