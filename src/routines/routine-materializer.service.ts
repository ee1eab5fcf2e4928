import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { PostCreation } from '../posts/lifecycle/post-creation.service';
import { NewPost } from '../posts/lifecycle/post-types';
import { KindRegistry } from '../templates/kind-registry.service';
import { SlotRow } from './assign';
import { RoutinePlanner } from './routine-planner.service';
import { Routine } from './routine.entity';
import { RoutinesService } from './routines.service';

/** After an outage, slots at most this far back are still looked at (and recorded as missed). */
const LOOK_BACK_MS = 86_400_000;
/** A slot found this long after its time was missed: recorded as skipped, not sent late. */
const MISSED_MS = 10 * 60_000;

/**
 * Turns each active routine's slots within the scheduler's horizon into posts, once: a slot
 * already written stays as it is, so a second tick or a second leader makes no double.
 */
@Injectable()
export class RoutineMaterializer {
  private readonly logger = new Logger(RoutineMaterializer.name);

  constructor(
    @InjectRepository(Routine) private readonly routines: Repository<Routine>,
    private readonly planner: RoutinePlanner,
    private readonly writer: RoutinesService,
    private readonly posts: PostCreation,
    private readonly kinds: KindRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Returns how many slots it wrote. */
  async materialize(now = new Date()): Promise<number> {
    const to = new Date(now.getTime() + this.config.schedulerHorizonMs);
    let written = 0;
    for (const routine of await this.routines.findBy({ status: 'active' })) {
      const from = new Date(
        Math.max(routine.materializedUntil?.getTime() ?? now.getTime(), now.getTime() - LOOK_BACK_MS),
      );
      if (from >= to) continue;
      try {
        const rows = await this.planner.slots(routine, from, to);
        await this.posts.createSlots(rows.map((row) => this.post(routine, row, now)));
        await this.writer.materializedUpTo(routine.id, to);
        written += rows.length;
      } catch (error) {
        // One routine's trouble (a piece gone, say) must not hold up the others.
        this.logger.error(`routine ${routine.id}: ${(error as Error).message}`);
      }
    }
    return written;
  }

  private post(routine: Routine, row: SlotRow, now: Date): NewPost {
    const missed = row.dueAt.getTime() < now.getTime() - MISSED_MS;
    const promotional = this.kinds.isPromotional(routine.stage, row.piece?.kind ?? null);
    return {
      id: randomUUID(),
      routineId: routine.id,
      step: 0,
      stage: routine.stage,
      groupId: row.groupId,
      channelType: row.channelType,
      contentId: row.piece?.id ?? null,
      revision: row.piece?.revision ?? null,
      promotional,
      dueAt: row.dueAt,
      ...(row.reason !== null
        ? { skipped: { code: 'no_content', reason: row.reason } }
        : missed
          ? {
              skipped: {
                code: 'missed',
                reason: `missed: the scheduler was not running at ${row.dueAt.toISOString()}`,
              },
            }
          : {}),
    };
  }
}
