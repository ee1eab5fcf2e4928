import { FakeSlack } from '../../../test/support/providers/slack';
import { httpClient, message, target } from '../../../test/support/adapter-kit';
import { SlackAdapter } from './slack.adapter';

const HOOK = '/services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX';

describe('SlackAdapter against a local Slack incoming webhook', () => {
  const slack = new FakeSlack();
  const http = httpClient();
  const adapter = new SlackAdapter(http);
  const to = (path = HOOK, config = {}) =>
    target('slack', { url: `${slack.url}${path}` }, { timeoutMs: 500, ...config });

  beforeAll(async () => {
    await slack.start();
    slack.hooks.add(HOOK);
    slack.hooks.add('/services/archived');
    slack.archived.add('/services/archived');
  });
  beforeEach(() => slack.received.splice(0));
  afterAll(async () => {
    await http.onModuleDestroy();
    await slack.stop();
  });

  it('posts mrkdwn in a section block with a text fallback', async () => {
    expect(
      await adapter.send(message({ markdown: '## 早报\n**早上好** [详情](https://x.example/a)' }), to()),
    ).toMatchObject({ kind: 'ok' });
    expect(slack.received[0].path).toBe(HOOK);
    expect(slack.received[0].json).toEqual({
      text: '*早报*\n\n*早上好* <https://x.example/a|详情>',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*早报*\n\n*早上好* <https://x.example/a|详情>' } }],
    });
  });

  it('keeps every section within 3,000 characters', async () => {
    const long = Array.from({ length: 8 }, () => '字'.repeat(900)).join('\n\n');
    expect(await adapter.send(message({ markdown: long }), to())).toMatchObject({ kind: 'ok', partsSent: 3 });
    for (const r of slack.received) {
      expect([...(r.json as { blocks: { text: { text: string } }[] }).blocks[0].text.text].length).toBeLessThanOrEqual(
        3000,
      );
    }
  });

  it('classifies 429 by its Retry-After', async () => {
    slack.next({ status: 429, headers: { 'retry-after': '7' }, body: 'rate_limited' });
    expect(await adapter.send(message(), to())).toMatchObject({ kind: 'rate', retryAfterMs: 7000 });
  });

  it('classifies no_service (404), channel_is_archived (410) and invalid_token (403) as permanent', async () => {
    expect(await adapter.send(message(), to('/services/unknown'))).toMatchObject({
      kind: 'permanent',
      code: 'no_service',
    });
    expect(await adapter.send(message(), to('/services/archived'))).toMatchObject({
      kind: 'permanent',
      code: 'channel_is_archived',
    });
    slack.next({ status: 403, body: 'invalid_token' });
    expect(await adapter.send(message(), to())).toMatchObject({ kind: 'permanent', code: 'invalid_token' });
  });

  it('classifies 5xx as transient, a slow answer and a dropped connection as ambiguous', async () => {
    slack.next({ status: 500, body: 'internal_error' }, { delayMs: 1500 }, { drop: true });
    expect((await adapter.send(message(), to())).kind).toBe('transient');
    expect((await adapter.send(message(), to())).kind).toBe('ambiguous');
    expect((await adapter.send(message(), to())).kind).toBe('ambiguous');
  });
});
