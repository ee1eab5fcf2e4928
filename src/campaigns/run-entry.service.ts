import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { ContentCatalog } from '../content/content-catalog.service';
import { PostCreation } from '../posts/lifecycle/post-creation.service';
import { NewPost } from '../posts/lifecycle/post-types';
import { KindRegistry } from '../templates/kind-registry.service';
import { RunStep, Starter, StepPlan, stepPosts } from './step-posts';

/** What a run's posts are made of: its steps, and each step piece's live revision. */
export type RunSource = Pick<StepPlan, 'steps' | 'published'>;

/** A run's rules for posts already late when their group enters it. */
export type EntryRules = Pick<StepPlan, 'catchUp' | 'overdueBefore' | 'overdueReason'>;

/**
 * Groups entering a run, the one way: at launch, when a group joins an evergreen run, and in a
 * plan (which writes nothing). One post per step for each group, due in its zone from its own
 * start, pinned to the step piece's live revision, promotional by the one rule; written in the
 * caller's transaction, and those due within the scheduler's horizon queued at once.
 */
@Injectable()
export class RunEntry {
  private readonly logger = new Logger(RunEntry.name);

  constructor(
    private readonly catalog: ContentCatalog,
    private readonly kinds: KindRegistry,
    private readonly creation: PostCreation,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async source(steps: RunStep[]): Promise<RunSource> {
    return { steps, published: await this.catalog.publishedRevisions([...new Set(steps.map((s) => s.contentId))]) };
  }

  posts(runId: string, source: RunSource, rules: EntryRules, groups: Starter[]): NewPost[] {
    return stepPosts(
      { runId, ...source, ...rules, isPromotional: (stage, kind) => this.kinds.isPromotional(stage, kind) },
      groups,
    );
  }

  /** Writes the posts in `manager`'s transaction; returns those queued now, for `enqueue` once it commits. */
  write(manager: EntityManager, posts: NewPost[]): Promise<NewPost[]> {
    return this.creation.create(manager, posts, new Date(Date.now() + this.config.schedulerHorizonMs));
  }

  /** Jobs for posts written as queued; if Redis fails here, the tick's recovery gives them jobs. */
  async enqueue(runId: string, queued: NewPost[]): Promise<void> {
    await this.creation
      .enqueue(queued)
      .catch((error: Error) => this.logger.warn(`run ${runId}: jobs left to recovery: ${error.message}`));
  }
}
