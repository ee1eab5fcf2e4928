import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Job, Queue } from 'bullmq';
import { RedisClient } from '../redis/redis-client';
import { hostname } from 'node:os';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { JobName, JobOf, QueueName } from '../queues/queue-names';
import { REDIS } from '../redis/redis.module';
import { HEARTBEAT_KEY, Heartbeat } from './heartbeat';

type SystemJob = Job<JobOf<typeof QueueName.System, 'heartbeat'>, void, JobName<typeof QueueName.System>>;

/**
 * A scheduled job that travels the whole path (Redis → BullMQ → worker) and leaves a timestamp,
 * so health checks can tell that some worker is consuming.
 */
@Processor(QueueName.System)
export class HeartbeatProcessor extends WorkerHost implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(HeartbeatProcessor.name);
  private readonly workerId = `${hostname()}:${process.pid}`;
  private timer?: NodeJS.Timeout;

  constructor(
    @InjectQueue(QueueName.System) private readonly queue: Queue,
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.schedule();
    // Upserting is idempotent; doing it again brings the heartbeat back after Redis lost its keys.
    this.timer = setInterval(
      () => void this.schedule().catch((e: Error) => this.logger.warn(`heartbeat schedule: ${e.message}`)),
      this.config.workerHeartbeatMs * 4,
    );
    this.logger.log(`worker ${this.workerId} ready`);
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private async schedule(): Promise<void> {
    await this.queue.upsertJobScheduler(
      'heartbeat',
      { every: this.config.workerHeartbeatMs },
      { name: 'heartbeat', data: {}, opts: { removeOnComplete: true, removeOnFail: 10 } },
    );
  }

  async process(job: SystemJob): Promise<void> {
    if (job.name !== 'heartbeat') throw new Error(`unknown job ${job.name} on ${QueueName.System}`);
    const beat: Heartbeat = { at: new Date().toISOString(), worker: this.workerId };
    await this.redis.set(HEARTBEAT_KEY, JSON.stringify(beat), 'PX', this.config.workerHeartbeatMs * 4);
  }
}
