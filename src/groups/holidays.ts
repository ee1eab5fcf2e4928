import { getDayDetail } from 'chinese-days';

/** A set of dates an operator can black out at once, from the maintained holiday library or a fixed date. */
export interface HolidayPreset {
  id: string;
  name: string;
  /** statutory: China's public holidays as the State Council set them; shopping: the sales peaks. */
  kind: 'statutory' | 'shopping';
  /** The days off (YYYY-MM-DD): what the preset blacks out. */
  holidays: string[];
  /** Weekend days made working days to make up for the holiday (调休): left open. */
  workdays: string[];
}

/** The sales peaks by their fixed dates. */
const SHOPPING: [string, string, string][] = [
  ['618', '618', '06-18'],
  ['double11', '双11', '11-11'],
  ['double12', '双12', '12-12'],
];

/**
 * The presets of a year: each statutory holiday with its days off and its 调休 working days, read
 * from chinese-days day by day, and the shopping peaks. A year the library does not know yet has
 * no statutory presets (the State Council publishes the next year's late in the year).
 */
export function holidayPresets(year: number): HolidayPreset[] {
  const byName = new Map<string, HolidayPreset>();
  for (
    let day = new Date(Date.UTC(year, 0, 1));
    day.getUTCFullYear() === year;
    day = new Date(day.getTime() + 86_400_000)
  ) {
    const date = day.toISOString().slice(0, 10);
    const detail = getDayDetail(date);
    const [english, chinese] = detail.name.split(',');
    if (!chinese) continue;
    const id = `${english.toLowerCase().replace(/[^a-z]+/g, '_')}_${year}`;
    const preset = byName.get(id) ?? { id, name: chinese, kind: 'statutory' as const, holidays: [], workdays: [] };
    byName.set(id, preset);
    (detail.work ? preset.workdays : preset.holidays).push(date);
  }
  return [
    ...[...byName.values()]
      .filter((p) => p.holidays.length > 0)
      .sort((a, b) => a.holidays[0].localeCompare(b.holidays[0])),
    ...SHOPPING.map(([id, name, day]) => ({
      id: `${id}_${year}`,
      name,
      kind: 'shopping' as const,
      holidays: [`${year}-${day}`],
      workdays: [],
    })),
  ];
}
