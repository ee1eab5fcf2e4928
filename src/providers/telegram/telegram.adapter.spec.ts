import { FakeTelegram } from '../../../test/support/providers/telegram';
import { httpClient, message, target } from '../../../test/support/adapter-kit';
import { TelegramAdapter } from './telegram.adapter';

const TOKEN = '123456789:AAHfake-token_for_tests_0123456789';

describe('TelegramAdapter against a local Bot API', () => {
  const telegram = new FakeTelegram(TOKEN);
  const http = httpClient();
  const adapter = new TelegramAdapter(http);
  const to = (chatId = '-1001234567890', config = {}, token = TOKEN) =>
    target('telegram', { chatId }, { baseUrl: telegram.url, timeoutMs: 500, ...config }, { botToken: token });

  beforeAll(async () => {
    await telegram.start();
    telegram.chats.add('-1001234567890');
    telegram.migrated.set('-4242', '-1009999999999');
  });
  beforeEach(() => telegram.received.splice(0));
  afterAll(async () => {
    await http.onModuleDestroy();
    await telegram.stop();
  });

  it('sends HTML to /bot<token>/sendMessage and returns the message id', async () => {
    const result = await adapter.send(
      message({ markdown: '**早上好** <朋友们> & [链接](https://x.example/?a=1&b=2)' }),
      to(),
    );
    expect(result).toEqual(expect.objectContaining({ kind: 'ok', externalId: '100' }));
    expect(telegram.received[0].path).toBe(`/bot${TOKEN}/sendMessage`);
    expect(telegram.received[0].json).toEqual({
      chat_id: '-1001234567890',
      text: '<b>早上好</b> &lt;朋友们&gt; &amp; <a href="https://x.example/?a=1&amp;b=2">链接</a>',
      parse_mode: 'HTML',
    });
  });

  it('sends plain text without a parse mode when asked', async () => {
    await adapter.send(message(), to(undefined, { format: 'text' }));
    expect(telegram.received[0].json).toEqual({ chat_id: '-1001234567890', text: '早上好，今天降温，记得加衣。' });
  });

  it('classifies 429 by parameters.retry_after', async () => {
    telegram.next({
      status: 429,
      body: {
        ok: false,
        error_code: 429,
        description: 'Too Many Requests: retry after 5',
        parameters: { retry_after: 5 },
      },
    });
    expect(await adapter.send(message(), to())).toMatchObject({ kind: 'rate', retryAfterMs: 5000, code: '429' });
  });

  it('classifies a bad token (401) and an unknown chat (400) as permanent', async () => {
    expect(await adapter.send(message(), to(undefined, {}, '999:wrongwrongwrongwrongwrong'))).toMatchObject({
      kind: 'permanent',
      code: '401',
      reason: 'Unauthorized',
    });
    expect(await adapter.send(message(), to('-1000000000001'))).toMatchObject({
      kind: 'permanent',
      code: '400',
      reason: 'Bad Request: chat not found',
    });
  });

  it('reports a group that became a supergroup with its new chat id', async () => {
    expect(await adapter.send(message(), to('-4242'))).toMatchObject({
      kind: 'moved',
      address: { chatId: '-1009999999999' },
    });
  });

  it('classifies 5xx as transient, a slow answer and a dropped connection as ambiguous', async () => {
    telegram.next({ status: 502, body: 'Bad Gateway' }, { delayMs: 1500 }, { drop: true });
    expect((await adapter.send(message(), to())).kind).toBe('transient');
    expect((await adapter.send(message(), to())).kind).toBe('ambiguous');
    expect((await adapter.send(message(), to())).kind).toBe('ambiguous');
  });
});
