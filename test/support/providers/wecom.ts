import { Answer, FakeServer, Received, WindowCounter } from './fake-server';

interface WecomBody {
  msgtype?: string;
  text?: { content?: string; mentioned_list?: string[] };
  markdown?: { content?: string };
}

/** WeCom group robot: HTTP 200 with an errcode for everything, 20 messages a minute per key. */
export class FakeWecom extends FakeServer {
  readonly keys = new Set<string>();
  private readonly perMinute = new WindowCounter(20, 60_000);

  protected answer(request: Received): Answer {
    const fail = (errcode: number, errmsg: string) => ({ body: { errcode, errmsg } });
    if (request.method !== 'POST' || request.path !== '/cgi-bin/webhook/send')
      return { status: 404, body: 'not found' };
    const key = request.query.get('key') ?? '';
    if (!this.keys.has(key)) return fail(93000, 'invalid webhook url, hint: [1700000000_abc]');
    const body = request.json as WecomBody | undefined;
    if (!body) return fail(40016, 'invalid json');
    const content =
      body.msgtype === 'text' ? body.text?.content : body.msgtype === 'markdown' ? body.markdown?.content : undefined;
    if (content === undefined) return fail(40008, 'invalid message type');
    if (content === '') return fail(44004, 'empty content');
    const limit = body.msgtype === 'text' ? 2048 : 4096;
    if (Buffer.byteLength(content) > limit) return fail(40058, `content exceed max length ${limit}`);
    if (!this.perMinute.allow(key)) return fail(45009, 'api freq out of limit');
    return fail(0, 'ok');
  }

  contents(): string[] {
    return this.received.map((r) => {
      const body = r.json as WecomBody;
      return body.text?.content ?? body.markdown?.content ?? '';
    });
  }
}
