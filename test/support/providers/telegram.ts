import { Answer, FakeServer, Received } from './fake-server';

interface TelegramBody {
  chat_id?: string | number;
  text?: string;
  parse_mode?: string;
  photo?: string;
  caption?: string;
  media?: { type?: string; media?: string; caption?: string }[];
}

/** Telegram Bot API sendMessage: JSON answers with ok, error_code, description and parameters. */
export class FakeTelegram extends FakeServer {
  readonly chats = new Set<string>();
  /** Groups that became supergroups: old chat id → new one. */
  readonly migrated = new Map<string, string>();
  private nextMessageId = 100;

  constructor(readonly token: string) {
    super();
  }

  protected answer(request: Received): Answer {
    const fail = (status: number, description: string, parameters?: object) => ({
      status,
      body: { ok: false, error_code: status, description, ...(parameters ? { parameters } : {}) },
    });
    const match = /^\/bot([^/]+)\/(sendMessage|sendPhoto|sendMediaGroup)$/.exec(request.path);
    if (!match) return fail(404, 'Not Found');
    if (match[1] !== this.token) return fail(401, 'Unauthorized');
    const body = request.json as TelegramBody | undefined;
    const chat = String(body?.chat_id ?? '');
    const moved = this.migrated.get(chat);
    if (moved)
      return fail(400, 'Bad Request: group chat was upgraded to a supergroup chat', {
        migrate_to_chat_id: Number(moved),
      });
    if (!this.chats.has(chat)) return fail(400, 'Bad Request: chat not found');
    if (match[2] === 'sendPhoto') {
      if (!body?.photo) return fail(400, 'Bad Request: there is no photo in the request');
      if ((body.caption ?? '').replace(/<[^>]+>/g, '').length > 1024)
        return fail(400, 'Bad Request: message caption is too long');
      return { body: { ok: true, result: { message_id: this.nextMessageId++, chat: { id: Number(chat) } } } };
    }
    if (match[2] === 'sendMediaGroup') {
      const media = body?.media ?? [];
      if (media.length < 2 || media.length > 10) return fail(400, 'Bad Request: wrong number of media items');
      return {
        body: { ok: true, result: media.map(() => ({ message_id: this.nextMessageId++, chat: { id: Number(chat) } })) },
      };
    }
    if (!body?.text) return fail(400, 'Bad Request: message text is empty');
    if (body.text.replace(/<[^>]+>/g, '').length > 4096) return fail(400, 'Bad Request: message is too long');
    return {
      body: { ok: true, result: { message_id: this.nextMessageId++, chat: { id: Number(chat) }, text: body.text } },
    };
  }
}
