import { createHash } from 'node:crypto';
import { Answer, FakeServer, Received, WindowCounter } from './fake-server';

interface WecomBody {
  msgtype?: string;
  text?: { content?: string; mentioned_list?: string[] };
  markdown?: { content?: string };
  image?: { base64?: string; md5?: string };
  news?: { articles?: { title?: string; description?: string; url?: string; picurl?: string }[] };
}

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff]);

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
    if (body.msgtype === 'image') {
      const file = Buffer.from(body.image?.base64 ?? '', 'base64');
      if (file.length === 0) return fail(40009, 'invalid image size');
      if (createHash('md5').update(file).digest('hex') !== body.image?.md5) return fail(40009, 'invalid md5');
      if (file.length > 2 * 1024 * 1024) return fail(40009, 'invalid image size');
      if (!file.subarray(0, 4).equals(PNG) && !file.subarray(0, 3).equals(JPEG))
        return fail(40009, 'invalid image format');
      if (!this.perMinute.allow(key)) return fail(45009, 'api freq out of limit');
      return fail(0, 'ok');
    }
    if (body.msgtype === 'news') {
      const articles = body.news?.articles ?? [];
      if (articles.length < 1 || articles.length > 8) return fail(40008, 'invalid articles count');
      for (const article of articles) {
        if (!article.title || !article.url) return fail(41016, 'missing title or url');
        if (Buffer.byteLength(article.title) > 128) return fail(40058, 'title exceed max length 128');
        if (Buffer.byteLength(article.description ?? '') > 512) return fail(40058, 'description exceed max length 512');
      }
      if (!this.perMinute.allow(key)) return fail(45009, 'api freq out of limit');
      return fail(0, 'ok');
    }
    const content =
      body.msgtype === 'text' ? body.text?.content : body.msgtype === 'markdown' ? body.markdown?.content : undefined;
    if (content === undefined) return fail(40008, 'invalid message type');
    if (content === '') return fail(44004, 'empty content');
    const limit = body.msgtype === 'text' ? 2048 : 4096;
    if (Buffer.byteLength(content) > limit) return fail(40058, `content exceed max length ${limit}`);
    if (!this.perMinute.allow(key)) return fail(45009, 'api freq out of limit');
    return fail(0, 'ok');
  }

  /** The pictures received as image messages, decoded. */
  images(): Buffer[] {
    return this.received
      .map((r) => (r.json as WecomBody).image?.base64)
      .filter((b): b is string => b !== undefined)
      .map((b) => Buffer.from(b, 'base64'));
  }

  contents(): string[] {
    return this.received.map((r) => {
      const body = r.json as WecomBody;
      return body.text?.content ?? body.markdown?.content ?? '';
    });
  }
}
