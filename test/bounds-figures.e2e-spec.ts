import { CampaignFactory, ChannelFactory, GroupFactory, createKey, planningSetup } from './support/factories';
import { waitForPosts } from './support/poll';
import { PictureServer, png } from './support/providers/pictures';
import { FakeWecom } from './support/providers/wecom';
import { RequestWith, TestApp, createTestApp } from './support/test-app';
import { PostView } from './support/views';

describe('bounds: figures an operator reads say what happened', () => {
  let t: TestApp;
  let planner: RequestWith;
  let editor: RequestWith;
  let content: string[];
  let consoleChannel: string;
  const wecom = new FakeWecom();
  const pictures = new PictureServer();

  beforeAll(async () => {
    pictures.files.set('/poster.png', { type: 'image/png', body: png(2048) });
    pictures.files.set('/spin.gif', {
      type: 'image/gif',
      body: Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(64)]),
    });
    await pictures.start();
    await wecom.start();
    t = await createTestApp({ ROLE: 'all', SCHEDULER_TICK_MS: '100' });
    ({ planner, content, channelId: consoleChannel } = await planningSetup(t, ['一', '二', '三', '四', '五']));
    editor = t.as(await createKey(t, 'editor'));
  });
  afterAll(async () => {
    await t.close();
    await wecom.stop();
    await pictures.stop();
  });

  it('counts a group’s members once in its reach, however many posts it was sent', async () => {
    const group = await GroupFactory.create(t, consoleChannel, { quietHours: null, memberCount: 200 });
    const campaign = await CampaignFactory.create(planner, content, Array(5).fill({ after: 'PT0S' }));
    const run = await planner
      .post(`/v1/campaigns/${campaign.id}/runs`)
      .send({ audience: { groupIds: [group.id] } })
      .expect(201);
    await waitForPosts<PostView>(planner, run.body.id, (all) => all.every((p) => p.status === 'sent'));
    const funnel = (await planner.get(`/v1/runs/${run.body.id}/funnel`).expect(200)).body;
    expect(funnel.totals).toMatchObject({ sent: 5, members: 1000, reach: 200 });
    expect(funnel.stages.map((s: { reach: number }) => s.reach)).toEqual([200, 200, 200, 200, 200]);
    expect(funnel.top[0]).toMatchObject({ groupId: group.id, members: 1000, reach: 200 });
  });

  it('says a WeCom robot post with a GIF sent one message, and sends its markdown without picture syntax the robot would show raw', async () => {
    const key = `figures-${Date.now()}`;
    wecom.keys.add(key);
    const channel = await ChannelFactory.create(t, 'wecom', { config: { baseUrl: wecom.url } });
    const group = await GroupFactory.create(t, channel.id, { address: key, quietHours: null });
    const posters = [];
    for (const image of [`${pictures.url}/spin.gif`, `${pictures.url}/poster.png`]) {
      const piece = await editor
        .post('/v1/content')
        .send({ kind: 'goodnight_poster', title: '晚安', fields: { image, line: '晚安，好梦。' } })
        .expect(201);
      await editor.post(`/v1/content/${piece.body.id}/publish`).send({}).expect(200);
      posters.push(piece.body.id);
    }
    // An editor previewing the markdown is told what the robot does with the picture in it.
    const markdown = await editor.post(`/v1/content/${posters[0]}/preview`).send({ format: 'markdown' }).expect(200);
    expect(markdown.body.notes).toEqual([
      {
        channel: 'wecom',
        message:
          'WeCom robots show no pictures in markdown: ![…](…) is taken out of the text (the piece’s own pictures follow as image messages, any other becomes a link)',
      },
    ]);
    const text = await editor.post(`/v1/content/${posters[0]}/preview`).send({ format: 'text' }).expect(200);
    expect(text.body.notes).toEqual([]);
    const campaign = await CampaignFactory.create(planner, posters, [{ after: 'PT0S' }, { after: 'PT0S' }]);
    const run = await planner
      .post(`/v1/campaigns/${campaign.id}/runs`)
      .send({ audience: { groupIds: [group.id] } })
      .expect(201);
    const posts = await waitForPosts<PostView>(planner, run.body.id, (all) => all.every((p) => p.status === 'sent'));
    const received = wecom.received
      .filter((r) => r.query.get('key') === key)
      .map((r) => r.json as { msgtype: string; markdown?: { content: string } });
    // The GIF poster: its markdown alone; the PNG poster: its markdown, then the picture.
    expect(received.map((b) => b.msgtype)).toEqual(['markdown', 'markdown', 'image']);
    expect(posts.map((p) => p.partsSent)).toEqual([1, 2]);
    const markdowns = received.flatMap((b) => (b.markdown ? [b.markdown.content] : []));
    expect(markdowns).toHaveLength(2);
    for (const markdown of markdowns) {
      expect(markdown).toContain('晚安，好梦。');
      expect(markdown).not.toContain('![');
    }
  });

  it('names in a plan’s moves the step a post waits for, not an id that does not exist', async () => {
    const group = await GroupFactory.create(t, consoleChannel, { quietHours: null });
    const campaign = await CampaignFactory.create(planner, content.slice(0, 2), [{ after: 'PT0S' }, { after: 'PT0S' }]);
    const plan = await planner
      .post(`/v1/campaigns/${campaign.id}/plan`)
      .send({ audience: { groupIds: [group.id] } })
      .expect(200);
    const second = plan.body.entries.find((e: { step: number }) => e.step === 1);
    expect(second.moves).toEqual(['waits for step 1 of this campaign, due earlier to the same group']);
    expect(plan.body.summary.groupsMovedBy).toEqual({ 'order in the group': 1 });
  });
});
