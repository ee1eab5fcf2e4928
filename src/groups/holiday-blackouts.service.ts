import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { DomainError } from '../common/domain-error';
import { AppliedHolidaysDto, ApplyHolidaysDto, HolidaysDto } from './dto/holiday.dto';
import { GroupDirectory } from './group-directory.service';
import { GroupWriter } from './group-writer.service';
import { Group } from './group.entity';
import { holidayPresets } from './holidays';

/** The holiday presets of a year, and blacking them out for the groups of a tag or by id. */
@Injectable()
export class HolidayBlackouts {
  constructor(
    @InjectRepository(Group) private readonly groups: Repository<Group>,
    private readonly directory: GroupDirectory,
    private readonly writer: GroupWriter,
  ) {}

  presets(year: number): HolidaysDto {
    const presets = holidayPresets(year);
    return { year, statutoryKnown: presets.some((p) => p.kind === 'statutory'), presets };
  }

  /** Adds the presets' days off to each group's own blackout dates; their 调休 working days stay open. */
  async apply(dto: ApplyHolidaysDto): Promise<AppliedHolidaysDto> {
    if (!dto.tag && !dto.groupIds?.length) {
      throw DomainError.invalid([{ field: 'tag', message: 'give tag, groupIds or both' }]);
    }
    const dates = new Set<string>();
    // A year's presets are read from the library day by day: once per year asked, not once per preset.
    const years = new Map<number, ReturnType<typeof holidayPresets>>();
    const ofYear = (year: number) => years.get(year) ?? years.set(year, holidayPresets(year)).get(year)!;
    dto.presets.forEach((id, i) => {
      const year = Number(/_(\d{4})$/.exec(id)?.[1]);
      const preset = year ? ofYear(year).find((p) => p.id === id) : undefined;
      if (!preset)
        throw DomainError.invalid([{ field: `presets[${i}]`, message: `no preset ${id}; see GET /v1/holidays?year=` }]);
      preset.holidays.forEach((d) => dates.add(d));
    });
    const tagged = dto.tag ? (await this.directory.tagged([dto.tag])).map((g) => g.id) : [];
    const ids = [...new Set([...tagged, ...(dto.groupIds ?? [])])];
    const rows = ids.length ? await this.groups.find({ where: { id: In(ids) }, select: ['id', 'blackoutDates'] }) : [];
    const missing = (dto.groupIds ?? []).filter((id) => !rows.some((r) => r.id === id));
    if (missing.length > 0)
      throw DomainError.invalid(missing.map((id) => ({ field: 'groupIds', message: `no group ${id}` })));
    const changed = rows
      .map((row) => ({
        id: row.id,
        had: row.blackoutDates ?? [],
        now: [...new Set([...(row.blackoutDates ?? []), ...dates])].sort(),
      }))
      .filter((row) => row.now.length !== row.had.length);
    await this.writer.setBlackoutDates(changed.map((row) => ({ id: row.id, blackoutDates: row.now })));
    return { groups: changed.length, unchanged: rows.length - changed.length, dates: [...dates].sort() };
  }
}
