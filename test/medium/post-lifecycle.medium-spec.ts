import { RunLifecycle } from '../../src/campaigns/run-lifecycle.service';
import { PostOperatorActs } from '../../src/posts/lifecycle/operator-acts.service';
import { PostClaims } from '../../src/posts/lifecycle/post-claims.service';
import { PostCreation } from '../../src/posts/lifecycle/post-creation.service';
import { PostFollowers } from '../../src/posts/lifecycle/post-followers.service';
import { PostOutcomes } from '../../src/posts/lifecycle/post-outcomes.service';
import { PostQueues } from '../../src/posts/post-queues';
import { MediumContext, createMediumContext } from '../support/medium-context';
import { postRows, seedRun, statuses } from '../support/medium-seed';

const MINUTE = 60_000;
const later = (ms: number) => new Date(Date.now() + ms);

describe('the post lifecycle against MariaDB and Redis', () => {
  let ctx: MediumContext;
  let acts: PostOperatorActs;
  let claims: PostClaims;
  let creation: PostCreation;
  let followers: PostFollowers;
  let outcomes: PostOutcomes;
  let queues: PostQueues;

  beforeAll(async () => {
    ctx = await createMediumContext({ CLAIM_LEASE_MS: '1000' });
    acts = ctx.get(PostOperatorActs);
    claims = ctx.get(PostClaims);
    creation = ctx.get(PostCreation);
    followers = ctx.get(PostFollowers);
    outcomes = ctx.get(PostOutcomes);
    queues = ctx.get(PostQueues);
  });
  afterAll(() => ctx.close());

  const hasJob = (id: string) => queues.has({ id, channelType: 'webhook' });
  /** Makes a claim look as old as `ms` (a worker that died that long ago). */
  const ageClaim = (id: string, ms: number) =>
    ctx.db.query('UPDATE posts SET claimed_at = NOW(3) - INTERVAL ? MICROSECOND WHERE id = ?', [ms * 1000, id]);

  it('writes new posts as queued (with a job), scheduled or skipped with the reason', async () => {
    const run = await seedRun(ctx);
    const [now, tomorrow, overdue] = await run.posts(
      [
        { dueAt: later(1000) },
        { dueAt: later(24 * 60 * MINUTE) },
        { skipped: { code: 'overdue', reason: 'overdue at launch (catchUp: skip)' } },
      ],
      later(10 * MINUTE),
    );
    expect(await statuses(ctx, [now.id, tomorrow.id, overdue.id])).toEqual(['queued', 'scheduled', 'skipped']);
    expect((await postRows(ctx, [overdue.id]))[0].error).toBe('overdue at launch (catchUp: skip)');
    expect([await hasJob(now.id), await hasJob(tomorrow.id)]).toEqual([true, false]);
  });

  it('queues what is due within the horizon, for live runs only', async () => {
    const live = await seedRun(ctx);
    const [soon, far] = await live.posts([{ dueAt: later(1000) }, { dueAt: later(60 * MINUTE) }]);
    const paused = await seedRun(ctx);
    const [held] = await paused.posts([{ dueAt: later(1000) }]);
    await ctx.get(RunLifecycle).pause(paused.id);
    await creation.queueDue(later(10 * MINUTE));
    expect(await statuses(ctx, [soon.id, far.id, held.id])).toEqual(['queued', 'scheduled', 'paused']);
    expect(await hasJob(soon.id)).toBe(true);
  });

  it('claims a batch in one go, gives a post asked for twice to one caller, and refuses stopped runs', async () => {
    const run = await seedRun(ctx, { blackoutMode: 'skip', catchUp: 'spread' });
    const [a, b] = await run.posts([{}, {}], later(MINUTE));
    const stopped = await seedRun(ctx);
    const [c] = await stopped.posts([{}], later(MINUTE));
    await ctx.get(RunLifecycle).cancel(stopped.id);
    const taken = await Promise.all([claims.claim(a.id), claims.claim(b.id), claims.claim(a.id), claims.claim(c.id)]);
    expect(taken.map((p) => p?.id ?? null)).toEqual([a.id, b.id, null, null]);
    expect(taken[0]?.run).toEqual({ blackoutMode: 'skip', catchUp: 'spread', capMode: 'wait', keepSteps: null });
    expect(await statuses(ctx, [a.id, b.id, c.id])).toEqual(['sending', 'sending', 'cancelled']);
    expect(await claims.claim(a.id)).toBeNull();
  });

  it('lets a claim that outlived its lease be taken again', async () => {
    const run = await seedRun(ctx);
    const [post] = await run.posts([{}], later(MINUTE));
    expect(await claims.claim(post.id)).not.toBeNull();
    expect(await claims.claim(post.id)).toBeNull();
    await ageClaim(post.id, 2000);
    expect((await claims.claim(post.id))?.id).toBe(post.id);
  });

  it('defers a claimed post with its reason and keeps the deferral; one of a stopped run follows the run', async () => {
    const run = await seedRun(ctx);
    const [post] = await run.posts([{}], later(MINUTE));
    await claims.claim(post.id);
    const until = later(10 * MINUTE);
    await outcomes.hold(post.id, until, { code: 'min_gap', reason: 'minimum gap of 10 min' }, { attempts: 1 });
    const [row] = await postRows(ctx, [post.id]);
    expect(row).toMatchObject({
      status: 'queued',
      holdCode: 'min_gap',
      deferReason: 'minimum gap of 10 min',
      attempts: 1,
    });
    expect(row.notBefore?.getTime()).toBe(until.getTime());
    const deferrals = (await ctx.db.query('SELECT code, reason FROM post_deferrals WHERE post_id = ?', [post.id])) as {
      code: string;
      reason: string;
    }[];
    expect(deferrals).toEqual([{ code: 'min_gap', reason: 'minimum gap of 10 min' }]);

    const pausedRun = await seedRun(ctx);
    const [held] = await pausedRun.posts([{}], later(MINUTE));
    await claims.claim(held.id);
    await ctx.get(RunLifecycle).pause(pausedRun.id);
    await outcomes.hold(held.id, until, { code: 'quiet_hours', reason: 'quiet hours 22:30-07:30' });
    expect(await statuses(ctx, [held.id])).toEqual(['paused']);
  });

  it('marks posts sent together, clearing the error of an earlier attempt', async () => {
    const run = await seedRun(ctx);
    const sent = await run.posts([{}, {}, {}], later(MINUTE));
    await Promise.all(sent.map((p) => claims.claim(p.id)));
    await outcomes.requeue(sent[0].id, { attempts: 1, errorCode: 'http_502', error: 'HTTP 502' });
    await claims.claim(sent[0].id);
    const at = new Date();
    await Promise.all(
      sent.map((p, i) => outcomes.markSent({ id: p.id, sentAt: at, externalId: `m${i}`, partsSent: 1, attempts: 2 })),
    );
    const rows = await postRows(
      ctx,
      sent.map((p) => p.id),
    );
    expect(rows.map((r) => [r.status, r.attempts, r.error, r.errorCode])).toEqual([
      ['sent', 2, null, null],
      ['sent', 2, null, null],
      ['sent', 2, null, null],
    ]);
  });

  it('records failed, unconfirmed and skipped posts with their reasons', async () => {
    const run = await seedRun(ctx);
    const [failed, unsure, skipped] = await run.posts([{}, {}, {}], later(MINUTE));
    for (const p of [failed, unsure, skipped]) await claims.claim(p.id);
    await outcomes.fail(failed.id, { attempts: 1, errorCode: '93000', error: 'invalid webhook url' });
    await outcomes.markUnconfirmed(unsure.id, { attempts: 1, errorCode: 'ambiguous', error: 'timeout' });
    await outcomes.skip(skipped.id, '2026-11-23 is a blackout date');
    const rows = await postRows(ctx, [failed.id, unsure.id, skipped.id]);
    expect(rows.map((r) => [r.status, r.errorCode, r.error])).toEqual([
      ['failed', '93000', 'invalid webhook url'],
      ['unconfirmed', 'ambiguous', 'timeout'],
      ['skipped', null, '2026-11-23 is a blackout date'],
    ]);
  });

  it('pauses, resumes (skipping what is later than the run allows) and cancels a run’s posts', async () => {
    const run = await seedRun(ctx);
    const [late, onTime, far] = await run.posts(
      [{ dueAt: new Date(Date.now() - 5 * MINUTE) }, { dueAt: later(MINUTE) }, { dueAt: later(60 * MINUTE) }],
      later(10 * MINUTE),
    );
    await followers.pauseAll({ runId: run.id });
    expect(await statuses(ctx, [late.id, onTime.id, far.id])).toEqual(['paused', 'paused', 'paused']);
    await followers.resumeAll({ runId: run.id }, 1);
    expect(await statuses(ctx, [late.id, onTime.id, far.id])).toEqual(['skipped', 'scheduled', 'scheduled']);
    await creation.queueDue(later(10 * MINUTE));
    await followers.cancelAll({ runId: run.id });
    expect(await statuses(ctx, [late.id, onTime.id, far.id])).toEqual(['skipped', 'cancelled', 'cancelled']);
    expect(await hasJob(onTime.id)).toBe(false);
  });

  it('lets an operator retry only failed or unconfirmed posts, cancel only unsent ones, confirm only unconfirmed ones', async () => {
    const run = await seedRun(ctx);
    const [failed, unsure, waiting] = await run.posts([{}, {}, {}], later(MINUTE));
    await claims.claim(failed.id);
    await outcomes.fail(failed.id, { attempts: 5, errorCode: 'http_502', error: 'HTTP 502' });
    await claims.claim(unsure.id);
    await outcomes.markUnconfirmed(unsure.id, { attempts: 1, errorCode: 'ambiguous', error: 'timeout' });
    expect(await acts.retry(waiting.id)).toBe(false);
    expect(await acts.retry(failed.id)).toBe(true);
    expect(await postRows(ctx, [failed.id])).toEqual([
      expect.objectContaining({ status: 'scheduled', attempts: 0, error: null, errorCode: null }),
    ]);
    expect(await acts.confirmSent(waiting.id)).toBe(false);
    expect(await acts.confirmSent(unsure.id)).toBe(true);
    expect(await acts.cancel({ id: unsure.id, channelType: 'webhook' })).toBe(false);
    expect(await acts.cancel({ id: waiting.id, channelType: 'webhook' })).toBe(true);
    expect(await statuses(ctx, [failed.id, unsure.id, waiting.id])).toEqual(['scheduled', 'sent', 'cancelled']);
    expect(await hasJob(waiting.id)).toBe(false);
  });

  describe('recovery', () => {
    it('gives a queued post whose job Redis lost a new one, and leaves a post whose job is there', async () => {
      const run = await seedRun(ctx);
      const [lost, kept] = await run.posts(
        [{ dueAt: new Date(Date.now() - MINUTE) }, { dueAt: new Date(Date.now() - MINUTE) }],
        later(MINUTE),
      );
      await queues.remove([{ id: lost.id, channelType: 'webhook' }]);
      expect(await creation.recover(5000)).toBe(1);
      expect([await hasJob(lost.id), await hasJob(kept.id)]).toEqual([true, true]);
    });

    it('moves queued posts of a paused run, and lapsed claims of a cancelled one, to their run’s state', async () => {
      const paused = await seedRun(ctx);
      const [queued] = await paused.posts([{}], later(MINUTE));
      await ctx.db.query(`UPDATE runs SET status = 'paused' WHERE id = ?`, [paused.id]);
      const cancelled = await seedRun(ctx);
      const [held] = await cancelled.posts([{}], later(MINUTE));
      await claims.claim(held.id);
      await ctx.db.query(`UPDATE runs SET status = 'cancelled' WHERE id = ?`, [cancelled.id]);
      await creation.recover(5000);
      expect(await statuses(ctx, [queued.id, held.id])).toEqual(['paused', 'sending']);
      await ageClaim(held.id, 2000);
      await creation.recover(5000);
      expect(await statuses(ctx, [queued.id, held.id])).toEqual(['paused', 'cancelled']);
    });
  });
});
