import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '../common/domain-error';
import { inZone } from '../common/local-time';
import { GroupDirectory } from '../groups/group-directory.service';
import { PoliciesService } from '../policy/policies.service';
import { effectivePolicy } from '../policy/policy';
import { PostStatus } from '../posts/post-status';
import { RoutinesService } from '../routines/routines.service';
import {
  CalendarDto,
  CalendarEntryDto,
  CalendarGroupDto,
  CalendarQuery,
  MAX_CALENDAR_DAYS,
  TimelineDto,
  TimelineQuery,
} from './dto/calendar.dto';

const DAY_MS = 86_400_000;

/** A group of the page, and one of its posts in the window (none: the post columns are null). */
interface PageRow {
  groupId: string;
  name: string;
  timezone: string;
  postId: string | null;
  runId: string | null;
  routineId: string | null;
  stage: string;
  dueAt: Date;
  sentAt: Date | null;
  status: PostStatus;
  reason: string | null;
  error: string | null;
  title: string | null;
  kind: string | null;
}

/**
 * What goes to which group when, grouped by group and local day: the posts of runs and routines,
 * planned and past, and the routine slots still to come. The 群日历 draws this.
 */
@Injectable()
export class CalendarService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly directory: GroupDirectory,
    private readonly routines: RoutinesService,
    private readonly policies: PoliciesService,
  ) {}

  async calendar(query: CalendarQuery): Promise<CalendarDto> {
    const { from, to } = window(query);
    if (!query.groupId && !query.tag) {
      throw DomainError.invalid([{ field: 'groupId', message: 'give groupId or tag' }]);
    }
    const { total, groups } = await this.page(query, query.page, query.pageSize, from, to);
    return { from, to, page: query.page, pageSize: query.pageSize, total, groups };
  }

  async timeline(groupId: string, query: TimelineQuery): Promise<TimelineDto> {
    const { from, to } = window(query);
    const {
      groups: [row],
    } = await this.page({ groupId }, 1, 1, from, to);
    if (!row) throw DomainError.notFound('group', groupId);
    const group = await this.directory.deliveryTarget(groupId);
    const policy = effectivePolicy(group.group, await this.policies.current());
    return { ...row, from, to, policy: { ...policy, blackoutDates: [...policy.blackoutDates].sort() } };
  }

  /** One statement reads the page of groups, their posts in the window and the posts' titles. */
  private async page(
    filter: { groupId?: string; tag?: string },
    page: number,
    pageSize: number,
    from: Date,
    to: Date,
  ): Promise<{ total: number; groups: CalendarGroupDto[] }> {
    const groups = await this.directory.pageQuery(filter, page, pageSize);
    const rows = (await this.dataSource.query(
      `SELECT g.id AS groupId, g.name, g.timezone, p.id AS postId, p.run_id AS runId, p.routine_id AS routineId,
              p.stage, p.due_at AS dueAt, p.sent_at AS sentAt, p.status, p.defer_reason AS reason, p.error,
              r.title, c.kind
       FROM (${groups.sql}) g
       LEFT JOIN posts p ON p.group_id = g.id AND p.due_at >= ? AND p.due_at < ?
       LEFT JOIN content_revisions r ON r.piece_id = p.content_id AND r.revision = p.revision
       LEFT JOIN content_pieces c ON c.id = p.content_id
       ORDER BY g.name, g.id, p.due_at, p.step`,
      [...groups.params, from, to],
    )) as PageRow[];
    return { total: groups.total, groups: await this.rows(rows, from, to) };
  }

  private async rows(rows: PageRow[], from: Date, to: Date): Promise<CalendarGroupDto[]> {
    const page = new Map<string, { name: string; timezone: string; entries: CalendarEntryDto[] }>();
    // A slot the worker has just made a post of may still be planned in what the routines said.
    const posted = new Set<string>();
    for (const p of rows) {
      const group =
        page.get(p.groupId) ?? page.set(p.groupId, { name: p.name, timezone: p.timezone, entries: [] }).get(p.groupId)!;
      if (p.postId === null) continue;
      if (p.routineId !== null) posted.add(`${p.routineId}:${p.groupId}:${p.dueAt.getTime()}`);
      group.entries.push({
        postId: p.postId,
        runId: p.runId,
        routineId: p.routineId,
        stage: p.stage,
        dueAt: p.dueAt,
        ...local(p.dueAt, p.timezone),
        sentAt: p.sentAt,
        kind: p.kind,
        title: p.title,
        status: p.status,
        reason: p.status === PostStatus.Sent ? null : (p.reason ?? p.error),
      });
    }
    for (const slot of await this.routines.planned([...page.keys()], from, to)) {
      if (posted.has(`${slot.routineId}:${slot.groupId}:${slot.dueAt.getTime()}`)) continue;
      const group = page.get(slot.groupId)!;
      group.entries.push({
        postId: null,
        runId: null,
        routineId: slot.routineId,
        stage: slot.stage,
        dueAt: slot.dueAt,
        ...local(slot.dueAt, group.timezone),
        sentAt: null,
        kind: slot.piece?.kind ?? null,
        title: slot.piece?.title ?? null,
        status: slot.piece ? 'planned' : PostStatus.Skipped,
        reason: slot.reason,
      });
    }
    return [...page].map(([groupId, g]) => {
      const byDay = new Map<string, CalendarEntryDto[]>();
      const sorted = g.entries.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
      for (const entry of sorted)
        (byDay.get(entry.localDate) ?? byDay.set(entry.localDate, []).get(entry.localDate)!).push(entry);
      return {
        groupId,
        name: g.name,
        timezone: g.timezone,
        days: [...byDay].map(([date, dayEntries]) => ({ date, entries: dayEntries })),
      };
    });
  }
}

function window(query: TimelineQuery): { from: Date; to: Date } {
  const from = new Date(query.from);
  const to = new Date(query.to);
  if (to <= from) throw DomainError.invalid([{ field: 'to', message: 'must be after from' }]);
  if (to.getTime() - from.getTime() > MAX_CALENDAR_DAYS * DAY_MS) {
    throw DomainError.invalid([{ field: 'to', message: `must be at most ${MAX_CALENDAR_DAYS} days after from` }]);
  }
  return { from, to };
}

function local(at: Date, zone: string): { localDate: string; localTime: string } {
  const time = inZone(at, zone);
  return { localDate: time.toISODate() as string, localTime: time.toFormat('HH:mm') };
}
