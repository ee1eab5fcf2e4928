import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/domain-error';
import { inZone } from '../common/local-time';
import { ContentCatalog } from '../content/content-catalog.service';
import { GroupDirectory } from '../groups/group-directory.service';
import { PoliciesService } from '../policy/policies.service';
import { effectivePolicy } from '../policy/policy';
import { PostStatus } from '../posts/post-status';
import { PostsService } from '../posts/posts.service';
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

/**
 * What goes to which group when, grouped by group and local day: the posts of runs and routines,
 * planned and past, and the routine slots still to come. The 群日历 draws this.
 */
@Injectable()
export class CalendarService {
  constructor(
    private readonly directory: GroupDirectory,
    private readonly posts: PostsService,
    private readonly routines: RoutinesService,
    private readonly catalog: ContentCatalog,
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

  private async rows(groups: GroupRow[], from: Date, to: Date): Promise<CalendarGroupDto[]> {
    const ids = groups.map((g) => g.id);
    const [posts, planned] = await Promise.all([
      this.posts.toGroups(ids, from, to),
      this.routines.planned(ids, from, to),
    ]);
    const pieces = await this.catalog.titles(
      posts.flatMap((p) =>
        p.contentId !== null && p.revision !== null ? [{ id: p.contentId, revision: p.revision }] : [],
      ),
    );
    const zone = new Map(groups.map((g) => [g.id, g.timezone]));
    const entries = new Map<string, CalendarEntryDto[]>(ids.map((id) => [id, []]));
    for (const p of posts) {
      const piece = p.contentId !== null ? pieces.get(`${p.contentId}:${p.revision}`) : undefined;
      entries.get(p.groupId)!.push({
        postId: p.id,
        runId: p.runId,
        routineId: p.routineId,
        stage: p.stage,
        dueAt: p.dueAt,
        ...local(p.dueAt, zone.get(p.groupId)!),
        sentAt: p.sentAt,
        kind: piece?.kind ?? null,
        title: piece?.title ?? null,
        status: p.status,
        reason: p.status === PostStatus.Sent ? null : (p.deferReason ?? p.error),
      });
    }
    for (const slot of planned) {
      entries.get(slot.groupId)!.push({
        postId: null,
        runId: null,
        routineId: slot.routineId,
        stage: slot.stage,
        dueAt: slot.dueAt,
        ...local(slot.dueAt, zone.get(slot.groupId)!),
        sentAt: null,
        kind: slot.piece?.kind ?? null,
        title: slot.piece?.title ?? null,
        status: slot.piece ? 'planned' : PostStatus.Skipped,
        reason: slot.reason,
      });
    }
    return groups.map((g) => {
      const byDay = new Map<string, CalendarEntryDto[]>();
      const sorted = entries.get(g.id)!.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
      for (const entry of sorted)
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
