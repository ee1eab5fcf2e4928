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

const canonical = new Map<string, string>();

/** The zone's canonical spelling (`asia/shanghai` → `Asia/Shanghai`); the name as given when it is not a zone. Answers are kept: an Intl formatter is costly. */
export function canonicalTimezone(name: string): string {
  let spelled = canonical.get(name);
  if (spelled === undefined) {
    spelled = isValidTimezone(name)
      ? new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone
      : name;
    if (canonical.size < 10_000) canonical.set(name, spelled);
  }
  return spelled;
}
