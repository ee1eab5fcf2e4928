import { randomUUID } from 'node:crypto';
import { RunLifecycle } from '../../src/campaigns/run-lifecycle.service';
import { AppConfig } from '../../src/config/app-config';
import { ClickRecorder } from '../../src/links/click-recorder.service';
import { Metrics } from '../../src/observability/metrics';
import { PostCreation } from '../../src/posts/lifecycle/post-creation.service';
import { PostPurge } from '../../src/posts/lifecycle/post-purge.service';
import { NewPost } from '../../src/posts/lifecycle/post-types';
import { Retention } from '../../src/retention/retention.service';
import { MediumContext } from './medium-context';

export type SeedPost = Partial<Omit<NewPost, 'runId' | 'routineId'>>;

export interface SeedRun {
  id: string;
  /** Posts written for it: `queueBefore` decides which are queued at once. */
  posts(rows: SeedPost[], queueBefore?: Date): Promise<NewPost[]>;
}

/** A run as a launch writes it (its campaign and content need not exist: posts keep ids only). */
export async function seedRun(
  ctx: MediumContext,
  options: { startAt?: Date; blackoutMode?: 'skip' | 'shift'; catchUp?: 'spread' | 'skip' | null } = {},
): Promise<SeedRun> {
  const id = randomUUID();
  const runs = ctx.get(RunLifecycle);
  await ctx.db.transaction((manager) =>
    runs.create(
      manager,
      {
        id,
        campaignId: randomUUID(),
        audience: { groupIds: [], tags: [] },
        startAt: options.startAt ?? new Date(),
        maxLatenessMinutes: null,
        confirmDeadlineMinutes: null,
        blackoutMode: options.blackoutMode ?? 'shift',
        catchUp: options.catchUp ?? null,
        capMode: 'wait',
        keepSteps: null,
        pinRevisions: false,
        idempotencyKey: null,
        requestHash: null,
        postCount: 0,
        evergreen: false,
      },
      [],
      new Date(),
    ),
  );
  return {
    id,
    posts: async (rows, queueBefore = new Date(0)) => {
      const posts: NewPost[] = rows.map((row, step) => ({
        id: randomUUID(),
        step,
        stage: 'educate',
        groupId: randomUUID(),
        channelType: 'webhook',
        contentId: randomUUID(),
        revision: 1,
        promotional: false,
        dueAt: new Date(),
        ...row,
        runId: id,
      }));
      const lifecycle = ctx.get(PostCreation);
      const queued = await ctx.db.transaction((manager) => lifecycle.create(manager, posts, queueBefore));
      await lifecycle.enqueue(queued);
      return posts;
    },
  };
}

export interface PostRow {
  id: string;
  status: string;
  notBefore: Date | null;
  deferReason: string | null;
  holdCode: string | null;
  attempts: number;
  partsSent: number;
  error: string | null;
  errorCode: string | null;
  sentAt: Date | null;
}

/** Posts as the database holds them, in the order of `ids`. */
export async function postRows(ctx: MediumContext, ids: string[]): Promise<PostRow[]> {
  const rows = (await ctx.db.query(
    `SELECT id, status, not_before AS notBefore, defer_reason AS deferReason, hold_code AS holdCode, attempts, parts_sent AS partsSent,
            error, error_code AS errorCode, sent_at AS sentAt FROM posts WHERE id IN (?)`,
    [ids],
  )) as PostRow[];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id)!);
}

export async function statuses(ctx: MediumContext, ids: string[]): Promise<string[]> {
  return (await postRows(ctx, ids)).map((r) => r.status);
}

export async function runStatus(ctx: MediumContext, runId: string): Promise<string> {
  const [row] = (await ctx.db.query('SELECT status FROM runs WHERE id = ?', [runId])) as { status: string }[];
  return row.status;
}

/** The leader's purge on this context's services (the worker role is not loaded); `sweep` is driven by hand. */
export function retentionFor(ctx: MediumContext, config: AppConfig = ctx.config): Retention {
  return new Retention(ctx.db, config, ctx.get(PostPurge), ctx.get(ClickRecorder), ctx.get(Metrics));
}
