import { Inject, Injectable, Logger } from '@nestjs/common';
import { RunStatus } from '../common/run-status';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { capWindow } from '../common/receive-cap';
import { receiveCapOf } from '../providers/adapter';
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

/**
 * Reads back the mass messages handed to WeCom customer groups' owners: confirmed → sent at the
 * time WeCom gives; held for the group's receive cap (status 3) → scheduled again for the cap's
 * next window; otherwise not delivered → failed with WeCom's status; halfway to the deadline the owner
 * is reminded once; at the deadline the task is withdrawn and the post expires. A task of a run
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
  async reconcile(): Promise<void> {
    for (const post of await this.posts.awaitingDue(BATCH)) {
      // One post's trouble (its group deleted, a bug) must not hold up the others behind it.
      await this.look(post).catch(async (error: Error) => {
        this.logger.warn({ postId: post.id }, `confirmation of post ${post.id}: ${error.message}`);
        await this.posts.lookAgain(post.id, new Date(Date.now() + MAX_POLL_MS));
      });
    }
  }

  /** How a waiting post ends, counted as delivery's transitions are. */
  private async settle(post: AwaitingPost, outcome: Parameters<AwaitingPosts['settleAwaiting']>[1]): Promise<void> {
    await this.posts.settleAwaiting(post.id, outcome);
    if (outcome.status === PostStatus.Sent) this.metrics.sent(post, outcome.sentAt);
    else this.metrics.transition(post, outcome.status);
  }

  private async look(post: AwaitingPost): Promise<void> {
    const { target } = await this.groups.deliveryTarget(post.groupId);
    const now = Date.now();
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
    if (post.remindedAt === null && waited >= deadline / 2) {
      // One reminder per task, however many groups' posts wait on it: the first of them sends it.
      const now = new Date();
      if (await this.posts.remindedTask(post.externalId, now)) await this.api.remind(target, post.externalId);
      return this.posts.lookAgain(post.id, later, now);
    }
    return this.posts.lookAgain(
      post.id,
      new Date(Math.min(later.getTime(), new Date(post.awaitingSince).getTime() + deadline)),
    );
  }
}
