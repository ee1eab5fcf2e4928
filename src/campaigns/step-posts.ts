import { randomUUID } from 'node:crypto';
import { ChannelType } from '../providers/channel-types';
import { Because, SkipCode } from '../common/hold-codes';
import { Stage } from '../common/stages';
import { NewPost } from '../posts/lifecycle/post-types';
import { StepDue, Timing, dueTimes } from './timing';

export interface RunStep {
  stage: Stage;
  contentId: string;
  timing: Timing;
}

export interface StepPlan {
  runId: string;
  steps: RunStep[];
  /** Each step piece's kind and published revision (null: no longer published). */
  published: ReadonlyMap<string, { kind: string; revision: number | null }>;
  /** KindRegistry.isPromotional. */
  isPromotional: (stage: Stage, kind: string) => boolean;
  /**
   * The run's catch-up rule. With "skip", posts due before `overdueBefore` are written as skipped
   * with `overdueReason`, and a step whose time had passed at the start is skipped rather than
   * moved to it.
   */
  catchUp: 'spread' | 'skip' | null;
  overdueBefore: Date;
  overdueReason: string;
}

export interface Starter {
  id: string;
  timezone: string;
  channelType: ChannelType;
  /** The group's day 0: the run's start, or when it joined an evergreen run. */
  start: Date;
}

/** Why a step's post is written as skipped, if it is: its piece is gone, or it is late under catchUp: skip. */
function skipReason(
  plan: StepPlan,
  contentId: string,
  revision: number | null,
  due: StepDue,
): Because<SkipCode> | undefined {
  if (revision === null) return { code: 'unpublished', reason: `content ${contentId} is no longer published` };
  if (plan.catchUp !== 'skip') return undefined;
  if (due.passed) return { code: 'before_start', reason: `${due.passed} (catchUp: skip)` };
  return due.at < plan.overdueBefore ? { code: 'overdue', reason: plan.overdueReason } : undefined;
}

/** One post per step for each group, due in the group's zone from its own start. */
export function stepPosts(plan: StepPlan, groups: Starter[]): NewPost[] {
  const timings = plan.steps.map((s) => s.timing);
  // Due times depend only on the zone and the start; thousands of groups share a handful.
  const memo = new Map<string, StepDue[]>();
  const dueIn = (zone: string, start: Date) => {
    const key = `${zone}|${start.getTime()}`;
    return memo.get(key) ?? memo.set(key, dueTimes(timings, start, zone)).get(key)!;
  };
  return groups.flatMap((group) =>
    dueIn(group.timezone, group.start).map((due, step): NewPost => {
      const { stage, contentId } = plan.steps[step];
      const { kind, revision } = plan.published.get(contentId)!;
      const skipped = skipReason(plan, contentId, revision, due);
      return {
        id: randomUUID(),
        runId: plan.runId,
        step,
        stage,
        groupId: group.id,
        channelType: group.channelType,
        contentId,
        revision,
        promotional: plan.isPromotional(stage, kind),
        dueAt: due.at,
        ...(skipped
          ? { skipped }
          : due.passed
            ? { moved: { code: 'before_start', reason: `${due.passed}: due at the start instead` } }
            : {}),
      };
    }),
  );
}
