import { FakeWecom } from '../../../test/support/providers/wecom';
import { httpClient, longBrief, message, pictureStore, target } from '../../../test/support/adapter-kit';
import { WecomAdapter, withoutImageSyntax } from './wecom.adapter';

const KEY = '693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa';

describe('WecomAdapter against a local WeCom robot', () => {
  const wecom = new FakeWecom();
  const http = httpClient();
  const adapter = new WecomAdapter(http, pictureStore(http));
  const to = (config = {}) => target('wecom', { key: KEY }, { baseUrl: wecom.url, timeoutMs: 500, ...config });

  beforeAll(async () => {
    await wecom.start();
    wecom.keys.add(KEY);
  });
  beforeEach(() => wecom.received.splice(0));
  afterAll(async () => {
    await http.onModuleDestroy();
    await wecom.stop();
  });

  it('posts markdown to /cgi-bin/webhook/send with the key in the query', async () => {
    const result = await adapter.send(message(), to());
    expect(result).toMatchObject({ kind: 'ok', partsSent: 1 });
    const [request] = wecom.received;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/cgi-bin/webhook/send');
    expect(request.query.get('key')).toBe(KEY);
    expect(request.headers['content-type']).toMatch(/^application\/json/);
    expect(request.json).toEqual({ msgtype: 'markdown', markdown: { content: '**早上好**，今天降温，记得加衣。' } });
  });

  it('posts text with @all when the channel is set to text and mentions', async () => {
    await adapter.send(message(), to({ format: 'text', mentionAll: true }));
    expect(wecom.received[0].json).toEqual({
      msgtype: 'text',
      text: { content: '早上好，今天降温，记得加衣。', mentioned_list: ['@all'], mentioned_mobile_list: [] },
    });
  });

  it('splits a 5,000-byte Chinese brief into ordered text parts of at most 2,048 bytes', async () => {
    const brief = longBrief();
    expect(Buffer.byteLength(brief)).toBeGreaterThan(5000);
    const result = await adapter.send(message({ text: brief }), to({ format: 'text' }));
    const parts = wecom.contents();
    expect(result).toMatchObject({ kind: 'ok', partsSent: parts.length });
    expect(parts.length).toBeGreaterThanOrEqual(3);
    for (const part of parts) expect(Buffer.byteLength(part)).toBeLessThanOrEqual(2048);
    expect(parts.join('\n\n')).toBe(brief);
  });

  it('refuses a paragraph that cannot fit in one message, sending nothing', async () => {
    const result = await adapter.send(message({ text: `短的开头\n\n${'长'.repeat(700)}` }), to({ format: 'text' }));
    expect(result).toMatchObject({ kind: 'permanent', code: 'too_long' });
    expect(result.kind === 'permanent' && result.reason).toContain('paragraph 2 is 2100 bytes');
    expect(wecom.received).toHaveLength(0);
  });

  it('resumes a split message after the parts an earlier attempt delivered', async () => {
    const brief = longBrief();
    await adapter.send(message({ text: brief }), to({ format: 'text' }));
    const all = wecom.contents();
    wecom.received.splice(0);
    const result = await adapter.send(message({ text: brief, skipParts: 1 }), to({ format: 'text' }));
    expect(result).toMatchObject({ kind: 'ok', partsSent: all.length });
    expect(wecom.contents()).toEqual(all.slice(1));
  });

  it('reports how many parts went out when a later part fails', async () => {
    wecom.next({ normal: true }, { status: 503, body: 'busy' });
    const result = await adapter.send(message({ text: longBrief() }), to({ format: 'text' }));
    expect(result).toMatchObject({ kind: 'transient', partsSent: 1 });
  });

  it('classifies an unknown key (93000) as permanent with the provider’s reason', async () => {
    const result = await adapter.send(message(), target('wecom', { key: 'not-a-robot-key' }, { baseUrl: wecom.url }));
    expect(result).toEqual(
      expect.objectContaining({
        kind: 'permanent',
        code: '93000',
        reason: expect.stringContaining('invalid webhook url'),
      }),
    );
  });

  it('classifies the 21st message in a minute (45009) as rate limited for 60 s', async () => {
    const other = 'rate-test-key-0001';
    wecom.keys.add(other);
    const results = [];
    for (let i = 0; i < 21; i++)
      results.push(await adapter.send(message(), target('wecom', { key: other }, { baseUrl: wecom.url })));
    expect(results.slice(0, 20).every((r) => r.kind === 'ok')).toBe(true);
    expect(results[20]).toEqual(expect.objectContaining({ kind: 'rate', retryAfterMs: 60_000, code: '45009' }));
  });

  it('classifies a 5xx as transient', async () => {
    wecom.next({ status: 502, body: 'Bad Gateway' });
    expect(await adapter.send(message(), to())).toMatchObject({ kind: 'transient', code: '502' });
  });

  it('classifies an answer slower than the timeout as ambiguous: the robot may have posted', async () => {
    wecom.next({ delayMs: 1500 });
    const result = await adapter.send(message(), to());
    expect(result.kind).toBe('ambiguous');
    expect(wecom.received).toHaveLength(1);
  });

  it('classifies a dropped connection as ambiguous', async () => {
    wecom.next({ drop: true });
    expect((await adapter.send(message(), to())).kind).toBe('ambiguous');
  });

  it('classifies a refused connection as transient: nothing was sent', async () => {
    const closed = new FakeWecom();
    await closed.start();
    const url = closed.url;
    await closed.stop();
    expect(await adapter.send(message(), to({ baseUrl: url }))).toMatchObject({
      kind: 'transient',
      code: 'ECONNREFUSED',
    });
  });
});

describe('withoutImageSyntax', () => {
  it('takes the post’s own pictures out of robot markdown and turns any other into a link', () => {
    const markdown =
      '![晚安](https://cdn.example.com/p.png)\n\n🌙 **晚安**\n\n![](https://other.example.com/x.jpg)  \n';
    expect(withoutImageSyntax(markdown, ['https://cdn.example.com/p.png'])).toBe(
      '🌙 **晚安**\n\n[图片](https://other.example.com/x.jpg)',
    );
    expect(withoutImageSyntax('**只有字**', [])).toBe('**只有字**');
  });
});
