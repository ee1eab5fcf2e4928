import { Inject, Injectable, Logger } from '@nestjs/common';
import { RunStatus } from '../common/run-status';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { capWindow } from '../common/receive-cap';
import { quietHoursEnd } from '../policy/policy';
import { SendTarget, receiveCapOf } from '../providers/adapter';
import { WecomCustomerApi } from '../providers/wecom-customer/wecom-customer-api';
import { WECOM_CUSTOMER_GROUP } from '../providers/wecom-customer/wecom-customer.definition';
import { GroupDirectory } from '../groups/group-directory.service';
import { Metrics } from '../observability/metrics';
import { AwaitingPosts } from '../posts/lifecycle/awaiting-posts.service';
import { AwaitingPost } from '../posts/lifecycle/post-types';
import { PostStatus } from '../posts/post-status';

const BATCH = 100;
/** A task is looked at no less often than this, however long it has waited. */
const MAX_POLL_MS = 10 * 60_000;
/** When an owner is reminded of a task, in minutes after it was made, unless the channel says otherwise. */
export const DEFAULT_REMINDERS = [30, 120, 360];
/** WeCom takes at most 3 reminders of one task in 24 hours; groupcast sends at most 3 in all. */
export const MAX_REMINDERS = 3;
const DEFAULT_OWNER_QUIET = '22:00-08:00';
const DEFAULT_OWNER_ZONE = 'Asia/Shanghai';

/** What asking to remind an owner now did, task by task. */
export interface RemindOutcome {
  reminded: number;
  /** Tasks that had all the reminders they may have. */
  spent: number;
}

/**
 * Reads back the mass messages handed to WeCom customer groups' owners: confirmed → sent at the
 * time WeCom gives; held for the group's receive cap (status 3) → scheduled again for the cap's
 * next window; otherwise not delivered → failed with WeCom's status; the owner is reminded on the
 * channel's schedule (by default 30 min, 2 h and 6 h after the task was made, never in their quiet
 * hours, at most 3 times); at the deadline the task is withdrawn and the post expires. A task of a run
 * that was cancelled is withdrawn. Each post is looked at again later the longer it waits.
 */
@Injectable()
export class Confirmations {
  private readonly logger = new Logger(Confirmations.name);

  constructor(
    private readonly posts: AwaitingPosts,
    private readonly groups: GroupDirectory,
    private readonly api: WecomCustomerApi,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: Metrics,
  ) {}

  /** The leader's alone (worker/timed-jobs.ts): two workers would record each outcome twice. */
  async reconcile(now = new Date()): Promise<void> {
    for (const post of await this.posts.awaitingDue(BATCH, now)) {
      // One post's trouble (its group deleted, a bug) must not hold up the others behind it.
      await this.look(post, now).catch(async (error: Error) => {
        this.logger.warn({ postId: post.id }, `confirmation of post ${post.id}: ${error.message}`);
        await this.posts.lookAgain(post.id, new Date(now.getTime() + MAX_POLL_MS));
      });
    }
  }

  /**
   * Reminds the owner of each of their tasks not yet confirmed, now, whatever the schedule says
   * (an operator on the phone with them); a task that has had its 3 reminders is left alone.
   */
  async remindOwner(owner: string, now = new Date()): Promise<RemindOutcome> {
    const groups = await this.groups.ownedBy(owner);
    const outcome: RemindOutcome = { reminded: 0, spent: 0 };
    for (const task of await this.posts.tasksOf(groups)) {
      if (task.reminders >= MAX_REMINDERS) {
        outcome.spent++;
        continue;
      }
      const { target } = await this.groups.deliveryTarget(task.groupId);
      if (await this.remind(target, task.externalId, task.reminders, now)) outcome.reminded++;
    }
    return outcome;
  }

  /**
   * The task's next reminder, counted on every post waiting on it first: of the posts of one task
   * only the first to count it sends it. True when WeCom took it.
   */
  private async remind(target: SendTarget, externalId: string, had: number, at: Date): Promise<boolean> {
    if (!(await this.posts.remindedTask(externalId, at, had))) return false;
    const failed = await this.api.remind(target, externalId);
    if (failed) this.logger.warn(`reminding the owner of task ${externalId}: ${failed.reason ?? failed.kind}`);
    return !failed;
  }

  /** How a waiting post ends, counted as delivery's transitions are. */
  private async settle(post: AwaitingPost, outcome: Parameters<AwaitingPosts['settleAwaiting']>[1]): Promise<void> {
    await this.posts.settleAwaiting(post.id, outcome);
    if (outcome.status === PostStatus.Sent) this.metrics.sent(post, outcome.sentAt);
    else this.metrics.transition(post, outcome.status);
  }

  private async look(post: AwaitingPost, at: Date): Promise<void> {
    const { target } = await this.groups.deliveryTarget(post.groupId);
    const now = at.getTime();
    const waited = now - new Date(post.awaitingSince).getTime();
    const later = new Date(now + Math.min(MAX_POLL_MS, Math.max(this.config.confirmPollMs, waited / 4)));
    if (post.runStatus === RunStatus.Cancelled) {
      await this.api.cancel(target, post.externalId);
      return this.settle(post, {
        status: PostStatus.Cancelled,
        errorCode: 'cancelled',
        error: "its run was cancelled; the owner's task was withdrawn",
      });
    }
    const result = await this.api.sendResult(target, post.externalId);
    if ('kind' in result) {
      if (result.kind === 'permanent') {
        return this.settle(post, {
          status: PostStatus.Failed,
          errorCode: result.code,
          error: result.reason,
        });
      }
      return this.posts.lookAgain(post.id, later);
    }
    if (result.status === 1) {
      const sentAt = result.sendTime ? new Date(result.sendTime * 1000) : new Date();
      return this.settle(post, { status: PostStatus.Sent, sentAt });
    }
    const cap = receiveCapOf(WECOM_CUSTOMER_GROUP, target.channel.config);
    if (result.status === 3 && cap) {
      // The group had received its share of mass messages: the post waits for the next window.
      const window = capWindow(cap, new Date(now));
      return this.posts.holdAwaiting(post.id, window.next, {
        code: 'receive_cap',
        reason: `WeCom's receive cap of ${window.words} reached: WeCom did not deliver it (send status 3)`,
      });
    }
    if (result.status === 2 || result.status === 3) {
      return this.settle(post, {
        status: PostStatus.Failed,
        errorCode: `not_delivered_${result.status}`,
        error: `WeCom did not deliver it to the group (send status ${result.status})`,
      });
    }
    const deadline = post.deadlineMinutes === null ? this.config.confirmDeadlineMs : post.deadlineMinutes * 60_000;
    if (waited >= deadline) {
      await this.api.cancel(target, post.externalId);
      return this.settle(post, {
        status: PostStatus.Expired,
        errorCode: 'not_confirmed',
        error: `its owner ${target.address.sender} did not confirm it within ${Math.round(deadline / 60_000)} min; the task was withdrawn`,
      });
    }
    const since = new Date(post.awaitingSince).getTime();
    const settings = target.channel.config.reminders ?? {};
    const schedule = (settings.afterMinutes ?? DEFAULT_REMINDERS).slice(0, MAX_REMINDERS);
    const nextReminder = schedule[post.reminders];
    const remindAt = nextReminder === undefined ? Infinity : since + nextReminder * 60_000;
    if (now >= remindAt) {
      // Never in the owners' quiet hours: the reminder waits for their end (or the deadline).
      const quiet = settings.quietHours ?? DEFAULT_OWNER_QUIET;
      const quietEnd = quiet === 'off' ? undefined : quietHoursEnd(quiet, at, settings.zone ?? DEFAULT_OWNER_ZONE);
      if (quietEnd) return this.posts.lookAgain(post.id, new Date(Math.min(quietEnd.getTime(), since + deadline)));
      await this.remind(target, post.externalId, post.reminders, at);
      return this.posts.lookAgain(post.id, later);
    }
    return this.posts.lookAgain(post.id, new Date(Math.min(later.getTime(), remindAt, since + deadline)));
  }
}
