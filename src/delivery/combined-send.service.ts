import { Injectable } from '@nestjs/common';
import { setTimeout } from 'node:timers/promises';
import { ChannelDefinition, OutgoingMessage, SendTarget } from '../providers/adapter';
import { SendResult } from '../providers/outcomes';
import { Group } from '../groups/group.entity';
import { GroupDirectory } from '../groups/group-directory.service';
import { LinkTracker } from '../links/link-tracker.service';
import { PolicyGate } from '../policy/policy-gate.service';
import { PostClaims } from '../posts/lifecycle/post-claims.service';
import { Attempt, ClaimedPost, DueTogether } from '../posts/lifecycle/post-types';
import { mapYielding } from '../common/yielding';
import { nextStep } from './next-step';
import { OutageBacklog } from './outage-backlog';
import { HeldJob, SendRules, SendSettlement } from './send-settlement.service';
import { PostOutcomes } from '../posts/lifecycle/post-outcomes.service';

/**
 * How long the first of an owner's posts due together waits for the others to step aside while none
 * does, and how long the others wait for it: long enough for a task of 2,000 groups to be put
 * together, their jobs held meanwhile rather than taking their posts back and forth (the first
 * settles them; a post it gives back is woken at once).
 */
const GATHER_WAIT_MS = 5000;
const GATHER_MAX_MS = 30_000;
const GATHER_POLL_MS = 50;
/** A post that went along in a message that failed for a while tries again on its own after this. */
const COMPANION_RETRY_MS = 30_000;

/** A post that goes in another post's message: the same text to another group of the same owner. */
export interface Companion {
  post: ClaimedPost;
  group: Group;
  target: SendTarget;
}

/**
 * Posts due together to groups of one owner (a WeCom customer-group owner's mass message) go in
 * one message, sent by the first of them; the others go along and are recorded with it.
 */
@Injectable()
export class CombinedSend {
  constructor(
    private readonly claims: PostClaims,
    private readonly outcomes: PostOutcomes,
    private readonly groups: GroupDirectory,
    private readonly links: LinkTracker,
    private readonly gate: PolicyGate,
    private readonly settlement: SendSettlement,
    private readonly backlog: OutageBacklog,
  ) {}

  /**
   * The posts that go along with this one. When another post sends them all, this one's job waits
   * a moment for it (it goes in that message, or on its own if it did not fit).
   */
  async gather(
    held: HeldJob,
    post: ClaimedPost,
    group: Group & { owner: string },
    message: OutgoingMessage,
    definition: ChannelDefinition,
  ): Promise<Companion[]> {
    const due = await this.claims.dueTogether(post, group);
    if (due.head !== post.id) {
      const until = new Date(Date.now() + GATHER_MAX_MS);
      return this.settlement.holdJob(held, post, until, { code: 'goes_with', reason: `goes with post ${due.head}` });
    }
    return this.companions(post, group, due, message, definition);
  }

  /** What a message sent for several posts did, recorded on each post that went along (its own job, if still queued, finds it settled). */
  async settleCompanions(together: Companion[], result: SendResult, attempt: Attempt, rules: SendRules): Promise<void> {
    for (const companion of together) {
      await this.backlog.owe(() => this.outcomes.recordAttempt({ postId: companion.post.id, ...attempt }));
      await this.settleCompanion(companion, result, rules);
    }
  }

  /**
   * The queued posts due with this one to other active groups of its owner that say exactly the
   * same (short links, which name each post, keep posts apart), claimed and let through by the
   * policy gate; a post the gate holds back waits or is skipped as it would on its own.
   */
  private async companions(
    post: ClaimedPost,
    group: Group & { owner: string },
    due: DueTogether,
    message: OutgoingMessage,
    definition: ChannelDefinition,
  ): Promise<Companion[]> {
    // The others' jobs may hold their posts this moment: give them time to step aside, as long as they do.
    const end = Date.now() + GATHER_MAX_MS;
    let stalledAfter = Date.now() + GATHER_WAIT_MS;
    let together = due;
    while (together.sending > 0 && Date.now() < Math.min(stalledAfter, end)) {
      await setTimeout(GATHER_POLL_MS);
      const before = together.sending;
      together = await this.claims.dueTogether(post, group);
      if (together.sending < before) stalledAfter = Date.now() + GATHER_WAIT_MS;
    }
    // Claimed first, in one go: a task names up to 2,000 groups, and while it is put together their
    // own jobs must find them taken. One that turns out to say something else is given back.
    const claimed = (
      await Promise.all(together.queued.slice(0, (definition.combines ?? 1) - 1).map(({ id }) => this.claims.claim(id)))
    ).filter((c): c is ClaimedPost => c !== null);
    const decided = await mapYielding(claimed, async (other) => {
      const { group: to, target } = await this.groups.deliveryTarget(other.groupId);
      const texts = await this.links.texts(other, to, target.channel.config.trackLinks === true);
      if (!sameMessage(texts, message)) {
        await this.claims.giveBack(other);
        return null;
      }
      return {
        post: other,
        group: to,
        target,
        decision: await this.gate.decide(other, other.run, to, definition, target),
      };
    });
    const companions: Companion[] = [];
    for (const entry of decided) {
      if (!entry) continue;
      const { decision, ...companion } = entry;
      if (decision.action === 'skip') await this.settlement.skip(companion.post, decision.reason);
      else if (decision.action === 'defer') await this.settlement.hold(companion.post, decision.until, decision);
      else companions.push(companion);
    }
    return companions;
  }

  private async settleCompanion({ post, group }: Companion, result: SendResult, rules: SendRules): Promise<void> {
    const progress = { attempts: post.attempts + 1, partsSent: Math.max(post.partsSent, result.partsSent) };
    const next = nextStep(result, { lastAttempt: false, retrySafe: rules.retrySafe, now: new Date() });
    if (next.kind === 'wait')
      return this.settlement.hold(post, next.until, { code: 'provider_rate', reason: next.reason }, progress);
    if (next.kind === 'retry' || (next.kind === 'failed' && !next.final)) {
      const until = new Date(Date.now() + COMPANION_RETRY_MS);
      return this.settlement.hold(post, until, { code: 'retry', reason: next.reason }, progress);
    }
    return this.settlement.end(post, group, next, progress, rules.breakerFailures);
  }
}

function sameMessage(a: Omit<OutgoingMessage, 'id' | 'group'>, b: Omit<OutgoingMessage, 'id' | 'group'>): boolean {
  return (
    a.title === b.title &&
    a.text === b.text &&
    a.markdown === b.markdown &&
    (a.link ?? null) === (b.link ?? null) &&
    JSON.stringify(a.images ?? []) === JSON.stringify(b.images ?? [])
  );
}
