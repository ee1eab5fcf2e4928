import { Injectable } from '@nestjs/common';
import { ChannelDefinition, SendTarget } from '../channels/adapter';
import { effectiveRateLimits } from '../channels/rate-limits';
import { Group } from '../groups/group.entity';
import { PoliciesService } from './policies.service';
import { EffectivePolicy, effectivePolicy, localDay, quietHoursEnd, shiftPastBlackout } from './policy';
import { Post } from './post.entity';
import { PostsService } from './posts.service';
import { RateLimiter } from './rate-limiter';

/** What the gate needs of a post's run (campaigns/ owns runs; scheduling does not import it). */
export interface RunSettings {
  blackoutMode: 'skip' | 'shift';
  catchUp: 'spread' | 'skip' | null;
}

/** A post this far past its due time is late. */
const LATE_MS = 60_000;

export type Decision =
  { action: 'send' } | { action: 'defer'; until: Date; reason: string } | { action: 'skip'; reason: string };

/** Spreads deferred sends a little so they do not all fire on the same millisecond. */
const jitter = (maxMs: number) => Math.floor(Math.random() * maxMs);
/** After an earlier post to the same group goes, the next one follows this much later. */
const ORDER_STEP_MS = 500;

/**
 * Whether a post may go now: blackout dates, quiet hours, order within the group, minimum gap,
 * daily and promotional caps, and last the provider's rate limit for the address (which takes a slot).
 */
@Injectable()
export class PolicyGate {
  constructor(
    private readonly policies: PoliciesService,
    private readonly posts: PostsService,
    private readonly limiter: RateLimiter,
  ) {}

  async policyFor(group: Group): Promise<EffectivePolicy> {
    return effectivePolicy(group, await this.policies.current());
  }

  /** `run` is read only when needed (a blackout date, a late post): the claim already checked that the run is live. */
  async decide(
    post: Post,
    group: Group,
    run: () => Promise<RunSettings>,
    definition: ChannelDefinition,
    target: SendTarget,
  ): Promise<Decision> {
    const now = new Date();
    const zone = group.timezone;
    const policy = await this.policyFor(group);
    const today = localDay(now, zone);
    if (now.getTime() - post.dueAt.getTime() > LATE_MS && (await run()).catchUp === 'skip') {
      const earlier = await this.posts.earlierStepStillLate(post);
      if (earlier !== null)
        return {
          action: 'skip',
          reason: `step ${earlier + 1} of this run was still going out late when this step came due (catchUp: skip)`,
        };
    }
    if (policy.blackoutDates.has(today.date)) {
      if ((await run()).blackoutMode === 'skip') return { action: 'skip', reason: `${today.date} is a blackout date` };
      return {
        action: 'defer',
        until: shiftPastBlackout(now, zone, policy.blackoutDates),
        reason: `${today.date} is a blackout date: shifted`,
      };
    }
    const quietEnd = quietHoursEnd(policy.quietHours, now, zone);
    if (quietEnd)
      return {
        action: 'defer',
        until: new Date(quietEnd.getTime() + jitter(1000)),
        reason: `quiet hours ${policy.quietHours}`,
      };
    const blocker = await this.posts.blocker(post);
    if (blocker) {
      const ready = Math.max(now.getTime(), (blocker.notBefore ?? blocker.dueAt).getTime());
      // Say what holds the post ahead (a cap, quiet hours), not only that there is one.
      const why =
        blocker.deferReason && !blocker.deferReason.startsWith('waits for post')
          ? `, held by ${blocker.deferReason}`
          : '';
      return {
        action: 'defer',
        until: new Date(ready + ORDER_STEP_MS),
        reason: `waits for post ${blocker.id}, due earlier to the same group${why}`,
      };
    }
    if (policy.minGapMinutes > 0) {
      const last = await this.posts.lastSentAt(group.id);
      const allowed = last ? last.getTime() + policy.minGapMinutes * 60_000 : 0;
      if (allowed > now.getTime())
        return {
          action: 'defer',
          until: new Date(allowed + jitter(1000)),
          reason: `minimum gap of ${policy.minGapMinutes} min`,
        };
    }
    if (policy.dailyCap !== null || (post.promotional && policy.promoCap !== null)) {
      const sent = await this.posts.sentSince(group.id, today.start);
      if (policy.dailyCap !== null && sent.total >= policy.dailyCap) {
        return {
          action: 'defer',
          until: new Date(today.next.getTime() + jitter(1000)),
          reason: `daily cap of ${policy.dailyCap} reached`,
        };
      }
      if (post.promotional && policy.promoCap !== null && sent.promotional >= policy.promoCap) {
        return {
          action: 'defer',
          until: new Date(today.next.getTime() + jitter(1000)),
          reason: `promotional cap of ${policy.promoCap} reached`,
        };
      }
    }
    // The group's chat key names its robot across channels (see chat-key.ts).
    const robot = group.chatKey ?? JSON.stringify([target.channel.id, target.address]);
    const wait = await this.limiter.take(robot, effectiveRateLimits(definition, target.channel.config), post.id);
    if (wait > 0)
      return {
        action: 'defer',
        until: new Date(now.getTime() + wait + jitter(250)),
        reason: 'provider rate limit for this address',
      };
    return { action: 'send' };
  }
}
