import { FakeWebhookReceiver } from '../../../test/support/providers/webhook-receiver';
import { httpClient, message, target } from '../../../test/support/adapter-kit';
import { WebhookAdapter, generateWebhookSecret } from './webhook.adapter';

describe('WebhookAdapter against a Standard Webhooks receiver', () => {
  const receiver = new FakeWebhookReceiver();
  const http = httpClient();
  const adapter = new WebhookAdapter(http);
  const secret = generateWebhookSecret();
  const to = (address: Record<string, string> = { url: `${receiver.url}/hooks/groupcast`, secret }) =>
    target('webhook', address, { timeoutMs: 500 });

  beforeAll(async () => {
    await receiver.start();
    receiver.secret = secret;
  });
  beforeEach(() => receiver.received.splice(0));
  afterAll(async () => {
    await http.onModuleDestroy();
    await receiver.stop();
  });

  it('generates whsec_ secrets of 32 random bytes', () => {
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
  });

  it('signs the post with webhook-id = post id, webhook-timestamp and a v1 signature the receiver verifies, pictures as URLs', async () => {
    const post = message({
      runId: 'run-1',
      dueAt: new Date('2026-11-23T00:00:00Z'),
      images: ['https://cdn.example.com/goodnight-1123.jpg'],
    });
    expect(await adapter.send(post, to())).toMatchObject({ kind: 'ok' });
    const [request] = receiver.received;
    expect(request.headers['webhook-id']).toBe(post.id);
    expect(Math.abs(Number(request.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(5);
    expect(receiver.accepted.get(post.id)).toEqual({
      type: 'post.due',
      timestamp: expect.any(String),
      data: {
        postId: post.id,
        runId: 'run-1',
        stage: 'activate',
        dueAt: '2026-11-23T00:00:00.000Z',
        group: post.group,
        title: '周一早报',
        text: post.text,
        markdown: post.markdown,
        images: ['https://cdn.example.com/goodnight-1123.jpg'],
        link: null,
      },
    });
  });

  it('is refused by the receiver when signed with another secret', async () => {
    const result = await adapter.send(message(), to({ url: `${receiver.url}/x`, secret: generateWebhookSecret() }));
    expect(result).toMatchObject({ kind: 'permanent', code: '401' });
  });

  it('is deduplicated by the receiver when an ambiguous send is retried', async () => {
    const post = message();
    receiver.next({ delayMs: 1500 });
    expect((await adapter.send(post, to())).kind).toBe('ambiguous');
    expect(await adapter.send(post, to())).toMatchObject({ kind: 'ok' });
    expect(receiver.received.filter((r) => r.headers['webhook-id'] === post.id)).toHaveLength(2);
    expect([...receiver.accepted.keys()].filter((id) => id === post.id)).toHaveLength(1);
  });

  it.each([
    [429, { 'retry-after': '30' }, { kind: 'rate', retryAfterMs: 30_000 }],
    [503, { 'retry-after': '2' }, { kind: 'rate', retryAfterMs: 2000 }],
    [502, {}, { kind: 'transient', code: '502' }],
    [504, {}, { kind: 'transient', code: '504' }],
    [500, {}, { kind: 'transient', code: '500' }],
    [410, {}, { kind: 'permanent', code: '410' }],
    [422, {}, { kind: 'permanent', code: '422' }],
    [301, { location: 'http://127.0.0.1:1/elsewhere' }, { kind: 'permanent', code: '301' }],
  ])('classifies HTTP %i', async (status, headers, expected) => {
    receiver.next({ status, headers, body: 'nope' });
    expect(await adapter.send(message(), to())).toMatchObject(expected);
    expect(receiver.received).toHaveLength(1);
  });

  it('classifies a dropped connection as ambiguous', async () => {
    receiver.next({ drop: true });
    expect((await adapter.send(message(), to())).kind).toBe('ambiguous');
  });
});
