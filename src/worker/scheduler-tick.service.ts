import { Inject, Injectable } from '@nestjs/common';
import { RunEnrolment } from '../campaigns/run-enrolment.service';
import { RunLifecycle } from '../campaigns/run-lifecycle.service';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { Metrics } from '../observability/metrics';
import { PostCreation } from '../posts/lifecycle/post-creation.service';
import { RoutineMaterializer } from '../routines/routine-materializer.service';
import { Leadership } from '../system/leadership';

/** Every this many ticks, look for posts whose job was lost and runs that are done. */
const RECOVERY_EVERY_TICKS = 5;
/** Every this many ticks (the first included), make the routines' slots within the horizon into posts. */
const ROUTINES_EVERY_TICKS = 5;
/** A queued post this far past its time without a job has lost it. */
const RECOVERY_GRACE_MS = 5000;

/**
 * About once a second (a timed job, timed-jobs.ts), one leader at a time: start runs whose time came, take groups into (and
 * out of) evergreen runs, make routine slots
 * within the horizon into posts, move posts due within the horizon into their queues (job id =
 * post id), re-enqueue posts whose job was lost, close finished runs. It only enqueues; workers
 * do the sending.
 */
@Injectable()
export class SchedulerTick {
  private ticks = 0;

  constructor(
    private readonly leadership: Leadership,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly runs: RunLifecycle,
    private readonly enrolment: RunEnrolment,
    private readonly posts: PostCreation,
    private readonly routines: RoutineMaterializer,
    private readonly metrics: Metrics,
  ) {}

  /** Takes or extends the lease, and leads when it holds it: the lease the other leader-only jobs look at. */
  async tick(): Promise<void> {
    const leading = await this.leadership.lead();
    this.metrics.schedulerLeader.set(leading ? 1 : 0);
    if (!leading) return;
    const done = this.metrics.schedulerTick.startTimer();
    try {
      await this.leaderTick();
    } finally {
      done();
    }
  }

  private async leaderTick(): Promise<void> {
    this.ticks++;
    await this.runs.startDue();
    await this.enrolment.follow();
    if (this.ticks % ROUTINES_EVERY_TICKS === 1) await this.routines.materialize();
    await this.posts.queueDue(new Date(Date.now() + this.config.schedulerHorizonMs));
    if (this.ticks % RECOVERY_EVERY_TICKS === 0) {
      await this.posts.recover(RECOVERY_GRACE_MS);
      await this.runs.completeFinished();
    }
  }
}
