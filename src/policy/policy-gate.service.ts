import { Injectable } from '@nestjs/common';
import { ChannelDefinition, SendTarget, receiveCapOf } from '../providers/adapter';
import { capWindow } from '../common/receive-cap';
import { effectiveRateLimits } from '../providers/rate-limits';
import { Group } from '../groups/group.entity';
import { PostHistory } from '../posts/post-history.service';
import { Metrics } from '../observability/metrics';
import { Post } from '../posts/post.entity';
import { Decision, PolicyHistory, RunRules, decide, isLate, randomJitter } from './decide';
import { PoliciesService } from './policies.service';
import { EffectivePolicy, effectivePolicy, localDay } from './policy';
import { RateLimiter } from './rate-limiter';

/**
 * Gathers what the policy decides on for a post about to be sent, asks the pure `decide`, and
 * only when that says send, takes a slot of the provider's rate limit for the address.
 */
@Injectable()
export class PolicyGate {
  constructor(
    private readonly policies: PoliciesService,
    private readonly history: PostHistory,
    private readonly limiter: RateLimiter,
    private readonly metrics: Metrics,
  ) {}

  async decide(
    post: Post,
    run: RunRules,
    group: Group,
    definition: ChannelDefinition,
    target: SendTarget,
    now = new Date(),
  ): Promise<Decision> {
    const policy = effectivePolicy(
      group,
      await this.policies.current(),
      receiveCapOf(definition, target.channel.config),
    );
    const subject = { dueAt: post.dueAt, promotional: post.promotional, zone: group.timezone, step: post.step };
    const decision = decide(policy, await this.gather(post, run, group, policy, now), now, subject);
    if (decision.action !== 'send') return decision;
    // The group's chat key names its robot across channels (see chat-key.ts).
    const robot = group.chatKey ?? JSON.stringify([target.channel.id, target.address]);
    const wait = await this.limiter.take(robot, effectiveRateLimits(definition, target.channel.config), post.id);
    if (wait === 0) return decision;
    this.metrics.limiterWaits.observe({ channel_type: definition.type }, wait / 1000);
    return {
      action: 'defer',
      until: new Date(now.getTime() + wait + randomJitter(250)),
      reason: 'provider rate limit for this address',
      code: 'rate_limit',
    };
  }

  /** Only the facts this policy reads: no gap, no gap query; no cap, no count. */
  private async gather(
    post: Post,
    run: RunRules,
    group: Group,
    policy: EffectivePolicy,
    now: Date,
  ): Promise<PolicyHistory> {
    const capped = policy.dailyCap !== null || (post.promotional && policy.promoCap !== null);
    const earlierStepStillLate =
      isLate(post, now) && run.catchUp === 'skip' ? await this.history.earlierStepStillLate(post) : null;
    // The blocker first, the sends after: a post that stopped blocking because it was just sent must
    // then count in the gap and the caps. Read the other way round, two workers could both send.
    const blocker = await this.history.blocker(post);
    const [lastSentAt, sentToday, receivedInWindow] = await Promise.all([
      policy.minGapMinutes > 0 ? this.history.lastSentAt(group.id) : null,
      capped ? this.history.sentSince(group.id, localDay(now, group.timezone).start) : { total: 0, promotional: 0 },
      policy.receiveCap ? this.history.receivedSince(group.id, capWindow(policy.receiveCap, now).start) : 0,
    ]);
    return {
      run,
      earlierStepStillLate,
      blocker: blocker && {
        id: blocker.id,
        readyAt: blocker.notBefore ?? blocker.dueAt,
        holdCode: blocker.holdCode,
        deferReason: blocker.deferReason,
      },
      lastSentAt,
      sentToday,
      receivedInWindow,
    };
  }
}
