import { RunLifecycle } from '../../src/campaigns/run-lifecycle.service';
import { PostLifecycle } from '../../src/posts/post-lifecycle.service';
import { MediumContext, createMediumContext } from '../support/medium-context';
import { runStatus, seedRun } from '../support/medium-seed';

const later = (ms: number) => new Date(Date.now() + ms);

describe('the run lifecycle against MariaDB', () => {
  let ctx: MediumContext;
  let runs: RunLifecycle;
  let posts: PostLifecycle;

  beforeAll(async () => {
    ctx = await createMediumContext();
    runs = ctx.get(RunLifecycle);
    posts = ctx.get(PostLifecycle);
  });
  afterAll(() => ctx.close());

  it('starts a run scheduled for later once its time has come, and not before', async () => {
    const future = await seedRun(ctx, { startAt: later(60_000) });
    const now = await seedRun(ctx, { startAt: later(0) });
    expect([await runStatus(ctx, future.id), await runStatus(ctx, now.id)]).toEqual(['scheduled', 'running']);
    await ctx.db.query('UPDATE runs SET start_at = NOW(3) - INTERVAL 1 SECOND WHERE id = ?', [future.id]);
    await runs.startDue();
    expect(await runStatus(ctx, future.id)).toBe('running');
  });

  it('completes a run when no post is left to send, and reopens it when one is retried', async () => {
    const run = await seedRun(ctx);
    const [first, second] = await run.posts([{}, {}], later(60_000));
    await runs.completeFinished();
    expect(await runStatus(ctx, run.id)).toBe('running');
    await posts.claim(first.id);
    await posts.markSent({ id: first.id, sentAt: new Date(), externalId: null, partsSent: 1, attempts: 1 });
    await posts.claim(second.id);
    await posts.fail(second.id, { attempts: 1, errorCode: '93000', error: 'invalid webhook url' });
    await runs.completeFinished();
    expect(await runStatus(ctx, run.id)).toBe('completed');
    await posts.retry(second.id);
    await runs.reopen(run.id);
    expect(await runStatus(ctx, run.id)).toBe('running');
  });

  it('never reopens a cancelled run', async () => {
    const run = await seedRun(ctx);
    await runs.cancel(run.id);
    await runs.reopen(run.id);
    expect(await runStatus(ctx, run.id)).toBe('cancelled');
  });
});
