import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, OnApplicationBootstrap } from '@nestjs/common';
import { Job } from 'bullmq';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { DeliverJob, POST_QUEUES } from '../queues/queue-names';
import { DeliveryService } from '../delivery/delivery.service';

/** Every post queue is worked the same way; only the queue differs. */
abstract class PostProcessor extends WorkerHost implements OnApplicationBootstrap {
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

@Processor(POST_QUEUES.console)
export class ConsolePostProcessor extends PostProcessor {}
@Processor(POST_QUEUES.webhook)
export class WebhookPostProcessor extends PostProcessor {}
@Processor(POST_QUEUES.wecom)
export class WecomPostProcessor extends PostProcessor {}
@Processor(POST_QUEUES.dingtalk)
export class DingtalkPostProcessor extends PostProcessor {}
@Processor(POST_QUEUES.feishu)
export class FeishuPostProcessor extends PostProcessor {}
@Processor(POST_QUEUES.slack)
export class SlackPostProcessor extends PostProcessor {}
@Processor(POST_QUEUES.telegram)
export class TelegramPostProcessor extends PostProcessor {}
@Processor(POST_QUEUES.external)
export class ExternalPostProcessor extends PostProcessor {}

export const POST_PROCESSORS = [
  ConsolePostProcessor,
  WebhookPostProcessor,
  WecomPostProcessor,
  DingtalkPostProcessor,
  FeishuPostProcessor,
  SlackPostProcessor,
  TelegramPostProcessor,
  ExternalPostProcessor,
];
