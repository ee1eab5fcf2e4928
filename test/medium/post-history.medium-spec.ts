import { randomUUID } from 'node:crypto';
import { PostHistory } from '../../src/posts/post-history.service';
import { PostOutcomes } from '../../src/posts/lifecycle/post-outcomes.service';
import { Post } from '../../src/posts/post.entity';
import { MediumContext, createMediumContext } from '../support/medium-context';
import { seedRun } from '../support/medium-seed';

describe('what the policy reads of a group’s posts, against MariaDB', () => {
  let ctx: MediumContext;
  let history: PostHistory;
  let lifecycle: PostOutcomes;

  beforeAll(async () => {
    ctx = await createMediumContext();
    history = ctx.get(PostHistory);
    lifecycle = ctx.get(PostOutcomes);
  });
  afterAll(() => ctx.close());

  const load = async (id: string) => await ctx.db.getRepository(Post).findOneByOrFail({ id });
  const send = (id: string, sentAt = new Date()) =>
    lifecycle.markSent({ id, sentAt, externalId: null, partsSent: 1, attempts: 1 });

  it('puts a group’s posts in one order: due time, then run, then step; exactly one of two same-instant posts waits', async () => {
    const groupId = randomUUID();
    const due = new Date(Date.now() + 60_000);
    const [x, y] = [await seedRun(ctx), await seedRun(ctx)].sort((a, b) => a.id.localeCompare(b.id));
    const [x0, x1] = await x.posts([
      { groupId, dueAt: due },
      { groupId, dueAt: due },
    ]);
    const [y0] = await y.posts([{ groupId, dueAt: due }]);
    const [earlier] = await y.posts([{ groupId, dueAt: new Date(due.getTime() - 1000) }]);
    const blockers = await Promise.all([x0, x1, y0, earlier].map(async (p) => history.blocker(await load(p.id))));
    expect(blockers.map((b) => b?.id ?? null)).toEqual([earlier.id, earlier.id, earlier.id, null]);
    await send(earlier.id);
    const after = await Promise.all([x0, x1, y0].map(async (p) => history.blocker(await load(p.id))));
    expect(after.slice(0, 2).map((b) => b?.id ?? null)).toEqual([null, x0.id]);
    // y0 waits for the run that sorts first; either of its posts due at that instant holds it.
    expect([x0.id, x1.id]).toContain(after[2]?.id);
  });

  it('counts what a group was sent since a time, promotional posts apart, and knows the last send', async () => {
    const groupId = randomUUID();
    const run = await seedRun(ctx);
    const [a, b, c] = await run.posts([{ groupId, promotional: true }, { groupId }, { groupId }]);
    const hourAgo = new Date(Date.now() - 3600_000);
    await send(a.id, new Date(Date.now() - 7200_000));
    await send(b.id, new Date(Date.now() - 60_000));
    await send(c.id, new Date(Date.now() - 30_000));
    expect(await history.sentSince(groupId, hourAgo)).toEqual({ total: 2, promotional: 0 });
    expect(await history.sentSince(groupId, new Date(0))).toEqual({ total: 3, promotional: 1 });
    expect((await history.lastSentAt(groupId))?.getTime()).toBe((await load(c.id)).sentAt!.getTime());
    expect(await history.lastSentAt(randomUUID())).toBeNull();
  });

  it('finds an earlier step of the run that was still going out late after this one came due', async () => {
    const groupId = randomUUID();
    const run = await seedRun(ctx);
    const due = new Date(Date.now() - 10 * 60_000);
    const [first, second, third] = await run.posts([
      { groupId, dueAt: new Date(due.getTime() - 60_000) },
      { groupId, dueAt: due },
      { groupId, dueAt: new Date(due.getTime() + 60_000) },
    ]);
    expect(await history.earlierStepStillLate(await load(third.id))).toBe(0);
    await send(first.id, new Date(due.getTime() - 30_000));
    expect(await history.earlierStepStillLate(await load(third.id))).toBe(1);
    await send(second.id, new Date(due.getTime() + 30_000));
    expect(await history.earlierStepStillLate(await load(third.id))).toBeNull();
    expect(await history.earlierStepStillLate(await load(first.id))).toBeNull();
  });
});
