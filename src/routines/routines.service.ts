import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import { DomainError, ErrorDetail } from '../common/domain-error';
import { pageOffset } from '../common/page.dto';
import { Remembered } from '../common/remembered';
import { Stage } from '../common/stages';
import { SchemaNode } from '../common/schema-node';
import { insertRows } from '../database/mysql';
import { ContentCatalog } from '../content/content-catalog.service';
import { GroupDirectory } from '../groups/group-directory.service';
import { PostFollowers } from '../posts/lifecycle/post-followers.service';
import { PostStatus } from '../posts/post-status';
import { PostsService } from '../posts/posts.service';
import { KindRegistry } from '../templates/kind-registry.service';
import {
  CreateRoutineDto,
  DEFAULT_NO_REPEAT_DAYS,
  ListRoutinesQuery,
  PlanQuery,
  PlannedSlotDto,
  RoutineDto,
  RoutinePageDto,
  RoutinePlanDto,
  UpdateRoutineDto,
} from './dto/routine.dto';
import { SlotRow } from './assign';
import { RoutinePlanner } from './routine-planner.service';
import { Routine, RoutineStatus } from './routine.entity';
import { RoutineSchedule } from './slots';
import { RoutineSource } from './sources';

const DAY_MS = 86_400_000;
/** How long the list of active routines is reused by calendar pages (changes made in this process forget it at once). */
const ACTIVE_ROUTINES_TTL_MS = 2000;

const localDate = (at: Date, zone = 'UTC') => DateTime.fromJSDate(at, { zone }).toISODate() as string;

@Injectable()
export class RoutinesService {
  private readonly active = new Remembered(ACTIVE_ROUTINES_TTL_MS, () => this.routines.findBy({ status: 'active' }));

  constructor(
    @InjectRepository(Routine) private readonly routines: Repository<Routine>,
    private readonly planner: RoutinePlanner,
    private readonly posts: PostFollowers,
    private readonly postReads: PostsService,
    private readonly catalog: ContentCatalog,
    private readonly kinds: KindRegistry,
    private readonly directory: GroupDirectory,
  ) {}

  async create(dto: CreateRoutineDto): Promise<RoutineDto> {
    const routine = this.routines.create({
      id: randomUUID(),
      name: dto.name,
      audience: { groupIds: dto.audience.groupIds ?? [], tags: dto.audience.tags ?? [] },
      schedule: schedule(dto.schedule),
      stage: dto.stage ?? 'educate',
      source: source(dto.source),
      startDate: dto.startDate ?? null,
      endDate: dto.endDate ?? null,
      confirmDeadlineMinutes: dto.confirmDeadlineMinutes ?? null,
      status: 'active',
      materializedUntil: null,
    });
    this.check(routine, dto);
    await insertRows(this.routines.manager, Routine, routine);
    this.active.forget();
    return this.get(routine.id);
  }

  async list(query: ListRoutinesQuery): Promise<RoutinePageDto> {
    const [routines, total] = await this.routines.findAndCount({
      where: query.status ? { status: query.status } : {},
      order: { createdAt: 'DESC', id: 'ASC' },
      skip: pageOffset(query),
      take: query.pageSize,
    });
    return { items: routines.map(view), page: query.page, pageSize: query.pageSize, total };
  }

  async get(id: string): Promise<RoutineDto> {
    return view(await this.find(id));
  }

  /** Applies from the next slot not yet made into a post. */
  async update(id: string, dto: UpdateRoutineDto): Promise<RoutineDto> {
    const routine = await this.find(id);
    if (routine.status === 'archived') throw DomainError.conflict(`routine ${id} is archived`);
    if (dto.name !== undefined) routine.name = dto.name;
    if (dto.audience !== undefined)
      routine.audience = { groupIds: dto.audience.groupIds ?? [], tags: dto.audience.tags ?? [] };
    if (dto.schedule !== undefined) routine.schedule = schedule(dto.schedule);
    if (dto.stage !== undefined) routine.stage = dto.stage;
    if (dto.source !== undefined) routine.source = source(dto.source);
    if (dto.startDate !== undefined) routine.startDate = dto.startDate;
    if (dto.endDate !== undefined) routine.endDate = dto.endDate;
    if (dto.confirmDeadlineMinutes !== undefined) routine.confirmDeadlineMinutes = dto.confirmDeadlineMinutes;
    this.check(routine, dto);
    const { name, audience, schedule: when, stage, source: from, startDate, endDate, confirmDeadlineMinutes } = routine;
    await this.routines.update(
      { id },
      { name, audience, schedule: when, stage, source: from, startDate, endDate, confirmDeadlineMinutes },
    );
    this.active.forget();
    return this.get(id);
  }

  /** No new slots; the posts already made for coming slots pause too. */
  async pause(id: string): Promise<RoutineDto> {
    await this.move(id, ['active'], 'paused');
    await this.posts.pauseAll({ routineId: id });
    return this.get(id);
  }

  /** Slots resume from now: the ones that passed while paused are not made up. */
  async resume(id: string): Promise<RoutineDto> {
    await this.move(id, ['paused'], 'active', new Date());
    await this.posts.resumeAll({ routineId: id }, 0);
    return this.get(id);
  }

  /** For good: no new slots, and the posts made for coming slots are cancelled. */
  async archive(id: string): Promise<RoutineDto> {
    await this.move(id, ['active', 'paused'], 'archived');
    await this.posts.cancelAll({ routineId: id });
    return this.get(id);
  }

  /**
   * Each group's slots in the next `days` days: those already made into posts as they stand,
   * the rest as the materialiser will make them (the same code chooses the pieces).
   */
  async plan(id: string, query: PlanQuery, now = new Date()): Promise<RoutinePlanDto> {
    const routine = await this.find(id);
    const to = new Date(now.getTime() + query.days * DAY_MS);
    const { groups } = await this.directory.audience(routine.audience.groupIds, routine.audience.tags);
    const page = groups
      .map((g) => g.id)
      .sort()
      .slice(pageOffset(query), pageOffset(query) + query.pageSize);
    const made = await this.postReads.ofRoutine(id, now, to, page);
    const zones = await this.directory.zones([...new Set(made.map((p) => p.groupId))]);
    const titles = await this.catalog.titles(
      made.flatMap((p) =>
        p.contentId !== null && p.revision !== null ? [{ id: p.contentId, revision: p.revision }] : [],
      ),
    );
    const slots: PlannedSlotDto[] = made.map((p) => ({
      groupId: p.groupId,
      dueAt: p.dueAt,
      localDate: localDate(p.dueAt, zones.get(p.groupId)),
      status: p.status,
      postId: p.id,
      piece:
        p.contentId === null
          ? null
          : { id: p.contentId, title: titles.get(`${p.contentId}:${p.revision}`)?.title ?? '' },
      reason: p.status === PostStatus.Skipped ? p.error : null,
    }));
    if (routine.status === 'active') {
      const from = new Date(Math.max(now.getTime(), routine.materializedUntil?.getTime() ?? 0));
      for (const row of await this.planner.slots(routine, from, to, new Set(page))) {
        slots.push({
          groupId: row.groupId,
          dueAt: row.dueAt,
          localDate: row.localDate,
          status: row.piece ? 'planned' : 'skipped',
          postId: null,
          piece: row.piece && { id: row.piece.id, title: row.piece.title },
          reason: row.reason,
        });
      }
    }
    slots.sort((a, b) =>
      a.groupId === b.groupId ? a.dueAt.getTime() - b.dueAt.getTime() : a.groupId < b.groupId ? -1 : 1,
    );
    return { from: now, to, page: query.page, pageSize: query.pageSize, totalGroups: groups.length, slots };
  }

  /** The slots of every active routine for these groups in (from, to] that are not posts yet. */
  async planned(groupIds: string[], from: Date, to: Date): Promise<(SlotRow & { routineId: string; stage: Stage })[]> {
    const wanted = new Set(groupIds);
    const rows: (SlotRow & { routineId: string; stage: Stage })[] = [];
    for (const routine of await this.active.get()) {
      const start = new Date(Math.max(from.getTime(), Date.now(), routine.materializedUntil?.getTime() ?? 0));
      if (start >= to) continue;
      for (const row of await this.planner.slots(routine, start, to)) {
        if (wanted.has(row.groupId)) rows.push({ ...row, routineId: routine.id, stage: routine.stage });
      }
    }
    return rows;
  }

  /** An active routine's slots are written up to `until` (a routine paused meanwhile keeps its mark). */
  async materializedUpTo(id: string, until: Date): Promise<void> {
    await this.routines.update({ id, status: 'active' }, { materializedUntil: until });
  }

  private async move(id: string, from: RoutineStatus[], to: RoutineStatus, materializedUntil?: Date): Promise<void> {
    const routine = await this.find(id);
    if (!from.includes(routine.status))
      throw DomainError.conflict(
        `routine ${id} is ${routine.status}; only a ${from.join(' or ')} routine can be ${to}`,
      );
    await this.routines.update({ id }, { status: to, ...(materializedUntil ? { materializedUntil } : {}) });
    this.active.forget();
  }

  private async find(id: string): Promise<Routine> {
    const routine = await this.routines.findOneBy({ id });
    if (!routine) throw DomainError.notFound('routine', id);
    return routine;
  }

  /**
   * What the DTO alone cannot say: a known kind (with a date field for a current routine), an
   * audience, dates in order and within reach (those given), weekdays only for weekly slots.
   */
  private check(routine: Routine, given: { startDate?: string | null; endDate?: string | null }): void {
    const details: ErrorDetail[] = [];
    const { source: from, schedule: when, audience } = routine;
    const kind = from.kind === undefined ? undefined : this.kinds.get(from.kind);
    if (from.kind !== undefined && !kind) {
      details.push({ field: 'source.kind', message: `no kind ${from.kind}; GET /v1/kinds lists them` });
    }
    if (from.mode === 'current' && kind && !hasDateField(kind.schema)) {
      details.push({
        field: 'source.kind',
        message: `kind ${kind.name} has no date field: a current routine sends the piece dated for each local day (e.g. morning_brief); use mode pool for a kind without dates`,
      });
    }
    if (audience.groupIds.length === 0 && audience.tags.length === 0) {
      details.push({ field: 'audience', message: 'needs groupIds or tags' });
    }
    if (when.every === 'day' && 'weekdays' in when) {
      details.push({ field: 'schedule.weekdays', message: 'only for every: week' });
    }
    if (routine.startDate && routine.endDate && routine.endDate < routine.startDate) {
      details.push({ field: 'endDate', message: `is before startDate ${routine.startDate}` });
    }
    // A day of margin either way: "today" is another date somewhere in the groups' zones.
    const now = DateTime.utc();
    const latest = now.plus({ days: MAX_DAYS_AHEAD + 1 }).toISODate()!;
    if (given.startDate && given.startDate > latest) {
      details.push({ field: 'startDate', message: `must be at most ${MAX_DAYS_AHEAD} days from now` });
    }
    if (given.endDate && given.endDate < now.minus({ days: 1 }).toISODate()!) {
      details.push({ field: 'endDate', message: 'is in the past: the routine would make no slot' });
    }
    if (details.length > 0) throw DomainError.invalid(details);
  }
}

/** The furthest ahead a routine may start, as a run may. */
const MAX_DAYS_AHEAD = 731;

/** A kind whose pieces say which local date they are for: what a current routine chooses by. */
function hasDateField(schema: SchemaNode): boolean {
  const date = schema.properties?.date;
  return typeof date === 'object' && date !== null && date.format === 'date';
}

function schedule(dto: { every: 'day' | 'week'; at: string; weekdays?: number[] }): RoutineSchedule {
  if (dto.every === 'week')
    return { every: 'week', at: dto.at, weekdays: [...(dto.weekdays ?? [])].sort((a, b) => a - b) };
  return dto.weekdays === undefined ? { every: 'day', at: dto.at } : ({ ...dto } as RoutineSchedule);
}

function source(dto: { mode: 'current' | 'pool'; kind?: string; tag?: string; noRepeatDays?: number }): RoutineSource {
  if (dto.mode === 'current') return { mode: 'current', kind: dto.kind! };
  return {
    mode: 'pool',
    tag: dto.tag!,
    ...(dto.kind !== undefined ? { kind: dto.kind } : {}),
    noRepeatDays: dto.noRepeatDays ?? DEFAULT_NO_REPEAT_DAYS,
  };
}

function view(routine: Routine): RoutineDto {
  return {
    id: routine.id,
    name: routine.name,
    audience: routine.audience,
    schedule: routine.schedule,
    stage: routine.stage,
    source: routine.source,
    startDate: routine.startDate,
    endDate: routine.endDate,
    confirmDeadlineMinutes: routine.confirmDeadlineMinutes,
    status: routine.status,
    createdAt: routine.createdAt,
    updatedAt: routine.updatedAt,
  };
}
