import { FakeFeishu } from '../../../test/support/providers/feishu';
import { httpClient, message, target } from '../../../test/support/adapter-kit';
import { FeishuAdapter } from './feishu.adapter';

const TOKEN = '8b2e1c3a-6f4d-4a8b-9c1d-2e3f4a5b6c7d';
const SECRET = 'mQvT1sGz0aBcDeFgHiJk';

describe('FeishuAdapter against a local Feishu bot', () => {
  const feishu = new FakeFeishu();
  const http = httpClient();
  const adapter = new FeishuAdapter(http);
  const to = (address: Record<string, string> = { token: TOKEN, secret: SECRET }, config = {}) =>
    target('feishu', address, { baseUrl: feishu.url, timeoutMs: 500, ...config });

  beforeAll(async () => {
    await feishu.start();
    feishu.bots.set(TOKEN, { secret: SECRET });
    feishu.bots.set('keyword-bot-0001', { keywords: ['打卡'] });
  });
  beforeEach(() => feishu.received.splice(0));
  afterAll(async () => {
    await http.onModuleDestroy();
    await feishu.stop();
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
});
