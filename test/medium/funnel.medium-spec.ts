import { randomBytes, randomUUID } from 'node:crypto';
import { ChannelsService } from '../../src/groups/channels.service';
import { GroupsService } from '../../src/groups/groups.service';
import { ClickRecorder } from '../../src/links/click-recorder.service';
import { ConversionsService } from '../../src/links/conversions.service';
import { FunnelService } from '../../src/reports/funnel.service';
import { PostCreation } from '../../src/posts/lifecycle/post-creation.service';
import { PostOutcomes } from '../../src/posts/lifecycle/post-outcomes.service';
import { NewPost } from '../../src/posts/lifecycle/post-types';
import { MediumContext, createMediumContext } from '../support/medium-context';

describe('a routine’s funnel, per stage and piece, against MariaDB', () => {
  let ctx: MediumContext;

  beforeAll(async () => {
    ctx = await createMediumContext();
  });
  afterAll(() => ctx.close());

  it('counts a routine’s sent posts, clicks and orders by stage and by the piece each slot sent', async () => {
    const channelId = (await ctx.get(ChannelsService).create({ name: 'robots', type: 'wecom' })).id;
    const group = (memberCount: number | undefined) =>
      ctx.get(GroupsService).create({
        name: `群 ${randomBytes(3).toString('hex')}`,
        channelId,
        address: `key-${randomBytes(8).toString('hex')}`,
        timezone: 'Asia/Shanghai',
        memberCount,
      });
    const [big, small, unknown] = [await group(400), await group(100), await group(undefined)];
    const routineId = randomUUID();
    const [brief, poster] = [randomUUID(), randomUUID()];
    const day = (n: number) => new Date(Date.UTC(2026, 10, 20 + n, 0, 0));
    const creation = ctx.get(PostCreation);
    const outcomes = ctx.get(PostOutcomes);
    const posts: NewPost[] = [];
    for (const [n, groupId] of [big.id, small.id, unknown.id].entries()) {
      for (const [d, [contentId, stage]] of (
        [
          [brief, 'educate'],
          [poster, 'trigger_emotion'],
          [brief, 'educate'],
        ] as const
      ).entries()) {
        posts.push({
          id: randomUUID(),
          routineId,
          step: 0,
          stage,
          groupId,
          channelType: 'wecom',
          contentId,
          revision: 1,
          promotional: false,
          dueAt: new Date(day(d).getTime() + n * 1000),
        });
      }
    }
    await ctx.db.transaction((manager) => creation.create(manager, posts, new Date(0)));
    // All sent but the unknown-size group's last brief.
    const unsent = posts[posts.length - 1];
    for (const post of posts.filter((p) => p !== unsent)) {
      await outcomes.markSent({ id: post.id, sentAt: post.dueAt, externalId: null, partsSent: 1, attempts: 1 });
    }
    const of = (groupId: string, d: number) => posts.filter((p) => p.groupId === groupId)[d];
    const clicks = ctx.get(ClickRecorder);
    const click = (postId: string, visitor: string, preview = false) =>
      clicks.record({ postId, linkIndex: 0, clickedAt: new Date(), visitor: visitor.padEnd(32, '0'), preview });
    click(of(big.id, 0).id, 'a');
    click(of(big.id, 0).id, 'a');
    click(of(big.id, 0).id, 'b');
    click(of(big.id, 1).id, 'a');
    click(of(small.id, 2).id, 'c');
    click(of(unknown.id, 0).id, 'd');
    click(of(unknown.id, 0).id, 'e', true);
    await clicks.flush();
    const orders = ctx.get(ConversionsService);
    const shop = { keyId: 'shop', role: 'integration' as const };
    await orders.report({ postId: of(big.id, 1).id, orderId: `o-${randomUUID()}`, amount: 299 }, shop);
    await orders.report({ postId: of(small.id, 2).id, orderId: `o-${randomUUID()}`, amount: 19.9 }, shop);

    const funnel = await ctx.get(FunnelService).funnel({ routineId }, 'piece');
    expect(funnel.totals).toEqual({
      sent: 8,
      clicks: 6,
      uniqueClicks: 5,
      previews: 1,
      // Three posts each to groups of 400 and 100 members; the third group has no member count.
      members: 1500,
      // …which reach 500 members, however many posts each got.
      reach: 500,
      // Unique clicks on posts to groups with a member count (4) per 100 members reached.
      clicksPer100Members: 0.27,
      conversions: 2,
      amount: 318.9,
    });
    expect(funnel.stages.map((s) => [s.stage, s.sent, s.uniqueClicks, s.conversions, s.amount])).toEqual([
      ['educate', 5, 4, 1, 19.9],
      ['trigger_emotion', 3, 1, 1, 299],
    ]);
    expect(funnel.stages[0].rows).toEqual([
      expect.objectContaining({ key: brief, sent: 5, members: 1000, reach: 500 }),
    ]);
    expect(funnel.stages[1].rows).toEqual([
      expect.objectContaining({ key: poster, sent: 3, members: 500, reach: 500 }),
    ]);
    expect(funnel.top.map((g) => g.reach)).toEqual([400, 100, 0]);
    expect(funnel.top.map((g) => [g.groupId, g.amount])).toEqual([
      [big.id, 299],
      [small.id, 19.9],
      [unknown.id, 0],
    ]);
    expect(funnel.bottom.map((g) => g.groupId)).toEqual([unknown.id, small.id, big.id]);
  });
});
