import { createHmac } from 'node:crypto';
import { Answer, FakeServer, Received, WindowCounter } from './fake-server';

export interface DingtalkRobot {
  secret?: string;
  keywords?: string[];
}

interface DingtalkBody {
  msgtype?: string;
  text?: { content?: string };
  markdown?: { title?: string; text?: string };
  actionCard?: { title?: string; text?: string; singleTitle?: string; singleURL?: string };
}

/** DingTalk custom robot: signature, keywords and 20 a minute, all answered with HTTP 200 and an errcode. */
export class FakeDingtalk extends FakeServer {
  readonly robots = new Map<string, DingtalkRobot>();
  private readonly perMinute = new WindowCounter(20, 60_000);

  protected answer(request: Received): Answer {
    const fail = (errcode: number, errmsg: string) => ({ body: { errcode, errmsg } });
    if (request.path !== '/robot/send') return { status: 404, body: 'not found' };
    const token = request.query.get('access_token') ?? '';
    const robot = this.robots.get(token);
    if (!robot) return fail(300001, 'token is not exist');
    if (robot.secret) {
      const timestamp = Number(request.query.get('timestamp'));
      if (!Number.isFinite(timestamp) || Math.abs(Date.now() - timestamp) > 3_600_000)
        return fail(310000, 'invalid timestamp');
      // Recomputed here from the documented recipe, not with the adapter's code.
      const expected = createHmac('sha256', robot.secret).update(`${timestamp}\n${robot.secret}`).digest('base64');
      if (request.query.get('sign') !== expected) return fail(310000, 'sign not match');
    }
    const body = request.json as DingtalkBody | undefined;
    const content =
      body?.msgtype === 'text'
        ? body.text?.content
        : body?.msgtype === 'markdown'
          ? body.markdown?.text
          : body?.msgtype === 'actionCard'
            ? body.actionCard?.text
            : undefined;
    if (!content) return fail(40035, 'missing content');
    if (body?.msgtype === 'markdown' && !body.markdown?.title) return fail(40035, 'missing title');
    if (body?.msgtype === 'actionCard') {
      const card = body.actionCard;
      if (!card?.title || !card.singleTitle || !card.singleURL)
        return fail(40035, 'missing title, singleTitle or singleURL');
    }
    if (robot.keywords?.length && !robot.keywords.some((k) => content.includes(k)))
      return fail(310000, 'keywords not in content');
    if (!this.perMinute.allow(token)) return fail(130101, 'send too fast, exceed 20 times per minute');
    return fail(0, 'ok');
  }
}
