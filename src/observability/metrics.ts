import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Seconds buckets for provider calls and HTTP requests (5 ms … 30 s). */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Seconds buckets for how late a post went out (0.1 s … 6 h). */
const LATENESS_BUCKETS = [0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600, 21600];

/** Label values come from provider answers; bounded so that one odd answer cannot make a new series each time. */
const label = (value: string | null | undefined) => (value ?? '').slice(0, 64);

/**
 * The process's Prometheus registry and every instrument groupcast keeps. Counters and histograms
 * are filled where things happen (delivery, the policy gate, the scheduler, HTTP); gauges that
 * read state (queue depth) are registered by their owners and read at scrape.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();

  readonly transitions = new Counter({
    name: 'groupcast_post_transitions_total',
    help: 'Posts that delivery moved to a status, by the status, channel type and stage',
    labelNames: ['status', 'channel_type', 'stage'] as const,
    registers: [this.registry],
  });

  readonly deferrals = new Counter({
    name: 'groupcast_post_deferrals_total',
    help: 'Posts held back for later, by reason and channel type',
    labelNames: ['reason', 'channel_type'] as const,
    registers: [this.registry],
  });

  readonly sendLatency = new Histogram({
    name: 'groupcast_send_latency_seconds',
    help: 'How long a send to the provider took, by channel type and outcome',
    labelNames: ['channel_type', 'outcome'] as const,
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });

  readonly lateness = new Histogram({
    name: 'groupcast_send_lateness_seconds',
    help: 'How long after its due time a post was sent, by channel type and stage',
    labelNames: ['channel_type', 'stage'] as const,
    buckets: LATENESS_BUCKETS,
    registers: [this.registry],
  });

  readonly providerAnswers = new Counter({
    name: 'groupcast_provider_answers_total',
    help: 'Provider answers to sends, by channel type, outcome (ok, rate, transient, permanent, ambiguous, moved) and code',
    labelNames: ['channel_type', 'outcome', 'code'] as const,
    registers: [this.registry],
  });

  readonly limiterWaits = new Histogram({
    name: 'groupcast_limiter_wait_seconds',
    help: 'Waits the provider rate limiter imposed on a send, by channel type (the count is the number of waits)',
    labelNames: ['channel_type'] as const,
    buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60],
    registers: [this.registry],
  });

  readonly breakerTrips = new Counter({
    name: 'groupcast_breaker_trips_total',
    help: 'Groups paused by their circuit breaker after failed sends in a row, by channel type',
    labelNames: ['channel_type'] as const,
    registers: [this.registry],
  });

  readonly retentionBatch = new Histogram({
    name: 'groupcast_retention_batch_seconds',
    help: 'How long each purge batch held its rows locked, to its commit (one transaction: roll up, then delete)',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [this.registry],
  });

  readonly retentionPurged = new Counter({
    name: 'groupcast_retention_posts_purged_total',
    help: 'Finished posts older than RETENTION_DAYS purged, with their attempts, deferrals and clicks',
    registers: [this.registry],
  });

  readonly schedulerTick = new Histogram({
    name: 'groupcast_scheduler_tick_seconds',
    help: "Duration of the scheduler's ticks this process ran as leader",
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });

  readonly schedulerLeader = new Gauge({
    name: 'groupcast_scheduler_leader',
    help: "1 while this process holds the scheduler's leader lock",
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'groupcast_http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** A post delivery moved to `status`. */
  transition(post: { channelType: string; stage: string }, status: string): void {
    this.transitions.inc({ status, channel_type: post.channelType, stage: post.stage });
  }

  deferral(post: { channelType: string; stage: string }, reason: string): void {
    this.deferrals.inc({ reason, channel_type: post.channelType });
    this.transition(post, 'deferred');
  }

  answer(channelType: string, outcome: string, code: string | null, latencyMs: number): void {
    this.providerAnswers.inc({ channel_type: channelType, outcome, code: label(code) });
    this.sendLatency.observe({ channel_type: channelType, outcome }, latencyMs / 1000);
  }

  sent(post: { channelType: string; stage: string; dueAt: Date }, sentAt: Date): void {
    this.transition(post, 'sent');
    const late = Math.max(0, sentAt.getTime() - post.dueAt.getTime()) / 1000;
    this.lateness.observe({ channel_type: post.channelType, stage: post.stage }, late);
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
