import { createHmac } from 'node:crypto';
import { Answer, FakeServer, Received, WindowCounter } from './fake-server';

export interface FeishuBot {
  secret?: string;
  keywords?: string[];
}

interface FeishuBody {
  msg_type?: string;
  timestamp?: string;
  sign?: string;
  content?: { text?: string };
  card?: { elements?: { tag?: string; text?: { tag?: string; content?: string } }[] };
}

/** Feishu custom bot: signature in the body, 5 a second, 20 KB bodies, code 0 on success. */
export class FakeFeishu extends FakeServer {
  readonly bots = new Map<string, FeishuBot>();
  private readonly perSecond = new WindowCounter(5, 1000);

  protected answer(request: Received): Answer {
    const fail = (code: number, msg: string) => ({ body: { code, msg, data: {} } });
    const match = /^\/open-apis\/bot\/v2\/hook\/([^/]+)$/.exec(request.path);
    if (!match) return { status: 404, body: 'not found' };
    const bot = this.bots.get(decodeURIComponent(match[1]));
    if (!bot) return fail(19001, 'param invalid: incoming webhook access token invalid');
    if (Buffer.byteLength(request.body) > 20 * 1024) return fail(9499, 'Bad Request: body too large');
    const body = request.json as FeishuBody | undefined;
    if (!body) return fail(9499, 'Bad Request');
    if (bot.secret) {
      const timestamp = Number(body.timestamp);
      // The key is "timestamp\nsecret" and the message is empty, as Feishu documents it.
      const expected = createHmac('sha256', `${body.timestamp}\n${bot.secret}`).update('').digest('base64');
      if (!Number.isFinite(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > 3600 || body.sign !== expected) {
        return fail(19021, 'sign match fail or timestamp is not within one hour from current time');
      }
    }
    const content =
      body.msg_type === 'text'
        ? body.content?.text
        : body.msg_type === 'interactive'
          ? body.card?.elements?.[0]?.text?.content
          : undefined;
    if (!content) return fail(9499, 'Bad Request');
    if (bot.keywords?.length && !bot.keywords.some((k) => content.includes(k)))
      return fail(19024, 'Key Words Not Found');
    if (!this.perSecond.allow(match[1]))
      return fail(11232, 'frequency limited psm[lark.oapi.app_platform_runtime]appID[1]');
    return { body: { code: 0, msg: 'success', data: {}, StatusCode: 0, StatusMessage: 'success' } };
  }
}
