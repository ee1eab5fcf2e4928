import { createHash } from 'node:crypto';
import { CampaignFactory, ChannelFactory, ContentFactory, GroupFactory, createKey } from './support/factories';
import { waitForPosts } from './support/poll';
import { FakeDingtalk } from './support/providers/dingtalk';
import { FakeFeishu } from './support/providers/feishu';
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
  const dingtalk = new FakeDingtalk();
  const feishu = new FakeFeishu();

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
    await dingtalk.start();
    await feishu.start();
  });
  afterAll(async () => {
    await t.close();
    await wecom.stop();
    await telegram.stop();
    await dingtalk.stop();
    await feishu.stop();
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
    const previewOf = async (groupId: string) =>
      (await planner.get(`/v1/posts/${posts.find((p) => p.groupId === groupId)!.id}/preview`).expect(200)).body;
    const preview = async (groupId: string) => (await previewOf(groupId)).pictures;
    // The exact messages: the markdown with its size, then each picture as an image message.
    const wecomParts = (await previewOf(groups.wecom.id)).parts;
    expect(wecomParts.map((p: { type: string }) => p.type)).toEqual(['markdown', 'image', 'image']);
    expect(wecomParts[0].bytes).toBe(Buffer.byteLength(wecomParts[0].text));
    expect(wecomParts[1].pictures).toEqual([
      expect.objectContaining({ url: `${base}/poster.png`, bytes: POSTER.length }),
    ]);
    expect(wecomParts[2].pictures[0].warning).toBe('a image/gif cannot go as a picture here');
    expect((await previewOf(groups.dingtalk.id)).parts).toEqual([
      expect.objectContaining({ type: 'text', characters: expect.any(Number) }),
    ]);
    expect(await preview(groups.wecom.id)).toEqual([
      {
        url: `${base}/poster.png`,
        as: 'an image message after the text (the file, at most 2 MB); with a link, the first as a news card',
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
      warning: 'the channel has no app credentials (credentials.appId and appSecret): the picture stays a link',
    });
    expect((await preview(groups.dingtalk.id))[0]).toMatchObject({
      as: 'the link in the text',
      warning: expect.stringContaining('config.format markdown'),
    });
  });

  it('previews a piece side by side on chosen channels for a group, before any post exists, and names what is wrong', async () => {
    const piece = (await poster(`${base}/poster.png`).expect(201)).body;
    const robot = await ChannelFactory.create(t, 'wecom', { config: { baseUrl: wecom.url, format: 'text' } });
    const bot = await ChannelFactory.create(t, 'telegram', {
      config: { baseUrl: telegram.url },
      credentials: { botToken: BOT_TOKEN },
    });
    const group = await GroupFactory.create(t, robot.id, { name: '杭州宝妈群', vars: { persona: '小当家' } });
    const preview = (
      await editor
        .post(`/v1/content/${piece.id}/channel-preview`)
        .send({ groupId: group.id, channelIds: [robot.id, bot.id] })
        .expect(200)
    ).body;
    expect(preview).toMatchObject({ contentId: piece.id, revision: 1, group: { id: group.id, name: '杭州宝妈群' } });
    const [onWecom, onTelegram] = preview.channels;
    expect(onWecom).toMatchObject({ channelId: robot.id, channelType: 'wecom' });
    expect(onWecom.parts.map((p: { type: string }) => p.type)).toEqual(['text', 'image']);
    expect(onWecom.parts[0].text).toContain('晚安，好梦。');
    expect(onWecom.parts[1].pictures[0]).toMatchObject({ url: `${base}/poster.png`, bytes: POSTER.length });
    expect(onTelegram.parts).toEqual([
      expect.objectContaining({
        type: 'sendPhoto',
        pictures: [expect.objectContaining({ url: `${base}/poster.png` })],
      }),
    ]);
    // Without channels named: the group's own channel first.
    const all = (await editor.post(`/v1/content/${piece.id}/channel-preview`).send({ groupId: group.id }).expect(200))
      .body.channels as { channelId: string }[];
    expect(all[0].channelId).toBe(robot.id);
    expect(all.map((c) => c.channelId)).toContain(bot.id);

    const refused = async (body: object, status: number) =>
      (await editor.post(`/v1/content/${piece.id}/channel-preview`).send(body).expect(status)).body;
    expect((await refused({ channelIds: ['not-a-uuid'] }, 400)).details[0].field).toBe('channelIds');
    expect((await refused({ revision: 9 }, 400)).details).toEqual([
      { field: 'revision', message: 'revision 9 does not exist' },
    ]);
    expect((await refused({ channelIds: [group.id] }, 404)).message).toContain(group.id);
    expect((await refused({ groupId: robot.id }, 404)).message).toContain(robot.id);
  });

  it('previews a piece not saved yet, as the editor types it, and names the field that is wrong', async () => {
    const robot = await ChannelFactory.create(t, 'wecom', { config: { baseUrl: wecom.url, format: 'text' } });
    const group = await GroupFactory.create(t, robot.id, { name: '草稿预览群' });
    const before = (await editor.get('/v1/content?pageSize=1').expect(200)).body.total;
    const draft = {
      kind: 'goodnight_poster',
      title: '还没保存的晚安',
      fields: { image: `${base}/poster.png`, line: '今晚的月亮很圆。' },
    };
    const preview = (
      await editor
        .post('/v1/content/channel-preview')
        .send({ ...draft, groupId: group.id, channelIds: [robot.id] })
        .expect(200)
    ).body;
    expect(preview).toMatchObject({ contentId: null, revision: null, group: { name: '草稿预览群' } });
    expect(preview.channels[0].parts.map((p: { type: string }) => p.type)).toEqual(['text', 'image']);
    expect(preview.channels[0].parts[0].text).toContain('今晚的月亮很圆。');
    expect(preview.channels[0].parts[1].pictures[0]).toMatchObject({ bytes: POSTER.length });
    // Nothing was written.
    expect((await editor.get('/v1/content?pageSize=1').expect(200)).body.total).toBe(before);
    const bad = await editor
      .post('/v1/content/channel-preview')
      .send({ ...draft, fields: { image: 'not a url', line: '' } })
      .expect(400);
    expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['fields.image', 'fields.line']);
    const unknown = await editor
      .post('/v1/content/channel-preview')
      .send({ ...draft, kind: 'nope' })
      .expect(400);
    expect(unknown.body.details[0].field).toBe('kind');
  });

  it('sends a product pick with a picture as a WeCom news card, a DingTalk action card and a Feishu card with the uploaded picture, as its preview says', async () => {
    const url = 'https://shop.example.com/cup';
    const piece = (
      await editor
        .post('/v1/content')
        .send({
          kind: 'product_pick',
          title: '好物推荐 · 恒温杯',
          fields: { item: '恒温电热水杯', price: 89.9, reasons: ['55℃ 恒温'], url, image: `${base}/poster.png` },
        })
        .expect(201)
    ).body;
    await editor.post(`/v1/content/${piece.id}/publish`).send({}).expect(200);
    const tag = `card-${Date.now()}`;
    const common = { tags: [tag], quietHours: null, minGapMinutes: 'off' };
    const robot = `card-key-${Date.now()}`;
    wecom.keys.add(robot);
    dingtalk.robots.set(`cardtoken${Date.now()}`, {});
    const dingtalkToken = [...dingtalk.robots.keys()].pop()!;
    feishu.bots.set(`card-bot-${Date.now()}`, {});
    const feishuToken = [...feishu.bots.keys()].pop()!;
    feishu.apps.set('cli_a1b2c3d4e5f6', 'appsecret0123456789abcdef');
    const channels = {
      wecom: await ChannelFactory.create(t, 'wecom', { config: { baseUrl: wecom.url } }),
      dingtalk: await ChannelFactory.create(t, 'dingtalk', { config: { baseUrl: dingtalk.url } }),
      feishu: await ChannelFactory.create(t, 'feishu', {
        config: { baseUrl: feishu.url },
        credentials: { appId: 'cli_a1b2c3d4e5f6', appSecret: 'appsecret0123456789abcdef' },
      }),
    };
    const groups = {
      wecom: await GroupFactory.create(t, channels.wecom.id, { address: robot, ...common }),
      dingtalk: await GroupFactory.create(t, channels.dingtalk.id, { address: dingtalkToken, ...common }),
      feishu: await GroupFactory.create(t, channels.feishu.id, { address: feishuToken, ...common }),
    };
    const campaign = await CampaignFactory.create(planner, [piece.id], [{ after: 'PT0S' }]);
    const run = await planner
      .post(`/v1/campaigns/${campaign.id}/runs`)
      .send({ audience: { tags: [tag] } })
      .expect(201);
    const posts = await waitForPosts<{ id: string; groupId: string; status: string }>(planner, run.body.id, (all) =>
      all.every((p) => p.status === 'sent'),
    );
    // WeCom: the markdown, then a news card leading to the product with the picture.
    type Json = { msgtype: string; news: { articles: object[] } };
    const toRobot = wecom.received.filter((r) => r.query.get('key') === robot).map((r) => r.json as Json);
    expect(toRobot.map((b) => b.msgtype)).toEqual(['markdown', 'news']);
    expect(toRobot[1].news.articles).toEqual([{ title: '好物推荐 · 恒温杯', url, picurl: `${base}/poster.png` }]);
    // DingTalk: one action card with the picture in its markdown and a button to the product.
    const toDingtalk = dingtalk.received.filter((r) => r.query.get('access_token') === dingtalkToken);
    expect(toDingtalk).toHaveLength(1);
    const card = (toDingtalk[0].json as { actionCard: { text: string } }).actionCard;
    expect(card).toMatchObject({ title: '好物推荐 · 恒温杯', singleTitle: '查看详情', singleURL: url });
    expect(card.text).toContain(`](${base}/poster.png)`);
    // Feishu: the card carries the picture uploaded by the channel's app, whose md5 is the file's.
    type Card = { card: { elements: { tag: string; img_key: string }[] } };
    const toFeishu = feishu.received.filter((r) => r.path.endsWith(feishuToken)).map((r) => r.json as Card);
    expect(toFeishu).toHaveLength(1);
    const img = toFeishu[0].card.elements.find((e) => e.tag === 'img')!;
    expect(feishu.images.get(img.img_key)).toBe(createHash('md5').update(POSTER).digest('hex'));
    // The previews list the same messages.
    const parts = async (groupId: string) =>
      (await planner.get(`/v1/posts/${posts.find((p) => p.groupId === groupId)!.id}/preview`).expect(200)).body.parts;
    expect((await parts(groups.wecom.id)).map((p: { type: string }) => p.type)).toEqual(['markdown', 'news']);
    expect(await parts(groups.dingtalk.id)).toEqual([
      expect.objectContaining({
        type: 'actionCard',
        url,
        pictures: [expect.objectContaining({ url: `${base}/poster.png` })],
      }),
    ]);
    expect(await parts(groups.feishu.id)).toEqual([
      expect.objectContaining({
        type: 'interactive',
        pictures: [
          expect.objectContaining({
            as: 'an image in the card, uploaded with the app credentials',
            bytes: POSTER.length,
          }),
        ],
      }),
    ]);
  });
});
