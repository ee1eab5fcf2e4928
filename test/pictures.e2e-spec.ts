import { createHash } from 'node:crypto';
import { CampaignFactory, ChannelFactory, ContentFactory, GroupFactory, createKey } from './support/factories';
import { waitForPosts } from './support/poll';
import { PictureServer, png } from './support/providers/pictures';
import { FakeTelegram } from './support/providers/telegram';
import { FakeWecom } from './support/providers/wecom';
import { RequestWith, TestApp, createTestApp } from './support/test-app';

const BOT_TOKEN = '123456789:AAHfake-token_for_tests_0123456789';
const POSTER = png(300 * 1024);
/** More than WeCom robots take. */
const HUGE = png(9 * 1024 * 1024);

describe('pictures that arrive as pictures', () => {
  let t: TestApp;
  let editor: RequestWith;
  let planner: RequestWith;
  const pictures = new PictureServer();
  const fetched = pictures.fetched;
  let base = '';
  const wecom = new FakeWecom();
  const telegram = new FakeTelegram(BOT_TOKEN);

  beforeAll(async () => {
    pictures.files.set('/poster.png', { type: 'image/png', body: POSTER });
    pictures.files.set('/huge.png', { type: 'image/png', body: HUGE });
    pictures.files.set('/page.png', { type: 'text/html', body: Buffer.from('<html>not a picture</html>') });
    await pictures.start();
    base = pictures.url;
    t = await createTestApp({
      ROLE: 'all',
      SCHEDULER_TICK_MS: '100',
      MEDIA_CHECK: 'true',
    });
    editor = t.as(await createKey(t, 'editor'));
    planner = t.as(await createKey(t, 'planner'));
    await wecom.start();
    await telegram.start();
  });
  afterAll(async () => {
    await t.close();
    await wecom.stop();
    await telegram.stop();
    await pictures.stop();
  });

  const poster = (image: string) =>
    editor
      .post('/v1/content')
      .send({ kind: 'goodnight_poster', title: '晚安', fields: { image, line: '晚安，好梦。' } });

  it('refuses at save a picture too large for the providers, one that is not a picture, and one that is not there, naming the field', async () => {
    const huge = await poster(`${base}/huge.png`).expect(400);
    expect(huge.body.details).toEqual([
      { field: 'fields.image', message: `${base}/huge.png is 9.0 MB, over the 2.0 MB a picture may be` },
    ]);
    const page = await poster(`${base}/page.png`).expect(400);
    expect(page.body.details[0].message).toBe(`${base}/page.png is not a JPG, PNG, GIF or WebP picture`);
    const missing = await poster(`${base}/gone.png`).expect(400);
    expect(missing.body.details[0].message).toBe(`${base}/gone.png answers HTTP 404`);
    const outfit = await editor
      .post('/v1/content')
      .send(
        ContentFactory.body('outfit_showcase', {
          fields: { images: [`${base}/poster.png`, `${base}/huge.png`], note: '通勤' },
        }),
      )
      .expect(400);
    expect(outfit.body.details.map((d: { field: string }) => d.field)).toEqual(['fields.images[1]']);
  });

  it('sends a good-night poster to a WeCom robot as an image whose md5 is the file’s, and to Telegram as a photo with its caption', async () => {
    const piece = (await poster(`${base}/poster.png`).expect(201)).body;
    await editor.post(`/v1/content/${piece.id}/publish`).send({}).expect(200);
    const fetches = fetched.filter((u) => u === '/poster.png').length;
    const tag = `poster-${Date.now()}`;
    const robot = `poster-key-${Date.now()}`;
    wecom.keys.add(robot);
    telegram.chats.add('-1001234567');
    const wecomChannel = await ChannelFactory.create(t, 'wecom', { config: { baseUrl: wecom.url } });
    const telegramChannel = await ChannelFactory.create(t, 'telegram', {
      config: { baseUrl: telegram.url },
      credentials: { botToken: BOT_TOKEN },
    });
    const common = { tags: [tag], quietHours: null, minGapMinutes: 'off' };
    await GroupFactory.create(t, wecomChannel.id, { address: robot, ...common });
    await GroupFactory.create(t, telegramChannel.id, { address: '-1001234567', ...common });
    const campaign = await CampaignFactory.create(planner, [piece.id], [{ after: 'PT0S' }]);
    const run = await planner
      .post(`/v1/campaigns/${campaign.id}/runs`)
      .send({ audience: { tags: [tag] } })
      .expect(201);
    const posts = await waitForPosts<{ status: string; partsSent: number }>(planner, run.body.id, (all) =>
      all.every((p) => p.status === 'sent'),
    );
    // WeCom: the markdown, then the picture itself.
    const toRobot = wecom.received
      .filter((r) => r.query.get('key') === robot)
      .map((r) => r.json as { msgtype: string });
    expect(toRobot.map((b) => b.msgtype)).toEqual(['markdown', 'image']);
    const [image] = wecom.images();
    expect(createHash('md5').update(image).digest('hex')).toBe(createHash('md5').update(POSTER).digest('hex'));
    // Telegram: one photo, the text as its caption.
    const photo = telegram.received.find((r) => r.path.endsWith('/sendPhoto'))!.json as {
      photo: string;
      caption: string;
    };
    expect(photo.photo).toBe(`${base}/poster.png`);
    expect(photo.caption).toContain('晚安，好梦。');
    expect(telegram.received.filter((r) => r.path.endsWith('/sendMessage'))).toHaveLength(0);
    expect(posts.map((p) => p.partsSent).sort()).toEqual([1, 2]);
    // Fetched once when saved; the send read it from the cache.
    expect(fetched.filter((u) => u === '/poster.png')).toHaveLength(fetches);
  });

  it('previews how each picture will arrive on a post’s channel, and warns where it stays a link', async () => {
    pictures.files.set('/spin.gif', {
      type: 'image/gif',
      body: Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(64)]),
    });
    const piece = (
      await editor
        .post('/v1/content')
        .send(
          ContentFactory.body('outfit_showcase', {
            fields: { images: [`${base}/poster.png`, `${base}/spin.gif`], note: '通勤' },
          }),
        )
        .expect(201)
    ).body;
    await editor.post(`/v1/content/${piece.id}/publish`).send({}).expect(200);
    const tag = `preview-${Date.now()}`;
    const common = { tags: [tag], quietHours: null };
    const robot = await ChannelFactory.create(t, 'wecom', { config: { baseUrl: wecom.url } });
    const feishu = await ChannelFactory.create(t, 'feishu');
    const dingtalkText = await ChannelFactory.create(t, 'dingtalk', { config: { format: 'text' } });
    const groups = {
      wecom: await GroupFactory.create(t, robot.id, { address: `preview-key-${Date.now()}`, ...common }),
      feishu: await GroupFactory.create(t, feishu.id, { address: { token: `tok${Date.now()}` }, ...common }),
      dingtalk: await GroupFactory.create(t, dingtalkText.id, {
        address: { accessToken: `at${Date.now()}` },
        ...common,
      }),
    };
    const campaign = await CampaignFactory.create(planner, [piece.id], [{ after: 'PT0S' }]);
    const run = await planner
      .post(`/v1/campaigns/${campaign.id}/runs`)
      .send({ audience: { tags: [tag] }, startAt: new Date(Date.now() + 86_400_000).toISOString() })
      .expect(201);
    const posts = (await planner.get(`/v1/posts?runId=${run.body.id}`).expect(200)).body.items as {
      id: string;
      groupId: string;
    }[];
    const preview = async (groupId: string) =>
      (await planner.get(`/v1/posts/${posts.find((p) => p.groupId === groupId)!.id}/preview`).expect(200)).body
        .pictures;
    expect(await preview(groups.wecom.id)).toEqual([
      {
        url: `${base}/poster.png`,
        as: 'an image message after the text (the file, at most 2 MB)',
        bytes: POSTER.length,
      },
      {
        url: `${base}/spin.gif`,
        as: 'the link in the text',
        bytes: 70,
        warning: 'a image/gif cannot go as a picture here',
      },
    ]);
    expect((await preview(groups.feishu.id))[0]).toMatchObject({
      as: 'the link in the text',
      warning: 'a feishu robot shows no pictures: it gets the link',
    });
    expect((await preview(groups.dingtalk.id))[0]).toMatchObject({
      as: 'the link in the text',
      warning: expect.stringContaining('config.format markdown'),
    });
  });
});
