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
    const messages = Object.entries(error.constraints ?? {}).map(([constraint, message]) =>
      constraint === 'whitelistValidation' ? 'is not a known field' : stripProperty(message, error.property),
    );
    const own = messages.length > 0 ? [{ field, message: messages.join('; ') }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
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
