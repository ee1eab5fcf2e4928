import { RunLifecycle } from '../../src/campaigns/run-lifecycle.service';
import { PostOperatorActs } from '../../src/posts/lifecycle/operator-acts.service';
import { PostClaims } from '../../src/posts/lifecycle/post-claims.service';
import { PostOutcomes } from '../../src/posts/lifecycle/post-outcomes.service';
import { MediumContext, createMediumContext } from '../support/medium-context';
import { runStatus, seedRun } from '../support/medium-seed';

const later = (ms: number) => new Date(Date.now() + ms);

describe('the run lifecycle against MariaDB', () => {
  let ctx: MediumContext;
  let runs: RunLifecycle;

  beforeAll(async () => {
    ctx = await createMediumContext();
    runs = ctx.get(RunLifecycle);
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
    await ctx.get(PostClaims).claim(first.id);
    await ctx
      .get(PostOutcomes)
      .markSent({ id: first.id, sentAt: new Date(), externalId: null, partsSent: 1, attempts: 1 });
    await ctx.get(PostClaims).claim(second.id);
    await ctx.get(PostOutcomes).fail(second.id, { attempts: 1, errorCode: '93000', error: 'invalid webhook url' });
    await runs.completeFinished();
    expect(await runStatus(ctx, run.id)).toBe('completed');
    await ctx.get(PostOperatorActs).retry(second.id);
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
