import { rawTimeZones } from '@vvo/tzdb';
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

/** The zone's ID in the engine's ICU data: one per zone, though often its old name (Asia/Katmandu, Asia/Calcutta). */
const icuId = (name: string) => new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;

let names: { current: Map<string, string>; spelled: Map<string, string> } | undefined;

/**
 * From the tz database's own list (@vvo/tzdb): each ICU ID → the zone's current IANA name, and
 * every name it knows, lower-cased → as spelled.
 */
function zoneNames() {
  if (!names) {
    names = { current: new Map(), spelled: new Map() };
    for (const zone of rawTimeZones) {
      if (isValidTimezone(zone.name)) names.current.set(icuId(zone.name), zone.name);
      for (const member of zone.group) names.spelled.set(member.toLowerCase(), member);
    }
  }
  return names;
}

const canonical = new Map<string, string>();

/**
 * The zone's current IANA spelling: `asia/shanghai` → `Asia/Shanghai`, `Asia/Katmandu` and
 * `Asia/Kathmandu` → `Asia/Kathmandu`, `US/Eastern` → `America/New_York`; the name as given when
 * it is not a zone. Answers are kept: an Intl formatter is costly.
 */
export function canonicalTimezone(name: string): string {
  let spelled = canonical.get(name);
  if (spelled === undefined) {
    if (isValidTimezone(name)) {
      const id = icuId(name);
      const { current, spelled: known } = zoneNames();
      spelled = current.get(id) ?? known.get(name.toLowerCase()) ?? id;
    } else {
      spelled = name;
    }
    if (canonical.size < 10_000) canonical.set(name, spelled);
  }
  return spelled;
}

/** Every IANA name a request may give (current names and the old ones that still resolve), sorted. */
export function timezoneNames(): string[] {
  const all = new Set(['UTC', ...zoneNames().spelled.values()]);
  return [...all].filter(isValidTimezone).sort();
}
