import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { effectiveRateLimits } from '../providers/rate-limits';
import { AdapterRegistry } from '../providers/adapter-registry';
import { receiveCapOf } from '../providers/adapter';
import { DomainError } from '../common/domain-error';
import { RenderableRevisions } from '../content/renderable-revisions.service';
import { AudienceMember, GroupDirectory } from '../groups/group-directory.service';
import { RunRules } from '../policy/decide';
import { PoliciesService } from '../policy/policies.service';
import { effectivePolicy, localDay } from '../policy/policy';
import { Prediction, SimPost, simulate } from '../policy/simulate';
import { PostHistory } from '../posts/post-history.service';
import { RendererService } from '../templates/renderer.service';
import { CampaignsService } from './campaigns.service';
import { LaunchRunDto, PlanDto, PlanEntryDto, PlanWarningDto } from './dto/campaign.dto';
import { Run } from './run.entity';
import { RunEntry, RunSource } from './run-entry.service';
import { turns } from '../common/yielding';
import { Because, HoldCode, SkipCode } from '../common/hold-codes';

export interface PlanInput extends RunSource {
  groups: AudienceMember[];
}

/** A plan's findings, before the page it covers is said. */
export type PlanBody = Pick<PlanDto, 'summary' | 'entries'>;

/** The posts a plan adds sort after any post of a real run due at the same instant. */
const PLANNED = '~plan';
const HISTORY_MS = 2 * 86_400_000;
/** The longest receive-cap window, a month, reaches at most this far back. */
const CAP_HISTORY_MS = 31 * 86_400_000;
/** A piece a group got within this many days is worth a second look before it goes again. */
const RECENT_DAYS = 7;
/** How a plan's summary names what moved or skipped a post; a code not named here is named by its reason. */
const RULE_NAMES: Partial<Record<HoldCode | SkipCode, string>> = {
  before_start: 'before the start',
  quiet_hours: 'quiet hours',
  min_gap: 'minimum gap',
  daily_cap: 'daily cap',
  promo_cap: 'promotional cap',
  blackout: 'blackout date',
  order: 'order in the group',
  rate_limit: 'robot rate limit',
  receive_cap: "WeCom's receive cap",
};

/**
 * A dry run of a launch: for every group × step its due time and when it will really go after
 * blackout dates, quiet hours, order in the group, the gap, the caps (counting what the group was
 * sent and what is already on its way) and its robot's rate limit, with the rules that moved it.
 * Writes nothing and takes no rate-limit slot: the same pure policy the worker asks, simulated.
 */
@Injectable()
export class PlanPreview {
  constructor(
    @InjectRepository(Run) private readonly runs: Repository<Run>,
    private readonly campaigns: CampaignsService,
    private readonly revisions: RenderableRevisions,
    private readonly entry: RunEntry,
    private readonly directory: GroupDirectory,
    private readonly policies: PoliciesService,
    private readonly history: PostHistory,
    private readonly adapters: AdapterRegistry,
    private readonly renderer: RendererService,
  ) {}

  /** What a plan is made of, checked: the campaign can launch and every group id is known. */
  async prepare(campaignId: string, dto: LaunchRunDto): Promise<PlanInput> {
    const source = await this.entry.source((await this.campaigns.launchable(campaignId)).steps);
    const { unknownIds, groups } = await this.directory.audience(dto.audience.groupIds ?? [], dto.audience.tags ?? []);
    if (unknownIds.length > 0) {
      throw DomainError.invalid(unknownIds.map((id) => ({ field: 'audience.groupIds', message: `no group ${id}` })));
    }
    return { ...source, groups };
  }

  async compute({ groups, ...source }: PlanInput, dto: LaunchRunDto, now: Date): Promise<PlanBody> {
    const start = dto.startAt ? new Date(dto.startAt) : now;
    const planned = this.entry.posts(
      PLANNED,
      source,
      { overdueBefore: now, overdueReason: 'overdue at launch (catchUp: skip)', catchUp: dto.catchUp ?? null },
      groups.map((g) => ({ ...g, start })),
    );
    const ids = groups.map((g) => g.id);
    const [targets, global, ahead, sent] = await Promise.all([
      Promise.all(ids.map((id) => this.directory.deliveryTarget(id))),
      this.policies.current(),
      this.history.ahead(ids),
      this.history.sentTo(ids, new Date(now.getTime() - HISTORY_MS)),
    ]);
    // A month of history only for the groups a receive cap counts it for (WeCom customer groups).
    const capOf = (t: (typeof targets)[number]) =>
      receiveCapOf(this.adapters.definition(t.channel.type), t.target.channel.config);
    const received = await this.history.receivedBy(
      targets.filter((t) => capOf(t) !== null).map((t) => t.group.id),
      new Date(now.getTime() - CAP_HISTORY_MS),
    );
    const pieces = [...new Set(planned.flatMap((p) => (p.contentId ? [p.contentId] : [])))];
    const got = await this.history.lastReceived(ids, pieces, now);
    const rules = await this.runRules(ahead.map((p) => p.runId));
    const ours: RunRules = {
      blackoutMode: dto.blackoutMode ?? 'shift',
      catchUp: dto.catchUp ?? null,
      capMode: dto.capMode ?? 'wait',
      keepSteps: dto.keepSteps ?? null,
    };
    const [aheadOf, plannedOf, sentOf, receivedOf] = [
      byGroup(ahead),
      byGroup(planned),
      byGroup(sent),
      byGroup(received),
    ];
    const entries: PlanEntryDto[] = [];
    const causes: Cause[] = [];
    // A plan of thousands of groups holds the event loop for no more than a turn at a time.
    const turn = turns();
    for (const { group, channel, target } of targets) {
      await turn();
      const own = <T>(list: Map<string, T[]>) => list.get(group.id) ?? [];
      const queue: (SimPost & { source: string; step: number })[] = [
        ...own(aheadOf).map((p) => ({
          id: p.id,
          dueAt: p.dueAt,
          notBefore: p.notBefore,
          promotional: p.promotional,
          run: (p.runId && rules.get(p.runId)) || ROUTINE,
          source: p.runId ?? p.routineId ?? '',
          step: p.step,
          label: p.runId ? `step ${p.step + 1} of run ${p.runId}` : `routine ${p.routineId}'s slot`,
        })),
        ...own(plannedOf).map((p) => ({
          ...p,
          run: ours,
          source: PLANNED,
          label: `step ${p.step + 1} of this campaign`,
        })),
      ].sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || compare(a.source, b.source) || a.step - b.step);
      const groupSent = own(sentOf);
      const predictions = new Map<string, Prediction>(
        simulate(
          {
            policy: effectivePolicy(group, global, capOf({ group, channel, target })),
            zone: group.timezone,
            rateLimits: effectiveRateLimits(this.adapters.definition(channel.type), target.channel.config),
            lastSentAt: groupSent.reduce<Date | null>((last, s) => (!last || s.at > last ? s.at : last), null),
            sent: groupSent,
            received: own(receivedOf).map((r) => r.at),
          },
          queue,
          now,
        ).map((p) => [p.id, p]),
      );
      const format = channel.config.format ?? 'markdown';
      for (const post of own(plannedOf)) {
        const prediction = predictions.get(post.id)!;
        const problems =
          post.skipped || post.contentId === null || post.revision === null
            ? []
            : await this.renderProblems(post, group, format, channel.type);
        const moves = post.moved ? [post.moved, ...prediction.moves] : prediction.moves;
        const skipped = post.skipped ?? prediction.skipped;
        entries.push({
          groupId: group.id,
          step: post.step,
          stage: post.stage,
          dueAt: post.dueAt,
          predictedAt: post.skipped ? null : prediction.at,
          moves: moves.map((m) => m.reason),
          skipped: skipped?.reason ?? null,
          problems,
        });
        for (const why of skipped ? [...moves, skipped] : moves)
          causes.push({ groupId: group.id, postKey: `${group.id}:${post.step}`, why });
      }
    }
    const summary = summarize(entries, causes, new Map(groups.map((g) => [g.id, g.timezone])));
    return { summary: { ...summary, warnings: warnings(groups.length, entries, ahead, got, now) }, entries };
  }

  /** Rendered for this group as its channel will send it: a template that cannot render, a size the provider splits at. */
  private async renderProblems(
    post: { contentId: string | null; revision: number | null; dueAt: Date; stage: string },
    group: { name: string; timezone: string; vars: Record<string, string> },
    format: 'text' | 'markdown',
    channelType: string,
  ): Promise<string[]> {
    const piece = await this.revisions.renderable(post.contentId!, post.revision!);
    try {
      const rendered = this.renderer.render(piece, format, group, { dueAt: post.dueAt, stage: post.stage });
      return rendered.warnings.filter((w) => w.channel === channelType).map((w) => w.message);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const details = (error.details ?? []).map((d) => d.message);
      return details.length > 0 ? details : [error.message];
    }
  }

  private async runRules(runIds: (string | null)[]): Promise<Map<string, RunRules>> {
    const ids = [...new Set(runIds.filter((id): id is string => id !== null))];
    if (ids.length === 0) return new Map();
    const runs = await this.runs.find({
      where: { id: In(ids) },
      select: ['id', 'blackoutMode', 'catchUp', 'capMode', 'keepSteps'],
    });
    return new Map(
      runs.map((r) => [
        r.id,
        { blackoutMode: r.blackoutMode, catchUp: r.catchUp, capMode: r.capMode, keepSteps: r.keepSteps },
      ]),
    );
  }
}

const ROUTINE: RunRules = { blackoutMode: 'skip', catchUp: null };
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function byGroup<T extends { groupId: string }>(rows: T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) (groups.get(row.groupId) ?? groups.set(row.groupId, []).get(row.groupId)!).push(row);
  return groups;
}

/** What moved or skipped a planned post of a group. */
interface Cause {
  groupId: string;
  /** The planned post it moved: its group and step. */
  postKey: string;
  why: Because<HoldCode | SkipCode>;
}

/**
 * What an operator should accept before launching: no group at all, groups another run still has
 * posts ahead in, groups that got one of these pieces in the last week, steps already due.
 */
function warnings(
  groups: number,
  entries: PlanEntryDto[],
  ahead: { groupId: string; runId: string | null }[],
  got: Map<string, Map<string, Date>>,
  now: Date,
): PlanWarningDto[] {
  const found: PlanWarningDto[] = [];
  if (groups === 0)
    found.push({ code: 'no_groups', groups: 0, posts: 0, message: 'the audience holds no active group' });
  const others = ahead.filter((p) => p.runId !== null);
  if (others.length > 0) {
    const runs = new Set(others.map((p) => p.runId)).size;
    found.push({
      code: 'overlap',
      groups: new Set(others.map((p) => p.groupId)).size,
      posts: others.length,
      runs,
      message: `${runs} other run(s) still have posts to go to these groups`,
    });
  }
  const since = now.getTime() - RECENT_DAYS * 86_400_000;
  const recent = [...got].filter(([, pieces]) => [...pieces.values()].some((at) => at.getTime() >= since));
  if (recent.length > 0)
    found.push({
      code: 'recently_sent',
      groups: recent.length,
      posts: 0,
      message: `groups that got one of these pieces in the last ${RECENT_DAYS} days`,
    });
  const overdue = entries.filter((e) => e.dueAt < now);
  if (overdue.length > 0)
    found.push({
      code: 'overdue',
      groups: new Set(overdue.map((e) => e.groupId)).size,
      posts: overdue.length,
      message: 'steps already due at launch',
    });
  return found;
}

function summarize(
  entries: PlanEntryDto[],
  causes: Cause[],
  zones: Map<string, string>,
): Omit<PlanDto['summary'], 'warnings'> {
  const perDay: Record<string, number> = {};
  const movedBy = new Map<string, Set<string>>();
  let last: Date | null = null;
  for (const entry of entries) {
    if (entry.predictedAt) {
      // The zone's local date from the policy's memo: a Luxon date per entry costs 10,000 of them a plan.
      const day = localDay(entry.predictedAt, zones.get(entry.groupId)!).date;
      perDay[day] = (perDay[day] ?? 0) + 1;
      if (!last || entry.predictedAt > last) last = entry.predictedAt;
    }
  }
  const capped = new Set<string>();
  for (const { groupId, postKey, why } of causes) {
    if (why.code === 'receive_cap') capped.add(postKey);
    const rule = RULE_NAMES[why.code] ?? why.reason;
    (movedBy.get(rule) ?? movedBy.set(rule, new Set()).get(rule)!).add(groupId);
  }
  return {
    posts: entries.length,
    groups: zones.size,
    perDay,
    lastPredictedAt: last,
    groupsMovedBy: Object.fromEntries([...movedBy].map(([rule, groups]) => [rule, groups.size])),
    skipped: entries.filter((e) => e.skipped !== null).length,
    withProblems: entries.filter((e) => e.problems.length > 0).length,
    heldByReceiveCap: capped.size,
  };
}
