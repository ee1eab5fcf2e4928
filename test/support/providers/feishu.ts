import { createHash, createHmac, randomUUID } from 'node:crypto';
import { Answer, FakeServer, Received, WindowCounter, multipart } from './fake-server';

export interface FeishuBot {
  secret?: string;
  keywords?: string[];
}

interface FeishuBody {
  msg_type?: string;
  timestamp?: string;
  sign?: string;
  content?: { text?: string; image_key?: string };
  card?: { elements?: { tag?: string; img_key?: string; text?: { tag?: string; content?: string } }[] };
}

/** Feishu custom bot: signature in the body, 5 a second, 20 KB bodies, code 0 on success. */
export class FakeFeishu extends FakeServer {
  readonly bots = new Map<string, FeishuBot>();
  /** Self-built apps that may upload pictures: app id → secret. */
  readonly apps = new Map<string, string>();
  /** Tenant access tokens it has issued and still takes; clear it to expire them all. */
  readonly tokens = new Set<string>();
  /** Uploaded pictures by image key: their md5. */
  readonly images = new Map<string, string>();
  private readonly perSecond = new WindowCounter(5, 1000);

  /** Forgets what it received and the sends it counted toward its rate limit. */
  reset(): void {
    this.received.splice(0);
    this.perSecond.clear();
  }

  protected answer(request: Received): Answer {
    const fail = (code: number, msg: string) => ({ body: { code, msg, data: {} } });
    if (request.path === '/open-apis/auth/v3/tenant_access_token/internal') return this.token(request);
    if (request.path === '/open-apis/im/v1/images') return this.upload(request);
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
    const keys = [
      ...(body.msg_type === 'image' ? [body.content?.image_key] : []),
      ...(body.card?.elements ?? []).filter((e) => e.tag === 'img').map((e) => e.img_key),
    ];
    if (keys.some((key) => !key || !this.images.has(key))) return fail(9499, 'Bad Request: image_key not found');
    const content =
      body.msg_type === 'text'
        ? body.content?.text
        : body.msg_type === 'interactive'
          ? body.card?.elements?.[0]?.text?.content
          : body.msg_type === 'image'
            ? body.content?.image_key
            : undefined;
    if (!content) return fail(9499, 'Bad Request');
    if (bot.keywords?.length && !bot.keywords.some((k) => content.includes(k)))
      return fail(19024, 'Key Words Not Found');
    if (!this.perSecond.allow(match[1]))
      return fail(11232, 'frequency limited psm[lark.oapi.app_platform_runtime]appID[1]');
    return { body: { code: 0, msg: 'success', data: {}, StatusCode: 0, StatusMessage: 'success' } };
  }

  private token(request: Received): Answer {
    const { app_id, app_secret } = (request.json ?? {}) as { app_id?: string; app_secret?: string };
    if (!app_id || this.apps.get(app_id) !== app_secret) return { body: { code: 10014, msg: 'app secret invalid' } };
    const token = `t-${randomUUID()}`;
    this.tokens.add(token);
    return { body: { code: 0, msg: 'ok', tenant_access_token: token, expire: 7200 } };
  }

  private upload(request: Received): Answer {
    const token = /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ''))?.[1];
    if (!token || !this.tokens.has(token)) {
      return {
        status: 400,
        body: {
          code: 99991663,
          msg: 'Invalid access token for authorization. Please make a request with token attached.',
        },
      };
    }
    const form = multipart(request);
    const image = form.get('image');
    if (form.get('image_type')?.toString() !== 'message' || !image?.length) {
      return { status: 400, body: { code: 234001, msg: 'Invalid request param.' } };
    }
    const key = `img_v3_${randomUUID()}`;
    this.images.set(key, createHash('md5').update(image).digest('hex'));
    return { body: { code: 0, msg: 'success', data: { image_key: key } } };
  }
}
