import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '../common/domain-error';
import { localWall } from '../common/local-time';
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

type GroupRow = { id: string; name: string; timezone: string };

/** A post in the window, with its piece's title and kind. */
interface PostRow {
  id: string;
  groupId: string;
  runId: string | null;
  routineId: string | null;
  stage: string;
  step: number;
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
    const { groups, total } = await this.directory.page(query, query.page, query.pageSize);
    return { from, to, page: query.page, pageSize: query.pageSize, total, groups: await this.rows(groups, from, to) };
  }

  async timeline(groupId: string, query: TimelineQuery): Promise<TimelineDto> {
    const { from, to } = window(query);
    const { groups } = await this.directory.page({ groupId }, 1, 1);
    if (groups.length === 0) throw DomainError.notFound('group', groupId);
    const [row] = await this.rows(groups, from, to);
    const group = await this.directory.deliveryTarget(groupId);
    const policy = effectivePolicy(group.group, await this.policies.current());
    return { ...row, from, to, policy: { ...policy, blackoutDates: [...policy.blackoutDates].sort() } };
  }

  /**
   * These groups' posts in [from, to) with their pieces' titles, in one statement; each group's
   * posts are read along (group_id, due_at) for the window alone, however long its history. They
   * come unordered: `rows` orders each group's day anyway, and MariaDB's sort cost more than ours.
   */
  private async posts(groupIds: string[], from: Date, to: Date): Promise<PostRow[]> {
    if (groupIds.length === 0) return [];
    return (await this.dataSource.query(
      `SELECT p.id, p.group_id AS groupId, p.run_id AS runId, p.routine_id AS routineId, p.stage, p.step, p.due_at AS dueAt,
              p.sent_at AS sentAt, p.status, p.defer_reason AS reason, p.error, r.title, c.kind
       FROM posts p
       LEFT JOIN content_revisions r ON r.piece_id = p.content_id AND r.revision = p.revision
       LEFT JOIN content_pieces c ON c.id = p.content_id
       WHERE p.group_id IN (?) AND p.due_at >= ? AND p.due_at < ?`,
      [groupIds, from, to],
    )) as PostRow[];
  }

  private async rows(groups: GroupRow[], from: Date, to: Date): Promise<CalendarGroupDto[]> {
    const ids = groups.map((g) => g.id);
    const page = new Map(groups.map((g) => [g.id, { ...g, entries: [] as Placed[] }]));
    // A slot the worker has just made a post of may still be planned in what the routines said.
    const posted = new Set<string>();
    const [posts, planned] = await Promise.all([this.posts(ids, from, to), this.routines.planned(ids, from, to)]);
    for (const p of posts) {
      const group = page.get(p.groupId)!;
      if (p.routineId !== null) posted.add(slotKey(p.routineId, p.groupId, p.dueAt));
      group.entries.push({
        step: p.step,
        entry: {
          postId: p.id,
          runId: p.runId,
          routineId: p.routineId,
          step: p.runId === null ? null : p.step,
          stage: p.stage,
          dueAt: p.dueAt,
          ...local(p.dueAt, group.timezone),
          sentAt: p.sentAt,
          kind: p.kind,
          title: p.title,
          status: p.status,
          reason: p.status === PostStatus.Sent ? null : (p.reason ?? p.error),
        },
      });
    }
    for (const slot of planned) {
      if (posted.has(slotKey(slot.routineId, slot.groupId, slot.dueAt))) continue;
      const group = page.get(slot.groupId)!;
      group.entries.push({
        step: SLOT_STEP,
        entry: {
          postId: null,
          runId: null,
          routineId: slot.routineId,
          step: null,
          stage: slot.stage,
          dueAt: slot.dueAt,
          ...local(slot.dueAt, group.timezone),
          sentAt: null,
          kind: slot.piece?.kind ?? null,
          title: slot.piece?.title ?? null,
          status: slot.piece ? 'planned' : PostStatus.Skipped,
          reason: slot.reason,
        },
      });
    }
    return [...page.values()].map((g) => {
      const byDay = new Map<string, CalendarEntryDto[]>();
      g.entries.sort((a, b) => a.entry.dueAt.getTime() - b.entry.dueAt.getTime() || a.step - b.step);
      for (const { entry } of g.entries)
        (byDay.get(entry.localDate) ?? byDay.set(entry.localDate, []).get(entry.localDate)!).push(entry);
      return {
        groupId: g.id,
        name: g.name,
        timezone: g.timezone,
        days: [...byDay].map(([date, dayEntries]) => ({ date, entries: dayEntries })),
      };
    });
  }
}

/** An entry and its step, which orders posts due at the same instant; a routine's slot comes after them. */
interface Placed {
  step: number;
  entry: CalendarEntryDto;
}

const SLOT_STEP = Number.MAX_SAFE_INTEGER;

function window(query: TimelineQuery): { from: Date; to: Date } {
  const from = new Date(query.from);
  const to = new Date(query.to);
  if (to <= from) throw DomainError.invalid([{ field: 'to', message: 'must be after from' }]);
  if (to.getTime() - from.getTime() > MAX_CALENDAR_DAYS * DAY_MS) {
    throw DomainError.invalid([{ field: 'to', message: `must be at most ${MAX_CALENDAR_DAYS} days after from` }]);
  }
  return { from, to };
}

const slotKey = (routineId: string, groupId: string, at: Date) => `${routineId}:${groupId}:${at.getTime()}`;

function local(at: Date, zone: string): { localDate: string; localTime: string } {
  // A group's zone was checked when it was set; UTC stands in should Intl ever stop knowing it.
  const { date, time } = localWall(at, zone) ?? localWall(at, 'UTC')!;
  return { localDate: date, localTime: time };
}
