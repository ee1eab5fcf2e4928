import { request } from 'node:http';
import { randomBytes } from 'node:crypto';
import { callbackSignature, sealPayload } from '../../../src/providers/wecom-customer/wecom-callback';
import { Answer, FakeServer, Received } from './fake-server';

/** One of the company's customer groups, as WeCom keeps it. */
export interface FakeChat {
  name: string;
  owner: string;
  /** Seconds since the epoch. */
  createTime: number;
  members: number;
}

/** The callback URL's secrets, as the company set them in WeCom's admin console. */
export interface FakeCallbackSecrets {
  token: string;
  encodingAesKey: string;
}

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
  /** Chats that had their share of mass messages: a confirmed task reports them with status 3. */
  readonly overCap = new Set<string>();
  tokenRequests = 0;
  /** The company's customer groups by chat id: what groupchat/list and groupchat/get answer. */
  readonly chats = new Map<string, FakeChat>();
  /** The most groups one page of groupchat/list holds here (WeCom's own: the `limit` asked, at most 1,000). */
  pageSize = 100;
  /** Pages of groupchat/list served. */
  listPages = 0;
  /** The company's welcome templates by template_id, as group_welcome_template keeps them. */
  readonly welcomes = new Map<string, { text: { content: string }; image?: { pic_url: string } }>();
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
    const match = /^\/cgi-bin\/externalcontact\/([\w/]+)$/.exec(request.path);
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
          if (sentAt === undefined || sentAt > Date.now()) return { chat_id, userid: task.sender, status: 0 };
          if (this.overCap.has(chat_id)) return { chat_id, userid: task.sender, status: 3 };
          return { chat_id, userid: task.sender, status: 1, send_time: Math.floor(sentAt / 1000) };
        });
        return reply(0, 'ok', { send_list });
      }
      case 'groupchat/list': {
        this.listPages++;
        const limit = Number(body.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return reply(40058, 'invalid limit');
        const from = body.cursor ? Number(Buffer.from(String(body.cursor), 'base64url').toString()) : 0;
        const ids = [...this.chats.keys()];
        const page = ids.slice(from, from + Math.min(limit, this.pageSize));
        const next =
          from + page.length < ids.length ? Buffer.from(String(from + page.length)).toString('base64url') : '';
        return reply(0, 'ok', {
          group_chat_list: page.map((chat_id) => ({ chat_id, status: 0 })),
          next_cursor: next,
        });
      }
      case 'groupchat/get': {
        const chat = this.chats.get(String(body.chat_id));
        if (!chat) return reply(40050, 'invalid chatid');
        return reply(0, 'ok', {
          group_chat: {
            chat_id: body.chat_id,
            name: chat.name,
            owner: chat.owner,
            create_time: chat.createTime,
            member_list: Array.from({ length: chat.members }, (_, i) => ({
              userid: `wm${i}`,
              type: i === 0 ? 1 : 2,
              join_time: chat.createTime,
              join_scene: 1,
            })),
            admin_list: [],
          },
        });
      }
      case 'group_welcome_template/add': {
        const text = body.text as { content?: unknown } | undefined;
        if (typeof text?.content !== 'string' || text.content.length === 0 || text.content.length > 4000)
          return reply(40058, 'invalid text content');
        const id = `tpl${++this.serial}`;
        this.welcomes.set(id, {
          text: { content: text.content },
          ...(body.image ? { image: body.image as { pic_url: string } } : {}),
        });
        return reply(0, 'ok', { template_id: id });
      }
      case 'group_welcome_template/edit': {
        const id = String(body.template_id);
        if (!this.welcomes.has(id)) return reply(41078, 'invalid template_id');
        this.welcomes.set(id, {
          text: body.text as { content: string },
          ...(body.image ? { image: body.image as { pic_url: string } } : {}),
        });
        return reply(0, 'ok');
      }
      case 'group_welcome_template/del': {
        const id = String(body.template_id);
        if (!this.welcomes.delete(id)) return reply(41078, 'invalid template_id');
        return reply(0, 'ok');
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

/**
 * Sends what WeCom sends the company's callback URL: the event's XML encrypted with the
 * EncodingAESKey for `corpId`, wrapped in `<xml><Encrypt>`, signed with the token.
 */
export async function sendWecomCallback(
  url: string,
  secrets: FakeCallbackSecrets & { corpId: string },
  fields: Record<string, string | number>,
  options: { timestamp?: number; signature?: string } = {},
): Promise<{ status: number; text: string; replay: () => Promise<{ status: number; text: string }> }> {
  const xml = `<xml>${Object.entries(fields)
    .map(([name, value]) =>
      typeof value === 'number' ? `<${name}>${value}</${name}>` : `<${name}><![CDATA[${value}]]></${name}>`,
    )
    .join('')}</xml>`;
  const encrypt = sealPayload(secrets, xml);
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = randomBytes(6).toString('hex');
  const signature = options.signature ?? callbackSignature(secrets.token, timestamp, nonce, encrypt);
  const target = `${url}?msg_signature=${signature}&timestamp=${timestamp}&nonce=${nonce}`;
  const body = `<xml><ToUserName><![CDATA[${secrets.corpId}]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt><AgentID><![CDATA[]]></AgentID></xml>`;
  const send = () => postText(target, body);
  return { ...(await send()), replay: send };
}

function postText(url: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'Content-Type': 'text/xml' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
