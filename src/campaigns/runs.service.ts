import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, Repository } from 'typeorm';
import { DomainError } from '../common/domain-error';
import { inTransaction, isDuplicateKey } from '../database/mysql';
import { GroupDirectory } from '../groups/group-directory.service';
import { NewPost } from '../posts/lifecycle/post-types';
import { RunStatus } from '../common/run-status';
import { CampaignsService } from './campaigns.service';
import { LaunchRunDto, ResumeRunDto, RunDto } from './dto/campaign.dto';
import { ScopedIdempotencyKey, requestHash } from '../auth/idempotency-key';
import { Run } from './run.entity';
import { RunEnrolment } from './run-enrolment.service';
import { RunLifecycle } from './run-lifecycle.service';
import { RunEntry } from './run-entry.service';

/** A start this close to now is "now" (a clock a little behind, a slow request). */
const PAST_START_GRACE_MS = 60_000;
/** Groups whose posts a launch makes and writes at a time. */
const LAUNCH_SLICE = 5000;

@Injectable()
export class RunsService {
  private readonly logger = new Logger(RunsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(Run) private readonly runs: Repository<Run>,
    private readonly campaigns: CampaignsService,
    private readonly groups: GroupDirectory,
    private readonly entry: RunEntry,
    private readonly lifecycle: RunLifecycle,
    private readonly enrolment: RunEnrolment,
  ) {}

  /**
   * Validates and activates the campaign, then writes the run and one post per (step, group) in
   * one transaction, each pinned to the step's published revision and due in the group's zone.
   */
  async launch(
    campaignId: string,
    dto: LaunchRunDto,
    idempotency?: ScopedIdempotencyKey,
  ): Promise<{ run: RunDto; created: boolean }> {
    const request = idempotency ? { ...idempotency, hash: requestHash(campaignId, dto) } : undefined;
    if (request) {
      const existing = await this.byIdempotencyKey(request);
      if (existing) return { run: existing, created: false };
    }
    const source = await this.entry.source((await this.campaigns.activate(campaignId)).steps);
    const audience = { groupIds: dto.audience.groupIds ?? [], tags: dto.audience.tags ?? [] };
    const { unknownIds, groups } = await this.groups.audience(audience.groupIds, audience.tags);
    if (unknownIds.length > 0) {
      throw DomainError.invalid(unknownIds.map((id) => ({ field: 'audience.groupIds', message: `no group ${id}` })));
    }
    if (dto.evergreen && audience.tags.length === 0) {
      throw DomainError.invalid([
        { field: 'audience.tags', message: 'an evergreen run watches tags: give at least one' },
      ]);
    }
    // An evergreen run may start empty: the groups that get its tags later join it.
    if (groups.length === 0 && !dto.evergreen)
      throw DomainError.invalid([{ field: 'audience', message: 'matches no active group' }]);
    const now = Date.now();
    const startAt = dto.startAt ? new Date(dto.startAt) : new Date(now);
    const pastMs = now - startAt.getTime();
    if (pastMs > PAST_START_GRACE_MS && !dto.catchUp) {
      throw DomainError.invalid([
        {
          field: 'startAt',
          message: `is ${Math.round(pastMs / 60_000)} min in the past: say catchUp "spread" (overdue steps go one at a time, spaced by each group's gap) or "skip" (overdue steps are skipped)`,
        },
      ]);
    }
    // catchUp "skip": what is overdue at launch is written as skipped, with the reason.
    const overdueBefore = new Date(now - PAST_START_GRACE_MS);
    const runId = randomUUID();
    const rules = { overdueBefore, overdueReason: 'overdue at launch (catchUp: skip)', catchUp: dto.catchUp ?? null };
    let queued: NewPost[];
    try {
      queued = await inTransaction(this.dataSource, async (manager) => {
        await this.lifecycle.create(
          manager,
          {
            id: runId,
            campaignId,
            audience,
            startAt,
            maxLatenessMinutes: dto.maxLatenessMinutes ?? null,
            confirmDeadlineMinutes: dto.confirmDeadlineMinutes ?? null,
            blackoutMode: dto.blackoutMode ?? 'shift',
            catchUp: dto.catchUp ?? null,
            capMode: dto.capMode ?? 'wait',
            keepSteps: dto.keepSteps ?? null,
            pinRevisions: dto.pinRevisions ?? false,
            idempotencyKey: request?.scoped ?? null,
            requestHash: request?.hash ?? null,
            // Known before the posts are written, slice by slice: the launch answers with it.
            postCount: groups.length * source.steps.length,
            evergreen: dto.evergreen ?? false,
          },
          groups.map((g) => g.id),
          new Date(),
        );
        // Written a slice of groups at a time: a launch to 100,000 groups never holds all its posts at once.
        const queuedNow: NewPost[] = [];
        for (let i = 0; i < groups.length; i += LAUNCH_SLICE) {
          const slice = groups.slice(i, i + LAUNCH_SLICE).map((g) => ({ ...g, start: startAt }));
          queuedNow.push(...(await this.entry.write(manager, this.entry.posts(runId, source, rules, slice))));
        }
        return queuedNow;
      });
    } catch (error) {
      const existing = request && isDuplicateKey(error) ? await this.byIdempotencyKey(request) : undefined;
      if (existing) return { run: existing, created: false };
      throw error;
    }
    // Posts due within the scheduler's horizon go to the queue now rather than at its next tick.
    await this.entry.enqueue(runId, queued);
    return { run: await this.get(runId), created: true };
  }

  async list(campaignId: string): Promise<RunDto[]> {
    await this.campaigns.load(campaignId);
    return (await this.runs.find({ where: { campaignId }, order: { createdAt: 'DESC' } })).map((r) => this.view(r));
  }

  async get(id: string): Promise<RunDto> {
    return this.view(await this.find(id));
  }

  async find(id: string): Promise<Run> {
    const run = await this.runs.findOneBy({ id });
    if (!run) throw DomainError.notFound('run', id);
    return run;
  }

  async pause(id: string): Promise<RunDto> {
    const run = await this.find(id);
    if (run.status !== RunStatus.Scheduled && run.status !== RunStatus.Running)
      throw DomainError.conflict(`run ${id} is ${run.status}; only a scheduled or running run pauses`);
    await this.lifecycle.pause(id);
    return this.get(id);
  }

  async resume(id: string, dto: ResumeRunDto = {}): Promise<RunDto> {
    const run = await this.find(id);
    if (run.status !== RunStatus.Paused)
      throw DomainError.conflict(`run ${id} is ${run.status}; only a paused run resumes`);
    const maxLatenessMinutes = dto.maxLatenessMinutes === undefined ? run.maxLatenessMinutes : dto.maxLatenessMinutes;
    await this.lifecycle.resume(id, maxLatenessMinutes);
    return this.get(id);
  }

  async cancel(id: string): Promise<RunDto> {
    const run = await this.find(id);
    if (run.status === RunStatus.Completed || run.status === RunStatus.Cancelled)
      throw DomainError.conflict(`run ${id} is already ${run.status}`);
    await this.lifecycle.cancel(id);
    return this.get(id);
  }

  /** Takes a group out of a run; its unsent posts are cancelled with the reason. */
  async removeGroup(runId: string, groupId: string): Promise<RunDto> {
    await this.find(runId);
    if (!(await this.enrolment.remove(runId, groupId))) {
      throw DomainError.conflict(`group ${groupId} is not in run ${runId}, or has left it`);
    }
    return this.get(runId);
  }

  /** The run this API key already launched with this Idempotency-Key; 422 if that launch asked for something else. */
  private async byIdempotencyKey(request: ScopedIdempotencyKey & { hash: string }): Promise<RunDto | undefined> {
    const run = await this.runs.findOneBy({ idempotencyKey: request.scoped });
    if (!run) return undefined;
    if (run.requestHash !== request.hash) {
      throw new DomainError(
        'unprocessable',
        `Idempotency-Key ${request.key} was used for another launch (run ${run.id}); use a new key for a new request`,
        [{ field: 'Idempotency-Key', message: 'already used with a different request' }],
      );
    }
    return this.view(run);
  }

  private view(run: Run): RunDto {
    return {
      id: run.id,
      campaignId: run.campaignId,
      status: run.status,
      audience: run.audience,
      startAt: run.startAt,
      maxLatenessMinutes: run.maxLatenessMinutes,
      confirmDeadlineMinutes: run.confirmDeadlineMinutes,
      blackoutMode: run.blackoutMode,
      catchUp: run.catchUp,
      capMode: run.capMode,
      keepSteps: run.keepSteps,
      pinRevisions: run.pinRevisions,
      postCount: run.postCount,
      evergreen: run.evergreen,
      createdAt: run.createdAt,
      finishedAt: run.finishedAt,
    };
  }
}
