import { getQueueToken } from '@nestjs/bullmq';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { JobsOptions, Queue } from 'bullmq';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { CHANNEL_TYPES, ChannelType } from '../providers/channel-types';
import { DeliverJob, POST_QUEUES } from '../queues/queue-names';

export interface QueuedPost {
  id: string;
  channelType: ChannelType;
  /** When the job may run: the due time, or later for a deferred post. */
  readyAt: Date;
}

/** The post queues, one per channel type; a post's job id is the post id, so adding twice is harmless. */
const ENQUEUE_SLICE = 2000;

@Injectable()
export class PostQueues implements OnModuleInit {
  private queues!: Record<ChannelType, Queue<DeliverJob>>;

  constructor(
    private readonly moduleRef: ModuleRef,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Looked up once every provider exists: the queues are not constructor dependencies. */
  onModuleInit(): void {
    this.queues = Object.fromEntries(
      CHANNEL_TYPES.map((type) => [
        type,
        this.moduleRef.get<Queue<DeliverJob>>(getQueueToken(POST_QUEUES[type]), { strict: false }),
      ]),
    ) as Record<ChannelType, Queue<DeliverJob>>;
  }

  jobOptions(id: string, readyAt: Date): JobsOptions {
    return {
      jobId: id,
      delay: Math.max(0, readyAt.getTime() - Date.now()),
      attempts: this.config.maxAttempts,
      backoff: { type: 'exponential', delay: this.config.retryBaseMs, jitter: 0.5 },
      // MySQL keeps the record of every post and attempt; Redis keeps only what is still to run.
      removeOnComplete: true,
      removeOnFail: true,
    };
  }

  async enqueue(posts: QueuedPost[]): Promise<void> {
    for (const type of CHANNEL_TYPES) {
      const batch = posts.filter((p) => p.channelType === type);
      // In slices: a launch of 100,000 posts would otherwise hold 100,000 jobs and their commands at once.
      for (let i = 0; i < batch.length; i += ENQUEUE_SLICE) {
        await this.queues[type].addBulk(
          batch
            .slice(i, i + ENQUEUE_SLICE)
            .map((p) => ({ name: 'deliver', data: { postId: p.id }, opts: this.jobOptions(p.id, p.readyAt) })),
        );
      }
    }
  }

  async has(post: { id: string; channelType: ChannelType }): Promise<boolean> {
    return (await this.queues[post.channelType].getJob(post.id)) !== undefined;
  }

  /** Delayed jobs run now: their posts were held for a reason that has gone. */
  async promote(posts: { id: string; channelType: ChannelType }[]): Promise<void> {
    await Promise.all(
      posts.map(async (p) => {
        const job = await this.queues[p.channelType].getJob(p.id);
        if (job && (await job.isDelayed())) await job.promote().catch(() => undefined);
      }),
    );
  }

  /** Removes waiting or delayed jobs; a job already running is left to find its post cancelled. */
  async remove(posts: { id: string; channelType: ChannelType }[]): Promise<void> {
    await Promise.all(posts.map((p) => this.queues[p.channelType].remove(p.id).catch(() => 0)));
  }
}
