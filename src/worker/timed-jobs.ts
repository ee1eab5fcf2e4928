import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { Confirmations } from '../delivery/confirmations.service';
import { ExternalOutcomes } from '../delivery/external-outcomes.service';
import { OutageBacklog } from '../delivery/outage-backlog';
import { GroupSyncs } from '../groups/sync/group-syncs.service';
import { Retention } from '../retention/retention.service';
import { Leadership } from '../system/leadership';
import { SchedulerTick } from './scheduler-tick.service';

/** How often writes the database could not take are offered again. */
const OWED_WRITES_MS = 1000;

interface TimedJob {
  name: string;
  /** How the log line of a failed run begins (operators alert on these words). */
  failure: string;
  everyMs: number;
  work: () => Promise<unknown>;
  /** Only in the process that holds the scheduler's lease: work two workers must not do twice. */
  leaderOnly?: boolean;
  /** How a failed run is logged; the job carries on at its next interval. */
  level?: 'error' | 'warn';
}

/**
 * Every timed job of the worker, registered with @nestjs/schedule's registry at intervals from the
 * configuration: never two runs of one job at once, the leader's jobs only while this process
 * holds the lease (the tick takes and extends it). At shutdown no run starts, the runs in hand are
 * waited for, and the lease is given back.
 */
@Injectable()
export class TimedJobs implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(TimedJobs.name);
  private readonly running = new Map<string, Promise<void>>();
  private readonly names: string[] = [];
  private stopping = false;

  constructor(
    private readonly registry: SchedulerRegistry,
    private readonly leadership: Leadership,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tick: SchedulerTick,
    private readonly external: ExternalOutcomes,
    private readonly confirmations: Confirmations,
    private readonly retention: Retention,
    private readonly backlog: OutageBacklog,
    private readonly groupSyncs: GroupSyncs,
  ) {}

  onApplicationBootstrap(): void {
    const tickMs = this.config.schedulerTickMs;
    this.add({
      name: 'scheduler-tick',
      failure: 'scheduler tick failed',
      everyMs: tickMs,
      work: () => this.tick.tick(),
    });
    this.add({
      name: 'external-outcomes',
      failure: 'external outcomes',
      everyMs: tickMs,
      leaderOnly: true,
      work: () => this.external.reconcile(),
    });
    this.add({
      name: 'confirmations',
      failure: 'confirmations',
      everyMs: tickMs,
      leaderOnly: true,
      work: () => this.confirmations.reconcile(),
    });
    this.add({
      name: 'group-syncs',
      failure: 'group sync failed',
      everyMs: tickMs,
      leaderOnly: true,
      work: () => this.groupSyncs.runDue(),
    });
    if (this.config.retentionDays > 0)
      this.add({
        name: 'retention',
        failure: 'retention sweep failed',
        everyMs: this.config.retentionSweepMs,
        leaderOnly: true,
        work: () => this.retention.sweep(new Date(), () => this.leadership.holds()),
      });
    this.add({
      name: 'owed-writes',
      failure: 'writes still owed to the database',
      everyMs: OWED_WRITES_MS,
      level: 'warn',
      work: () => this.backlog.retry(),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    // @nestjs/schedule clears its registry at shutdown too, perhaps first.
    for (const name of this.names) if (this.registry.doesExist('interval', name)) this.registry.deleteInterval(name);
    await Promise.all(this.running.values());
    await this.leadership.release();
  }

  private add({ name, failure, everyMs, work, leaderOnly = false, level = 'error' }: TimedJob): void {
    const timer = setInterval(() => {
      if (this.stopping || this.running.has(name)) return;
      if (leaderOnly && !this.leadership.holds()) return;
      const run = work()
        .then(() => undefined)
        .catch((error: Error) => this.logger[level](`${failure}: ${error.message}`))
        .finally(() => this.running.delete(name));
      this.running.set(name, run);
    }, everyMs);
    this.registry.addInterval(name, timer);
    this.names.push(name);
  }
}
