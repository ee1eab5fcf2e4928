import { DomainError } from './domain-error';

describe('a 400 that names bad fields', () => {
  it('names the first ten in its message, quotes each field at most 80 characters, and lists them all in details', () => {
    const details = Array.from({ length: 1000 }, (_, i) => ({
      field: i === 0 ? `x${'y'.repeat(500)}` : `made_up_${i}`,
      message: 'is not a known field',
    }));
    const error = DomainError.invalid(details);
    expect(error.message.split('; ')).toHaveLength(11);
    expect(error.message).toMatch(new RegExp(`^x${'y'.repeat(79)}…: is not a known field; made_up_1: is not`));
    expect(error.message).toMatch(/; and 990 more \(see details\)$/);
    expect(error.details).toHaveLength(1000);
  });

  it('says every problem when there are ten or fewer', () => {
    const error = DomainError.invalid([
      { field: 'name', message: 'must not be empty' },
      { field: 'timezone', message: 'must be an IANA time zone', line: 3, column: 7 },
    ]);
    expect(error.message).toBe('name: must not be empty; timezone: must be an IANA time zone (line 3, column 7)');
  });
});
