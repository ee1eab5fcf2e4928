import { CampaignFactory, ChannelFactory, ContentFactory, GroupFactory, createKey } from './support/factories';
import { waitForPosts } from './support/poll';
import { FakeWecom } from './support/providers/wecom';
import { RequestWith, TestApp, createTestApp } from './support/test-app';
import { PostView } from './support/views';

/** A paragraph of 1,300 Chinese characters: 3,900 bytes, one WeCom markdown message each. */
const PARAGRAPH = '长'.repeat(1300);

describe('bounds: one post cannot flood a group', () => {
  let t: TestApp;
  let editor: RequestWith;
  let planner: RequestWith;
  const wecom = new FakeWecom();
  let serial = 0;

  beforeAll(async () => {
    await wecom.start();
    t = await createTestApp({ ROLE: 'all', SCHEDULER_TICK_MS: '100' });
    editor = t.as(await createKey(t, 'editor'));
    planner = t.as(await createKey(t, 'planner'));
  });
  afterAll(async () => {
    await t.close();
    await wecom.stop();
  });

  const piece = async (paragraphs: number) =>
    ContentFactory.create(editor, 'custom', {
      fields: { text: PARAGRAPH },
      body: Array(paragraphs).fill('{{fields.text}}').join('\n\n'),
    });

  it('refuses at publish a piece that would go as more than four messages, with the count per channel type', async () => {
    const flood = await piece(10);
    const response = await editor.post(`/v1/content/${flood.id}/publish`).send({}).expect(400);
    const advice = 'shorten it or make it several pieces';
    // 3,900 bytes a paragraph: one each in a WeCom markdown message (4,096 bytes), two in a Slack section (3,000 characters).
    expect(response.body.details).toEqual([
      { field: 'body', message: `becomes 10 messages on wecom, more than the 4 one post may be there: ${advice}` },
      { field: 'body', message: `becomes 5 messages on slack, more than the 4 one post may be there: ${advice}` },
    ]);
    expect((await editor.get(`/v1/content/${flood.id}`).expect(200)).body.status).toBe('draft');
    // Three paragraphs are three messages: within four, and a channel may allow more.
    const three = await piece(3);
    await editor.post(`/v1/content/${three.id}/publish`).send({}).expect(200);
  });

  it('counts each message of a split post against the daily cap', async () => {
    const key = `robot-key-${++serial}-${Date.now()}`;
    wecom.keys.add(key);
    const channel = await ChannelFactory.create(t, 'wecom', { config: { baseUrl: wecom.url } });
    const tag = `messages-${serial}`;
    await GroupFactory.create(t, channel.id, {
      address: key,
      tags: [tag],
      quietHours: null,
      minGapMinutes: 'off',
      dailyCap: 3,
    });
    const two = await piece(2);
    await editor.post(`/v1/content/${two.id}/publish`).send({}).expect(200);
    const campaign = await CampaignFactory.create(planner, [two.id, two.id, two.id], Array(3).fill({ after: 'PT0S' }));
    const run = await planner
      .post(`/v1/campaigns/${campaign.id}/runs`)
      .send({ audience: { tags: [tag] } })
      .expect(201);
    const posts = await waitForPosts<PostView>(
      planner,
      run.body.id,
      (all) => all[2]?.deferReason === 'daily cap of 3 reached',
    );
    expect(posts.map((p) => [p.status, p.messages])).toEqual([
      ['sent', 2],
      ['sent', 2],
      ['queued', 1],
    ]);
    expect(wecom.contents().filter((c) => c.startsWith('长'))).toHaveLength(4);
  });

  it('fails a post that a channel set to fewer messages would split more, before anything is sent', async () => {
    const key = `robot-key-${++serial}-${Date.now()}`;
    wecom.keys.add(key);
    const two = await piece(2);
    await editor.post(`/v1/content/${two.id}/publish`).send({}).expect(200);
    const channel = await ChannelFactory.create(t, 'wecom', { config: { baseUrl: wecom.url, maxMessages: 1 } });
    const tag = `messages-${serial}`;
    await GroupFactory.create(t, channel.id, { address: key, tags: [tag], quietHours: null });
    const campaign = await CampaignFactory.create(planner, [two.id], [{ after: 'PT0S' }]);
    const before = wecom.received.length;
    const run = await planner
      .post(`/v1/campaigns/${campaign.id}/runs`)
      .send({ audience: { tags: [tag] } })
      .expect(201);
    const [post] = await waitForPosts<PostView>(planner, run.body.id, (all) => all[0]?.status === 'failed');
    expect(post.error).toBe(
      `becomes 2 messages on wecom channel ${channel.name}, more than the 1 one post may be there: shorten it or make it several pieces`,
    );
    expect(wecom.received.length).toBe(before);
  });
});
