import { createHash } from 'node:crypto';
import { FakeFeishu } from '../../../test/support/providers/feishu';
import { PictureServer, png } from '../../../test/support/providers/pictures';
import { httpClient, message, pictureStore, target } from '../../../test/support/adapter-kit';
import { FeishuImages } from './feishu-images';
import { FeishuAdapter } from './feishu.adapter';

const TOKEN = '8b2e1c3a-6f4d-4a8b-9c1d-2e3f4a5b6c7d';
const SECRET = 'mQvT1sGz0aBcDeFgHiJk';

describe('FeishuAdapter against a local Feishu bot', () => {
  const feishu = new FakeFeishu();
  const http = httpClient();
  const adapter = new FeishuAdapter(http, new FeishuImages(http, pictureStore(http)));
  const to = (address: Record<string, string> = { token: TOKEN, secret: SECRET }, config = {}) =>
    target('feishu', address, { baseUrl: feishu.url, timeoutMs: 500, ...config });

  const pictures = new PictureServer();
  const APP = { appId: 'cli_0123456789abcdef', appSecret: 'secret0123456789abcdef' };
  const A = png(4096);

  beforeAll(async () => {
    await feishu.start();
    await pictures.start();
    pictures.files.set('/a.png', { type: 'image/png', body: A });
    pictures.files.set('/b.png', { type: 'image/png', body: png(8192) });
    feishu.apps.set(APP.appId, APP.appSecret);
    feishu.bots.set(TOKEN, { secret: SECRET });
    feishu.bots.set('keyword-bot-0001', { keywords: ['打卡'] });
  });
  // Each test starts with the bot's rate window empty: a slow machine must not carry one test's sends into the next.
  beforeEach(() => feishu.reset());
  afterAll(async () => {
    await http.onModuleDestroy();
    await feishu.stop();
    await pictures.stop();
  });

  it('sends a lark_md card signed in the body with timestamp and sign', async () => {
    const result = await adapter.send(message({ markdown: '## 早报\n\n**早上好**' }), to());
    expect(result).toMatchObject({ kind: 'ok' });
    const [request] = feishu.received;
    expect(request.path).toBe(`/open-apis/bot/v2/hook/${TOKEN}`);
    expect(request.json).toEqual({
      msg_type: 'interactive',
      card: { elements: [{ tag: 'div', text: { tag: 'lark_md', content: '**早报**\n\n**早上好**' } }] },
      timestamp: expect.stringMatching(/^\d{10}$/),
      sign: expect.any(String),
    });
  });

  it('sends text when asked', async () => {
    await adapter.send(message(), to(undefined, { format: 'text' }));
    expect(feishu.received[0].json).toMatchObject({
      msg_type: 'text',
      content: { text: '早上好，今天降温，记得加衣。' },
    });
  });

  it('classifies a wrong secret (19021) and an unknown token (19001) as permanent', async () => {
    expect(await adapter.send(message(), to({ token: TOKEN, secret: 'wrongwrongwrong1' }))).toMatchObject({
      kind: 'permanent',
      code: '19021',
    });
    expect(await adapter.send(message(), to({ token: 'unknown-bot-0001' }))).toMatchObject({
      kind: 'permanent',
      code: '19001',
    });
  });

  it('adds a required keyword, and without it classifies 19024 as permanent', async () => {
    expect(await adapter.send(message(), to({ token: 'keyword-bot-0001' }, { keywords: ['打卡'] }))).toMatchObject({
      kind: 'ok',
    });
    expect(await adapter.send(message(), to({ token: 'keyword-bot-0001' }))).toMatchObject({
      kind: 'permanent',
      code: '19024',
    });
  });

  it('classifies the sixth message in a second (11232) as rate limited', async () => {
    feishu.bots.set('busy-bot-00001', {});
    const results = await Promise.all(
      Array.from({ length: 6 }, () => adapter.send(message(), to({ token: 'busy-bot-00001' }))),
    );
    expect(results.filter((r) => r.kind === 'rate')).toEqual([
      expect.objectContaining({ code: '11232', retryAfterMs: 10_000 }),
    ]);
  });

  it('keeps each part of a long post under the 20 KB body limit', async () => {
    const long = Array.from({ length: 30 }, (_, i) => `第${i}段 ${'飞书消息内容。'.repeat(60)}`).join('\n\n');
    const result = await adapter.send(message({ text: long }), to(undefined, { format: 'text' }));
    expect(result.kind).toBe('ok');
    expect(feishu.received.length).toBeGreaterThan(1);
    for (const request of feishu.received) expect(Buffer.byteLength(request.body)).toBeLessThanOrEqual(20 * 1024);
  });

  it('classifies 5xx as transient, a slow answer and a dropped connection as ambiguous', async () => {
    feishu.next({ status: 503, body: { code: 500, msg: 'internal error' } }, { delayMs: 1500 }, { drop: true });
    expect((await adapter.send(message(), to())).kind).toBe('transient');
    expect((await adapter.send(message(), to())).kind).toBe('ambiguous');
    expect((await adapter.send(message(), to())).kind).toBe('ambiguous');
  });

  it('uploads pictures with the app credentials once per picture, fetching a new token once when Feishu says it is invalid', async () => {
    feishu.bots.set('picture-bot-0001', {});
    const bot = to({ token: 'picture-bot-0001' });
    const withApp = { ...bot, channel: { ...bot.channel, credentials: APP } };
    const images = [`${pictures.url}/a.png`];
    expect(await adapter.send(message({ images }), withApp)).toMatchObject({ kind: 'ok' });
    const card = (feishu.received.at(-1)!.json as { card: { elements: { tag: string; img_key?: string }[] } }).card;
    const key = card.elements.find((e) => e.tag === 'img')!.img_key!;
    expect(feishu.images.get(key)).toBe(createHash('md5').update(A).digest('hex'));
    // The same picture again: no second upload.
    expect(await adapter.send(message({ images }), withApp)).toMatchObject({ kind: 'ok' });
    const uploads = () => feishu.received.filter((r) => r.path === '/open-apis/im/v1/images').length;
    const tokens = () => feishu.received.filter((r) => r.path.endsWith('/tenant_access_token/internal')).length;
    expect([uploads(), tokens()]).toEqual([1, 1]);
    // Feishu forgets its tokens: the next upload is refused once, a new token is fetched, and it goes.
    feishu.tokens.clear();
    expect(await adapter.send(message({ images: [`${pictures.url}/b.png`] }), withApp)).toMatchObject({ kind: 'ok' });
    expect([uploads(), tokens()]).toEqual([3, 2]);
  });

  it('sends pictures as links in the text when the channel has no app credentials, and refuses a wrong app secret', async () => {
    const images = [`${pictures.url}/a.png`];
    expect(await adapter.send(message({ images }), to())).toMatchObject({ kind: 'ok', partsSent: 1 });
    expect(feishu.received.some((r) => r.path.startsWith('/open-apis/im/'))).toBe(false);
    const wrong = {
      ...to(),
      channel: { ...to().channel, credentials: { ...APP, appSecret: 'wrongsecret0123456789' } },
    };
    expect(await adapter.send(message({ images }), wrong)).toMatchObject({ kind: 'permanent', code: '10014' });
  });
});
