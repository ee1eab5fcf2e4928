/** At most the last four characters of a secret; a URL keeps its origin so a person can tell which it is. */
export function maskSecret(value: string): string {
  const tail = value.length > 12 ? value.slice(-4) : '';
  if (/^https?:\/\//i.test(value)) {
    try {
      return `${new URL(value).origin}/…${tail}`;
    } catch {
      return `…${tail}`;
    }
  }
  return `…${tail}`;
}

export function maskFields(values: Record<string, string>, secretFields: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).map(([key, value]) => [
      key,
      secretFields.includes(key) && value ? maskSecret(String(value)) : value,
    ]),
  );
}
