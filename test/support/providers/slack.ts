import { Answer, FakeServer, Received } from './fake-server';

interface SlackBody {
  text?: string;
  blocks?: { type?: string; text?: { type?: string; text?: string } }[];
}

/** Slack incoming webhooks: plain-text answers; unknown hooks are 404 no_service. */
export class FakeSlack extends FakeServer {
  readonly hooks = new Set<string>();
  readonly archived = new Set<string>();

  protected answer(request: Received): Answer {
    if (!this.hooks.has(request.path)) return { status: 404, body: 'no_service' };
    if (this.archived.has(request.path)) return { status: 410, body: 'channel_is_archived' };
    const body = request.json as SlackBody | undefined;
    if (!body) return { status: 400, body: 'invalid_payload' };
    if (!body.text && !body.blocks?.length) return { status: 400, body: 'no_text' };
    if ((body.blocks ?? []).some((b) => (b.text?.text?.length ?? 0) > 3000) || (body.blocks?.length ?? 0) > 50) {
      return { status: 400, body: 'invalid_blocks' };
    }
    return { status: 200, body: 'ok' };
  }
}
