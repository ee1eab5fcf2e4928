import { Answer, FakeServer, Received } from './fake-server';

interface Task {
  msgid: string;
  sender: string;
  chats: string[];
  body: Record<string, unknown>;
  createdAt: number;
  reminders: number;
  cancelled: boolean;
}

/**
 * WeCom's customer-contact API for customer-group mass messages: tokens that expire, tasks an
 * owner confirms (here: after `confirmAfterMs` for the chat, or never), reminders, withdrawals.
 */
export class FakeWecomCustomer extends FakeServer {
  readonly tasks: Task[] = [];
  /** Per chat id: how long after creation its owner confirms; chats not here never do. */
  readonly confirmAfterMs = new Map<string, number>();
  tokenRequests = 0;
  private readonly tokens = new Map<string, boolean>();
  private serial = 0;

  constructor(
    readonly corpId: string,
    readonly corpSecret: string,
  ) {
    super();
  }

  /** Every token handed out so far expires now. */
  expireTokens(): void {
    for (const token of this.tokens.keys()) this.tokens.set(token, false);
  }

  protected answer(request: Received): Answer {
    const reply = (errcode: number, errmsg: string, extra: object = {}) => ({ body: { errcode, errmsg, ...extra } });
    if (request.method === 'GET' && request.path === '/cgi-bin/gettoken') {
      this.tokenRequests++;
      if (request.query.get('corpid') !== this.corpId) return reply(40013, 'invalid corpid');
      if (request.query.get('corpsecret') !== this.corpSecret) return reply(40001, 'invalid credential');
      const token = `token-${++this.serial}`;
      this.tokens.set(token, true);
      return reply(0, 'ok', { access_token: token, expires_in: 7200 });
    }
    const match = /^\/cgi-bin\/externalcontact\/(\w+)$/.exec(request.path);
    if (request.method !== 'POST' || !match) return { status: 404, body: 'not found' };
    const token = request.query.get('access_token') ?? '';
    if (!this.tokens.has(token)) return reply(40014, 'invalid access_token');
    if (!this.tokens.get(token)) return reply(42001, 'access_token expired');
    const body = (request.json ?? {}) as Record<string, unknown>;
    const task = this.tasks.find((t) => t.msgid === body.msgid);
    switch (match[1]) {
      case 'add_msg_template': {
        if (body.chat_type !== 'group' || typeof body.sender !== 'string') return reply(40003, 'invalid sender');
        const created: Task = {
          msgid: `msg${++this.serial}`,
          sender: body.sender,
          chats: (body.chat_id_list as string[]) ?? [],
          body,
          createdAt: Date.now(),
          reminders: 0,
          cancelled: false,
        };
        this.tasks.push(created);
        return reply(0, 'ok', { fail_list: [], msgid: created.msgid });
      }
      case 'get_groupmsg_send_result': {
        if (!task || task.sender !== body.userid) return reply(41063, 'msgid not found');
        const send_list = task.chats.map((chat_id) => {
          const after = this.confirmAfterMs.get(chat_id);
          const sentAt = after === undefined || task.cancelled ? undefined : task.createdAt + after;
          return sentAt !== undefined && sentAt <= Date.now()
            ? { chat_id, userid: task.sender, status: 1, send_time: Math.floor(sentAt / 1000) }
            : { chat_id, userid: task.sender, status: 0 };
        });
        return reply(0, 'ok', { send_list });
      }
      case 'remind_groupmsg_send':
        if (!task) return reply(41063, 'msgid not found');
        task.reminders++;
        return reply(0, 'ok');
      case 'cancel_groupmsg_send':
        if (!task) return reply(41063, 'msgid not found');
        task.cancelled = true;
        return reply(0, 'ok');
      default:
        return { status: 404, body: 'not found' };
    }
  }
}
