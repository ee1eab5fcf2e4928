import { Injectable, OnModuleInit } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { Metrics } from './metrics';
import { WatchedQueues } from './watched-queues';

const STATES = ['waiting', 'active', 'delayed', 'failed', 'prioritized'] as const;

/** Jobs per queue and state, read from Redis when Prometheus scrapes. */
@Injectable()
export class QueueDepth implements OnModuleInit {
  constructor(
    private readonly metrics: Metrics,
    private readonly queues: WatchedQueues,
  ) {}

  onModuleInit(): void {
    const queues = this.queues;
    new Gauge({
      name: 'groupcast_queue_jobs',
      help: 'Jobs in each queue by state (delayed: deferred or not yet due), read at scrape',
      labelNames: ['queue', 'state'] as const,
      registers: [this.metrics.registry],
      async collect() {
        this.reset();
        for (const queue of await queues.all()) {
          const counts = await queue.getJobCounts(...STATES);
          for (const state of STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
        }
      },
    });
  }
}
