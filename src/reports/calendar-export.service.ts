import { Injectable } from '@nestjs/common';
import ExcelJS from 'exceljs';
import ical from 'ical-generator';
import { CalendarService } from './calendar.service';
import { CalendarEntryDto, CalendarExportQuery, CalendarQuery } from './dto/calendar.dto';

/** Groups asked per page of the calendar while exporting, and the most an export holds. */
const PAGE = 200;
export const MAX_EXPORT_GROUPS = 2000;

const STAGE_NAMES: Record<string, string> = {
  activate: '激活',
  educate: '教育',
  trigger_need: '激发需求',
  trigger_emotion: '激发情绪',
  close: '成交',
};

const STATUS_NAMES: Record<string, string> = {
  planned: '计划中',
  scheduled: '已排期',
  queued: '排队中',
  sending: '发送中',
  sent: '已发送',
  failed: '失败',
  unconfirmed: '未确认',
  awaiting_confirmation: '待群主确认',
  expired: '已过期',
  skipped: '已跳过',
  cancelled: '已取消',
  paused: '已暂停',
};

type ExportWindow = CalendarQuery & Pick<CalendarExportQuery, 'fromDate' | 'toDate'>;

interface Row {
  group: string;
  zone: string;
  entry: CalendarEntryDto;
}

/**
 * The calendar as files for people outside the console (the boss, the 群主): a sheet with one row
 * per post in each group's local time, and an iCalendar file any calendar app reads.
 */
@Injectable()
export class CalendarExport {
  constructor(private readonly calendar: CalendarService) {}

  async xlsx(query: ExportWindow): Promise<Buffer> {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('群日历');
    sheet.columns = [
      { header: '社群', key: 'group', width: 24 },
      { header: '当地日期', key: 'date', width: 12 },
      { header: '当地时间', key: 'time', width: 10 },
      { header: '时区', key: 'zone', width: 18 },
      { header: '阶段', key: 'stage', width: 10 },
      { header: '内容', key: 'title', width: 32 },
      { header: '状态', key: 'status', width: 10 },
      { header: '原因', key: 'reason', width: 40 },
    ];
    sheet.getRow(1).font = { bold: true };
    for (const { group, zone, entry } of await this.rows(query)) {
      sheet.addRow({
        group,
        date: entry.localDate,
        time: entry.localTime,
        zone,
        stage: STAGE_NAMES[entry.stage] ?? entry.stage,
        title: entry.title ?? '',
        status: STATUS_NAMES[entry.status] ?? entry.status,
        reason: entry.reason ?? '',
      });
    }
    sheet.views = [{ state: 'frozen', ySplit: 1 }];
    return Buffer.from(await book.xlsx.writeBuffer());
  }

  async ics(query: ExportWindow): Promise<string> {
    const calendar = ical({ name: '群日历', prodId: { company: 'groupcast', product: 'calendar' } });
    for (const { group, zone, entry } of await this.rows(query)) {
      const start = new Date(entry.dueAt);
      calendar.createEvent({
        id: entry.postId ?? `${entry.routineId}:${group}:${start.getTime()}`,
        start,
        end: new Date(start.getTime() + 15 * 60_000),
        summary: `${group} · ${STAGE_NAMES[entry.stage] ?? entry.stage} · ${entry.title ?? ''}`.trim(),
        description: [
          `${entry.localDate} ${entry.localTime} (${zone})`,
          STATUS_NAMES[entry.status] ?? entry.status,
          entry.reason ?? '',
        ]
          .filter(Boolean)
          .join('\n'),
      });
    }
    return calendar.toString();
  }

  /** Every entry of the window for the groups asked, a page of groups at a time, by group then time. */
  private async rows(query: ExportWindow): Promise<Row[]> {
    const inDates = (date: string) =>
      (!query.fromDate || date >= query.fromDate) && (!query.toDate || date <= query.toDate);
    const rows: Row[] = [];
    for (let page = 1; (page - 1) * PAGE < MAX_EXPORT_GROUPS; page++) {
      const answer = await this.calendar.calendar({ ...query, page, pageSize: PAGE });
      for (const group of answer.groups)
        for (const day of group.days.filter((d) => inDates(d.date)))
          for (const entry of day.entries) rows.push({ group: group.name, zone: group.timezone, entry });
      if (page * PAGE >= answer.total) break;
    }
    return rows;
  }
}
