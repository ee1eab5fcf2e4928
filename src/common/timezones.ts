import { IANAZone } from 'luxon';

const known = new Map<string, boolean>();

/** Whether a name is an IANA time zone. Luxon builds an Intl formatter per check, so answers are kept. */
export function isValidTimezone(name: string): boolean {
  let valid = known.get(name);
  if (valid === undefined) {
    valid = IANAZone.isValidZone(name);
    if (known.size < 10_000) known.set(name, valid);
  }
  return valid;
}

/** The zone's canonical spelling (`asia/shanghai` → `Asia/Shanghai`); the name as given when it is not a zone. */
export function canonicalTimezone(name: string): string {
  if (!isValidTimezone(name)) return name;
  return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
}
