import { ChannelFactory, GroupFactory, createKey } from './support/factories';
import { FakeTelegram } from './support/providers/telegram';
import { FakeWecom } from './support/providers/wecom';
import { fieldsOf } from './support/details';
import { TestApp, createTestApp } from './support/test-app';

const BOT_TOKEN = '123456789:AAHfake-token_for_tests_0123456789';

describe('channels', () => {
  let t: TestApp;
  const wecom = new FakeWecom();
  const telegram = new FakeTelegram(BOT_TOKEN);

  beforeAll(async () => {
    t = await createTestApp();
    await wecom.start();
    await telegram.start();
  });
  afterAll(async () => {
    await t.close();
    await wecom.stop();
    await telegram.stop();
  });

  it('creates a channel of each type with the provider’s limits per address', async () => {
    const expected: Record<string, object[]> = {
      console: [],
      webhook: [],
      wecom: [{ limit: 20, windowMs: 60_000 }],
      dingtalk: [{ limit: 20, windowMs: 60_000 }],
      feishu: [
        { limit: 5, windowMs: 1000 },
        { limit: 100, windowMs: 60_000 },
      ],
      slack: [{ limit: 1, windowMs: 1000 }],
      telegram: [
        { limit: 1, windowMs: 1000 },
        { limit: 20, windowMs: 60_000 },
      ],
      external: [],
    };
    for (const [type, rateLimits] of Object.entries(expected)) {
      const body = type === 'telegram' ? { credentials: { botToken: BOT_TOKEN } } : {};
      const channel = await ChannelFactory.create(t, type, body);
      const fetched = await t.admin.get(`/v1/channels/${channel.id}`).expect(200);
      expect({ type, rateLimits: fetched.body.rateLimits }).toEqual({ type, rateLimits });
    }
  });

  it('uses the provider’s base URL unless the channel sets one, and Lark’s for region lark', async () => {
    const wecomChannel = await ChannelFactory.create(t, 'wecom');
    expect((await t.admin.get(`/v1/channels/${wecomChannel.id}`)).body.baseUrl).toBe('https://qyapi.weixin.qq.com');
    const lark = await ChannelFactory.create(t, 'feishu', { config: { region: 'lark' } });
    expect((await t.admin.get(`/v1/channels/${lark.id}`)).body.baseUrl).toBe('https://open.larksuite.com');
  });

  it('lowers a rate limit but never raises it above the provider’s', async () => {
    const lowered = await ChannelFactory.create(t, 'wecom', { config: { rateLimit: { perMinute: 10 } } });
    expect((await t.admin.get(`/v1/channels/${lowered.id}`)).body.rateLimits).toEqual([
      { limit: 10, windowMs: 60_000 },
    ]);
    const raised = await t.admin
      .post('/v1/channels')
      .send({ name: 'too-fast', type: 'wecom', config: { rateLimit: { perMinute: 30 } } })
      .expect(400);
    expect(raised.body.details).toEqual([
      { field: 'config.rateLimit.perMinute', message: "can only lower the provider's limit of 20" },
    ]);
  });

  it('refuses link tracking while the service has no public base URL to make short links under', async () => {
    const refused = await t.admin
      .post('/v1/channels')
      .send({ name: 'tracked', type: 'wecom', config: { trackLinks: true } })
      .expect(400);
    expect(refused.body.details).toEqual([
      { field: 'config.trackLinks', message: expect.stringContaining('PUBLIC_BASE_URL') },
    ]);
    await ChannelFactory.create(t, 'wecom', { config: { trackLinks: false } });
  });

  it('keeps a Telegram bot token write-only', async () => {
    const channel = await ChannelFactory.create(t, 'telegram', { credentials: { botToken: BOT_TOKEN } });
    expect(channel.credentials).toEqual({ botToken: '…6789' });
    const listed = await t.admin.get('/v1/channels').expect(200);
    expect(JSON.stringify(listed.body)).not.toContain(BOT_TOKEN);
  });

  it.each([
    ['an unknown type', { type: 'wechat' }, ['type']],
    ['an unknown config key', { type: 'wecom', config: { colour: 'red' } }, ['config.colour']],
    ['a base URL that is not http', { type: 'wecom', config: { baseUrl: 'ftp://x' } }, ['config.baseUrl']],
    ['a format the type does not take', { type: 'webhook', config: { format: 'markdown' } }, ['config.format']],
    ['a timeout out of range', { type: 'slack', config: { timeoutMs: 5 } }, ['config.timeoutMs']],
    ['a Telegram channel without a bot token', { type: 'telegram' }, ['credentials.botToken']],
    ['a malformed bot token', { type: 'telegram', credentials: { botToken: 'abc' } }, ['credentials.botToken']],
    ['credentials on a type that keeps none', { type: 'wecom', credentials: { key: 'x' } }, ['credentials']],
    ['an external channel name unfit for a queue', { type: 'external', name: 'My Queue!' }, ['name']],
  ])('refuses %s with 400 naming the field', async (_, body, fields) => {
    const response = await t.admin
      .post('/v1/channels')
      .send({ name: `bad-${Math.random()}`, ...body })
      .expect(400);
    expect(fieldsOf(response.body)).toEqual(fields);
  });

  it('refuses a second channel with the same name with 409', async () => {
    await t.admin.post('/v1/channels').send({ name: 'only-one', type: 'console' }).expect(201);
    const response = await t.admin.post('/v1/channels').send({ name: 'only-one', type: 'console' }).expect(409);
    expect(response.body.details).toEqual([{ field: 'name', message: 'is already used by another channel' }]);
  });

  it('updates config and replaces credentials', async () => {
    const channel = await ChannelFactory.create(t, 'telegram', { credentials: { botToken: BOT_TOKEN } });
    const updated = await t.admin
      .patch(`/v1/channels/${channel.id}`)
      .send({ config: { format: 'text' }, credentials: { botToken: '987654321:BBHanother-token_0123456789abcd' } })
      .expect(200);
    expect(updated.body).toMatchObject({ config: { format: 'text' }, credentials: { botToken: '…abcd' } });
  });

  describe('test-send', () => {
    let channelId: string;
    let groupId: string;
    const KEY = 'test-send-key-000001';

    beforeAll(async () => {
      wecom.keys.add(KEY);
      channelId = (await ChannelFactory.create(t, 'wecom', { config: { baseUrl: wecom.url, timeoutMs: 300 } })).id;
      groupId = (await GroupFactory.create(t, channelId, { address: KEY })).id;
    });

    const send = (text = '测试消息 from groupcast') =>
      t.admin.post(`/v1/channels/${channelId}/test-send`).send({ groupId, text });

    it('sends now and says ok', async () => {
      const response = await send().expect(200);
      expect(response.body).toEqual({ outcome: 'ok', partsSent: 1 });
      expect(wecom.contents().at(-1)).toBe('测试消息 from groupcast');
    });

    it.each([
      [
        { body: { errcode: 45009, errmsg: 'api freq out of limit' } },
        { outcome: 'rate', retryAfterMs: 60_000, code: '45009', reason: 'api freq out of limit' },
      ],
      [
        { body: { errcode: 93000, errmsg: 'invalid webhook url' } },
        { outcome: 'permanent', code: '93000', reason: 'invalid webhook url' },
      ],
      [
        { status: 502, body: 'bad gateway' },
        { outcome: 'transient', code: '502', reason: expect.stringContaining('502') },
      ],
      [{ delayMs: 1000 }, { outcome: 'ambiguous', reason: expect.stringContaining('UND_ERR_HEADERS_TIMEOUT') }],
    ])('returns the classified answer to %j', async (answer, expected) => {
      wecom.next(answer);
      expect((await send().expect(200)).body).toEqual(expected);
    });

    it('refuses a group of another channel and an unknown group, naming groupId', async () => {
      const other = await ChannelFactory.create(t, 'wecom');
      const stranger = await GroupFactory.create(t, other.id);
      expect(
        fieldsOf(
          (
            await t.admin
              .post(`/v1/channels/${channelId}/test-send`)
              .send({ groupId: stranger.id, text: 'x' })
              .expect(400)
          ).body,
        ),
      ).toEqual(['groupId']);
      expect(
        fieldsOf(
          (
            await t.admin
              .post(`/v1/channels/${channelId}/test-send`)
              .send({ groupId: '00000000-0000-4000-8000-000000000000', text: 'x' })
              .expect(400)
          ).body,
        ),
      ).toEqual(['groupId']);
      expect(
        fieldsOf(
          (await t.admin.post(`/v1/channels/${channelId}/test-send`).send({ groupId, text: '' }).expect(400)).body,
        ),
      ).toEqual(['text']);
    });

    it('follows a Telegram group that became a supergroup and updates its address', async () => {
      telegram.chats.add('-1009999999999');
      telegram.migrated.set('-4242', '-1009999999999');
      const channel = await ChannelFactory.create(t, 'telegram', {
        credentials: { botToken: BOT_TOKEN },
        config: { baseUrl: telegram.url },
      });
      const group = await GroupFactory.create(t, channel.id, { address: -4242 });
      const response = await t.admin
        .post(`/v1/channels/${channel.id}/test-send`)
        .send({ groupId: group.id, text: '你好' })
        .expect(200);
      expect(response.body).toMatchObject({ outcome: 'ok', addressUpdated: true, externalId: expect.any(String) });
      expect((await t.admin.get(`/v1/groups/${group.id}`)).body.address).toEqual({ chatId: '-1009999999999' });
    });

    it('has nothing to send for an external channel', async () => {
      const external = await ChannelFactory.create(t, 'external', { name: `ext-${Date.now()}` });
      const group = await GroupFactory.create(t, external.id, { address: 'crm-room-1' });
      const response = await t.admin
        .post(`/v1/channels/${external.id}/test-send`)
        .send({ groupId: group.id, text: 'x' })
        .expect(400);
      expect(fieldsOf(response.body)).toEqual(['channelId']);
    });
  });

  it('lets planners and viewers read channels but not change them', async () => {
    const viewer = t.as(await createKey(t, 'viewer'));
    await viewer.get('/v1/channels').expect(200);
    await viewer.post('/v1/channels').send({ name: 'x', type: 'console' }).expect(403);
    const editor = t.as(await createKey(t, 'editor'));
    await editor.get('/v1/channels').expect(403);
  });
});
