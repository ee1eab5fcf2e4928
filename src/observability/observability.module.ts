import { Global, Module } from '@nestjs/common';
import { Metrics } from './metrics';
import { MetricsController } from './metrics.controller';
import { MetricsPort } from './metrics-port';
import { QueueDepth } from './queue-depth';
import { WatchedQueues } from './watched-queues';

/** Prometheus metrics for every role, and the queues Bull Board and the depth gauge look into. */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [Metrics, WatchedQueues, QueueDepth, MetricsPort],
  exports: [Metrics, WatchedQueues, MetricsPort],
})
export class ObservabilityModule {}
