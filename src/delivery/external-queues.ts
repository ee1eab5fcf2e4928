import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { ConnectionOptions, Job, Queue } from 'bullmq';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { openExternalQueue } from '../queues/external-queue';
import { BULL_CONNECTION } from '../redis/redis.module';

/** What a consumer outside groupcast receives for each post: ids, the rendered message, never a secret. */
export interface ExternalPostJob {
  postId: string;
  runId: string | null;
  stage: string;
  dueAt: string;
  group: { id: string; name: string };
  address: Record<string, string>;
  message: { title: string; text: string; markdown: string; images: string[]; link: string | null };
}

export type ExternalState =
  | { state: 'pending' }
  | { state: 'missing' }
  | { state: 'completed'; externalId?: string; finishedAt: Date }
  | { state: 'failed'; errorName: string; reason: string };

/** The queues that external consumers work: `posts.external.<channel name>`. */
@Injectable()
export class ExternalQueues implements OnApplicationShutdown {
  private readonly queues = new Map<string, Queue<ExternalPostJob>>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(BULL_CONNECTION) private readonly connection: ConnectionOptions,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }

  private queue(channelName: string): Queue<ExternalPostJob> {
    let queue = this.queues.get(channelName);
    if (!queue) {
      queue = openExternalQueue<ExternalPostJob>(this.config, this.connection, channelName);
      this.queues.set(channelName, queue);
    }
    return queue;
  }

  async handoff(channelName: string, job: ExternalPostJob): Promise<void> {
    await this.queue(channelName).add('post', job, {
      jobId: job.postId,
      removeOnComplete: { age: 86_400 },
      removeOnFail: { age: 86_400 },
    });
  }

  /** Where the consumer has got with a post; the error name comes from its stack. */
  async state(channelName: string, postId: string): Promise<ExternalState> {
    const queue = this.queue(channelName);
    // The state first, then the job: read the other way round, a job that completed in between
    // would show as completed with the return value it did not have yet.
    const state = await queue.getJobState(postId);
    if (state === 'unknown') return { state: 'missing' };
    const job = await Job.fromId<ExternalPostJob>(queue, postId);
    if (!job) return { state: 'missing' };
    if (state === 'completed') {
      const value = job.returnvalue as { externalId?: unknown } | null;
      return {
        state: 'completed',
        externalId: value?.externalId === undefined ? undefined : String(value.externalId),
        finishedAt: new Date(job.finishedOn ?? Date.now()),
      };
    }
    if (state === 'failed') {
      // Node stacks start with "Name: message"; Python tracebacks end with it.
      const stack = job.stacktrace?.[job.stacktrace.length - 1] ?? '';
      const errorName = /^(RateLimited|Permanent)(:|$)/m.exec(stack)?.[1] ?? 'Error';
      return { state: 'failed', errorName, reason: job.failedReason ?? '' };
    }
    return { state: 'pending' };
  }

  async forget(channelName: string, postId: string): Promise<void> {
    await this.queue(channelName)
      .remove(postId)
      .catch(() => 0);
  }
}
