import { Injectable } from '@nestjs/common';
import { ChannelSettings, SendTarget, baseUrlOf, providerHosts } from '../adapter';
import { HttpClient } from '../http/http-client';
import { Failure, Permanent, RateLimited, Transient } from '../outcomes';
import { CodedAnswer, DEFAULT_TIMEOUT_MS, codedAnswer, isCodedAnswer } from '../provider-call';
import { WECOM_CUSTOMER_GROUP } from './wecom-customer.definition';

const OWN_HOSTS = providerHosts(WECOM_CUSTOMER_GROUP);
/** A token is used until this long before WeCom says it expires. */
const TOKEN_MARGIN_MS = 5 * 60_000;
const TOKEN_INVALID = new Set([40014, 42001]);
const RATE_CODES = new Set([45009, 45033]);
const RATE_WAIT_MS = 60_000;

/** What one customer group reports of a mass message: 0 not sent yet, 1 sent, 2 and 3 not delivered. */
export interface GroupSendResult {
  status: number;
  sendTime?: number;
}

/** One of the company's customer groups as WeCom describes it (`groupchat/get`). */
export interface CustomerGroupChat {
  chatId: string;
  name: string;
  owner: string;
  /** When the group was created, from WeCom's seconds. */
  createdAt: Date | null;
  memberCount: number;
}

/** One page of the company's customer groups: their chat ids, and the cursor of the next page (none: the last). */
export interface GroupChatPage {
  chatIds: string[];
  nextCursor?: string;
}

/** A welcome template's content: the text (WeCom puts the member's name for %NICKNAME%) and a picture. */
export interface WelcomeTemplate {
  text: string;
  picture?: string;
}

function welcomeBody(welcome: WelcomeTemplate): object {
  return {
    text: { content: welcome.text },
    ...(welcome.picture ? { image: { pic_url: welcome.picture } } : {}),
    notify: 0,
  };
}

/** The most groups one page of `groupchat/list` holds. */
const LIST_LIMIT = 1000;

type Answer = Record<string, unknown> & { errcode: number; errmsg?: string };
const answered = isCodedAnswer<Answer>;
type Answered = CodedAnswer<Answer>;

/**
 * WeCom's customer-contact API for customer groups (客户群群发): an access token per corp and
 * secret, cached and fetched again once when WeCom says it is invalid or expired; the mass message
 * is created for the group's owner to confirm, read back, nudged and withdrawn.
 */
@Injectable()
export class WecomCustomerApi {
  private readonly tokens = new Map<string, { token: string; until: number }>();

  constructor(private readonly http: HttpClient) {}

  /** Creates the mass message; its msgid names the owner's task. */
  async addMsgTemplate(
    target: SendTarget,
    body: { chat_id_list: string[]; [field: string]: unknown },
  ): Promise<{ msgid: string } | Failure> {
    const answer = await this.call(target.channel, 'add_msg_template', body);
    if (!answered(answer)) return answer;
    const failed = (answer.json.fail_list as string[] | undefined) ?? [];
    // Refused for every group: nothing waits for the owner. For some only, the others' task stands
    // and the refused ones are never sent (their posts expire at the deadline).
    if (failed.length > 0 && (!answer.json.msgid || failed.length >= body.chat_id_list.length)) {
      return new Permanent('fail_list', `WeCom refused the group ${failed.join(', ')}`);
    }
    return { msgid: String(answer.json.msgid) };
  }

  /** How the owner's task stands for this customer group. */
  async sendResult(target: SendTarget, msgid: string): Promise<GroupSendResult | Failure> {
    const answer = await this.call(target.channel, 'get_groupmsg_send_result', {
      msgid,
      userid: target.address.sender,
      limit: 1000,
    });
    if (!answered(answer)) return answer;
    const list =
      (answer.json.send_list as { chat_id?: string; status?: number; send_time?: number }[] | undefined) ?? [];
    const mine = list.find((entry) => entry.chat_id === target.address.chatId);
    return { status: mine?.status ?? 0, sendTime: mine?.send_time };
  }

  /** One page of the company's customer groups, whatever their owner's state. */
  async groupChats(channel: ChannelSettings, cursor?: string): Promise<GroupChatPage | Failure> {
    const answer = await this.call(channel, 'groupchat/list', {
      status_filter: 0,
      limit: LIST_LIMIT,
      ...(cursor ? { cursor } : {}),
    });
    if (!answered(answer)) return answer;
    const list = (answer.json.group_chat_list as { chat_id?: unknown }[] | undefined) ?? [];
    const next = typeof answer.json.next_cursor === 'string' ? answer.json.next_cursor : '';
    return { chatIds: list.map((g) => String(g.chat_id)), ...(next ? { nextCursor: next } : {}) };
  }

  /** A customer group's name, owner, creation time and number of members. */
  async groupChat(channel: ChannelSettings, chatId: string): Promise<CustomerGroupChat | Failure> {
    const answer = await this.call(channel, 'groupchat/get', { chat_id: chatId, need_name: 1 });
    if (!answered(answer)) return answer;
    const chat = (answer.json.group_chat ?? {}) as {
      name?: unknown;
      owner?: unknown;
      create_time?: unknown;
      member_list?: unknown[];
    };
    return {
      chatId,
      name: typeof chat.name === 'string' ? chat.name : '',
      owner: String(chat.owner ?? ''),
      createdAt: typeof chat.create_time === 'number' ? new Date(chat.create_time * 1000) : null,
      memberCount: Array.isArray(chat.member_list) ? chat.member_list.length : 0,
    };
  }

  /** A welcome template for the company's customer groups (WeCom sends it when someone joins a group that uses it). */
  async addWelcome(channel: ChannelSettings, welcome: WelcomeTemplate): Promise<{ templateId: string } | Failure> {
    const answer = await this.call(channel, 'group_welcome_template/add', welcomeBody(welcome));
    if (!answered(answer)) return answer;
    return { templateId: String(answer.json.template_id) };
  }

  async editWelcome(
    channel: ChannelSettings,
    templateId: string,
    welcome: WelcomeTemplate,
  ): Promise<Failure | undefined> {
    const answer = await this.call(channel, 'group_welcome_template/edit', {
      template_id: templateId,
      ...welcomeBody(welcome),
    });
    return answered(answer) ? undefined : answer;
  }

  async deleteWelcome(channel: ChannelSettings, templateId: string): Promise<Failure | undefined> {
    const answer = await this.call(channel, 'group_welcome_template/del', { template_id: templateId });
    return answered(answer) ? undefined : answer;
  }

  async remind(target: SendTarget, msgid: string): Promise<Failure | undefined> {
    const answer = await this.call(target.channel, 'remind_groupmsg_send', { msgid });
    return answered(answer) ? undefined : answer;
  }

  async cancel(target: SendTarget, msgid: string): Promise<Failure | undefined> {
    const answer = await this.call(target.channel, 'cancel_groupmsg_send', { msgid });
    return answered(answer) ? undefined : answer;
  }

  private async call(
    channel: ChannelSettings,
    method: string,
    body: object,
    retried = false,
  ): Promise<Answered | Failure> {
    const token = await this.token(channel);
    if (typeof token !== 'string') return token;
    const url = `${this.base(channel)}/cgi-bin/externalcontact/${method}?access_token=${encodeURIComponent(token)}`;
    const answer = await codedAnswer<Answer>(() => this.http.postJson(url, body, this.options(channel)), 'errcode');
    if (!answered(answer)) return answer;
    if (TOKEN_INVALID.has(answer.json.errcode) && !retried) {
      this.tokens.delete(this.tokenKey(channel));
      return this.call(channel, method, body, true);
    }
    return answer.json.errcode === 0 ? answer : failure(answer.json);
  }

  private async token(channel: ChannelSettings): Promise<string | Failure> {
    const key = this.tokenKey(channel);
    const cached = this.tokens.get(key);
    if (cached && cached.until > Date.now()) return cached.token;
    const { corpId, corpSecret } = channel.credentials;
    const url = `${this.base(channel)}/cgi-bin/gettoken?corpid=${encodeURIComponent(corpId)}&corpsecret=${encodeURIComponent(corpSecret)}`;
    const answer = await codedAnswer<Answer>(() => this.http.get(url, this.options(channel)), 'errcode');
    if (!answered(answer)) return answer;
    if (answer.json.errcode !== 0) return failure(answer.json);
    const token = String(answer.json.access_token);
    const lifetimeMs = Number(answer.json.expires_in ?? 7200) * 1000;
    this.tokens.set(key, { token, until: Date.now() + Math.max(0, lifetimeMs - TOKEN_MARGIN_MS) });
    return token;
  }

  private tokenKey(channel: ChannelSettings): string {
    return `${this.base(channel)}|${channel.credentials.corpId}|${channel.id}`;
  }

  private base(channel: ChannelSettings): string {
    return baseUrlOf(WECOM_CUSTOMER_GROUP, channel.config)!;
  }

  private options(channel: ChannelSettings) {
    return { timeoutMs: channel.config.timeoutMs ?? DEFAULT_TIMEOUT_MS, providerHosts: OWN_HOSTS };
  }
}

function failure(answer: Answer): Failure {
  const reason = String(answer.errmsg ?? '');
  if (RATE_CODES.has(answer.errcode)) return new RateLimited(RATE_WAIT_MS, String(answer.errcode), reason);
  if (answer.errcode === -1) return new Transient(reason, String(answer.errcode));
  return new Permanent(String(answer.errcode), reason);
}
