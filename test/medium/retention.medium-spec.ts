import { randomBytes, randomUUID } from 'node:crypto';
import { ChannelsService } from '../../src/groups/channels.service';
import { GroupsService } from '../../src/groups/groups.service';
import { ClickRecorder } from '../../src/links/click-recorder.service';
import { FunnelService } from '../../src/reports/funnel.service';
import { RunProgress } from '../../src/reports/run-progress.service';
import { PostHistory } from '../../src/posts/post-history.service';
import { PostOutcomes } from '../../src/posts/lifecycle/post-outcomes.service';
import { Retention } from '../../src/retention/retention.service';
import { MediumContext, createMediumContext } from '../support/medium-context';
import { retentionFor, seedRun } from '../support/medium-seed';

const DAY_MS = 86_400_000;
const STAGES = ['activate', 'educate', 'trigger_need', 'trigger_emotion', 'close'] as const;

describe('retention: finished posts past RETENTION_DAYS go, their summaries stay', () => {
  let ctx: MediumContext;
  let retention: Retention;

  beforeAll(async () => {
    ctx = await createMediumContext();
    retention = retentionFor(ctx);
  });
  afterAll(() => ctx.close());

  const count = async (sql: string, params: unknown[]) =>
    Number(((await ctx.db.query(sql, params)) as { n: string }[])[0].n);

  it('purges a finished run half a year on in batches, and its stats, progress, funnel and routine memory read the same', async () => {
    expect(ctx.config.retentionDays).toBe(180);
    const channelId = (await ctx.get(ChannelsService).create({ name: `r-${Date.now()}`, type: 'webhook' })).id;
    const groups = [];
    for (let i = 0; i < 60; i++) {
      groups.push(
        await ctx.get(GroupsService).create({
          name: `群 ${randomBytes(3).toString('hex')}`,
          channelId,
          address: { url: `https://example.com/hook/${i}` },
          timezone: 'Asia/Shanghai',
          memberCount: i % 3 === 0 ? undefined : 100 + i,
        }),
      );
    }
    const run = await seedRun(ctx);
    const lifecycle = ctx.get(PostOutcomes);
    const start = Date.now() - 10 * DAY_MS;
    const contents = STAGES.map(() => randomUUID());
    const posts = [];
    for (const [g, group] of groups.entries()) {
      posts.push(
        ...(await run.posts(
          STAGES.map((stage, step) => ({
            groupId: group.id,
            stage,
            step,
            contentId: contents[step],
            dueAt: new Date(start + step * DAY_MS + g * 1000),
          })),
        )),
      );
    }
    // Per group: steps 0–2 sent, step 3 failed after an attempt, step 4 still queued in the last ten groups.
    const open = new Set<string>();
    for (const post of posts) {
      const g = groups.findIndex((group) => group.id === post.groupId);
      if (post.step <= 2) {
        await lifecycle.markSent({
          id: post.id,
          sentAt: new Date(post.dueAt.getTime() + 500),
          externalId: null,
          attempts: 1,
        });
      } else if (post.step === 3) {
        await lifecycle.recordAttempt({
          postId: post.id,
          attemptedAt: post.dueAt,
          latencyMs: 40,
          outcome: 'permanent',
          code: '400',
          error: 'bad address',
        });
        await lifecycle.fail(post.id, { errorCode: '400', error: 'bad address', attempts: 1 });
      } else if (g >= 50) {
        open.add(post.id);
      } else {
        await lifecycle.skip(post.id, 'blackout date');
      }
    }
    const clicks = ctx.get(ClickRecorder);
    for (const post of posts.filter((p) => p.step === 1)) {
      for (const visitor of ['a', 'a', 'b']) {
        clicks.record({
          postId: post.id,
          linkIndex: 0,
          clickedAt: new Date(),
          visitor: visitor.padEnd(32, '0'),
          preview: false,
        });
      }
      clicks.record({
        postId: post.id,
        linkIndex: 0,
        clickedAt: new Date(),
        visitor: 'p'.padEnd(32, '0'),
        preview: true,
      });
    }
    await clicks.flush();

    const groupIds = groups.map((g) => g.id);
    const read = async () => ({
      stats: await ctx.get(RunProgress).ofRun(run.id, STAGES),
      progress: [...(await ctx.get(RunProgress).ofGroups(run.id, groupIds))].map(([id, p]) => [
        id,
        p.counts,
        p.lastSent && { step: p.lastSent.step, stage: p.lastSent.stage, sentAt: p.lastSent.sentAt.getTime() },
      ]),
      funnel: await ctx.get(FunnelService).funnel({ runId: run.id }, 'step'),
      received: [...(await ctx.get(PostHistory).lastReceived(groupIds, contents, new Date()))].map(([g, m]) => [
        g,
        [...m].map(([c, at]) => [c, at.getTime()]).sort(),
      ]),
    });
    const before = await read();
    expect(before.funnel.totals).toMatchObject({ sent: 180, clicks: 180, uniqueClicks: 120, previews: 60 });

    // Five months on: nothing is old enough yet.
    expect((await retention.sweep(new Date(Date.now() + 150 * DAY_MS))).purged).toBe(0);

    const result = await retention.sweep(new Date(Date.now() + 191 * DAY_MS));
    expect(result.purged).toBe(posts.length - open.size);
    expect(result.batches).toBeGreaterThanOrEqual(2);
    const left = (await ctx.db.query('SELECT id FROM posts WHERE run_id = ?', [run.id])) as { id: string }[];
    expect(new Set(left.map((r) => r.id))).toEqual(open);
    const ids = posts.map((p) => p.id);
    expect(await count('SELECT COUNT(*) AS n FROM clicks WHERE post_id IN (?)', [ids])).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM post_attempts WHERE post_id IN (?)', [ids])).toBe(0);

    expect(await read()).toEqual(before);
    // A second sweep finds nothing and counts nothing twice.
    expect((await retention.sweep(new Date(Date.now() + 191 * DAY_MS))).purged).toBe(0);
    expect(await read()).toEqual(before);
  });

  it('leaves a finished post that someone touched after the cutoff, and keeps everything at RETENTION_DAYS=0', async () => {
    const run = await seedRun(ctx);
    const [post] = await run.posts([{ dueAt: new Date(Date.now() - 400 * DAY_MS) }]);
    await ctx.get(PostOutcomes).skip(post.id, 'blackout date');
    const now = new Date(Date.now() + 10 * DAY_MS);
    // Retried and given up again 5 days ago (in the sweep's time): younger than the cutoff.
    await ctx.db.query('UPDATE posts SET updated_at = ? WHERE id = ?', [new Date(now.getTime() - 5 * DAY_MS), post.id]);
    expect((await retention.sweep(now)).purged).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM posts WHERE id = ?', [post.id])).toBe(1);

    const keepAll = retentionFor(ctx, { ...ctx.config, retentionDays: 0 });
    expect((await keepAll.sweep(new Date(Date.now() + 3650 * DAY_MS))).purged).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM posts WHERE id = ?', [post.id])).toBe(1);
  });
});
