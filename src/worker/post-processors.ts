import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, OnApplicationBootstrap, Type } from '@nestjs/common';
import { Job } from 'bullmq';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { CHANNEL_TYPES } from '../providers/channel-types';
import { DeliverJob, POST_QUEUES } from '../queues/queue-names';
import { DeliveryService } from '../delivery/delivery.service';

/** Every post queue is worked the same way; only the queue differs. */
class PostProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly delivery: DeliveryService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.workerConcurrency;
  }

  process(job: Job<DeliverJob>, token?: string): Promise<void> {
    return this.delivery.deliver(job, token);
  }
}

/** One processor class per post queue: BullMQ's decorator names its queue on a class. */
export const POST_PROCESSORS: Type<PostProcessor>[] = CHANNEL_TYPES.map((type) => {
  const processor = class extends PostProcessor {};
  Object.defineProperty(processor, 'name', { value: `${type[0].toUpperCase()}${type.slice(1)}PostProcessor` });
  Processor(POST_QUEUES[type])(processor);
  return processor;
});
