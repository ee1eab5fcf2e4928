import { FakeDingtalk } from '../../../test/support/providers/dingtalk';
import { httpClient, message, target } from '../../../test/support/adapter-kit';
import { DingtalkAdapter } from './dingtalk.adapter';

const TOKEN = 'a1b2c3d4e5f6a7b8c9d0';
const SECRET = 'SEC1234567890abcdef1234567890abcdef';

describe('DingtalkAdapter against a local DingTalk robot', () => {
  const dingtalk = new FakeDingtalk();
  const http = httpClient();
  const adapter = new DingtalkAdapter(http);
  const to = (address: Record<string, string> = { accessToken: TOKEN, secret: SECRET }, config = {}) =>
    target('dingtalk', address, { baseUrl: dingtalk.url, timeoutMs: 500, ...config });

  beforeAll(async () => {
    await dingtalk.start();
    dingtalk.robots.set(TOKEN, { secret: SECRET });
    dingtalk.robots.set('plain-robot-token', {});
    dingtalk.robots.set('keyword-robot-token', { keywords: ['早报'] });
  });
  beforeEach(() => dingtalk.received.splice(0));
  afterAll(async () => {
    await http.onModuleDestroy();
    await dingtalk.stop();
  });

  it('signs with timestamp and HMAC-SHA256 of "timestamp\\nsecret" and sends markdown with a title', async () => {
    expect(await adapter.send(message(), to())).toMatchObject({ kind: 'ok' });
    const [request] = dingtalk.received;
    expect(request.path).toBe('/robot/send');
    expect(request.query.get('access_token')).toBe(TOKEN);
    expect(Math.abs(Number(request.query.get('timestamp')) - Date.now())).toBeLessThan(5000);
    expect(request.json).toEqual({
      msgtype: 'markdown',
      markdown: { title: '周一早报', text: '**早上好**，今天降温，记得加衣。' },
      at: { atMobiles: [], atUserIds: [], isAtAll: false },
    });
  });

  it('sends no signature for a robot without a secret, and text when asked', async () => {
    expect(
      await adapter.send(message(), to({ accessToken: 'plain-robot-token' }, { format: 'text', mentionAll: true })),
    ).toMatchObject({ kind: 'ok' });
    const [request] = dingtalk.received;
    expect(request.query.has('sign')).toBe(false);
    expect(request.json).toMatchObject({
      msgtype: 'text',
      text: { content: '早上好，今天降温，记得加衣。' },
      at: { isAtAll: true },
    });
  });

  it('classifies a wrong secret (310000 sign not match) as permanent', async () => {
    const result = await adapter.send(message(), to({ accessToken: TOKEN, secret: 'SECwrongwrongwrongwrong' }));
    expect(result).toEqual(expect.objectContaining({ kind: 'permanent', code: '310000', reason: 'sign not match' }));
  });

  it('adds the robot’s required keyword when the content lacks it', async () => {
    const result = await adapter.send(message(), to({ accessToken: 'keyword-robot-token' }, { keywords: ['早报'] }));
    expect(result.kind).toBe('ok');
    expect((dingtalk.received[0].json as { markdown: { text: string } }).markdown.text.endsWith('\n\n早报')).toBe(true);
  });

  it('classifies a missing keyword (310000) as permanent when the channel does not know the keyword', async () => {
    const result = await adapter.send(message(), to({ accessToken: 'keyword-robot-token' }));
    expect(result).toEqual(
      expect.objectContaining({ kind: 'permanent', code: '310000', reason: 'keywords not in content' }),
    );
  });

  it('classifies an unknown token (300001) as permanent', async () => {
    expect(await adapter.send(message(), to({ accessToken: 'nobody-here-123' }))).toMatchObject({
      kind: 'permanent',
      code: '300001',
    });
  });

  it('classifies the 21st message in a minute (130101) as rate limited for ten minutes', async () => {
    dingtalk.robots.set('busy-robot-token', {});
    const results = [];
    for (let i = 0; i < 21; i++) results.push(await adapter.send(message(), to({ accessToken: 'busy-robot-token' })));
    expect(results.filter((r) => r.kind === 'ok')).toHaveLength(20);
    expect(results[20]).toMatchObject({ kind: 'rate', retryAfterMs: 600_000, code: '130101' });
  });

  it('classifies 5xx as transient, a slow answer and a dropped connection as ambiguous', async () => {
    dingtalk.next({ status: 500, body: 'oops' }, { delayMs: 1500 }, { drop: true });
    expect((await adapter.send(message(), to())).kind).toBe('transient');
    expect((await adapter.send(message(), to())).kind).toBe('ambiguous');
    expect((await adapter.send(message(), to())).kind).toBe('ambiguous');
  });
});
