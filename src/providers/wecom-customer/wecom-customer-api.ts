import { Injectable } from '@nestjs/common';
import { SendTarget, baseUrlOf, providerHosts } from '../adapter';
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
    const answer = await this.call(target, 'add_msg_template', body);
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
    const answer = await this.call(target, 'get_groupmsg_send_result', {
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

  async remind(target: SendTarget, msgid: string): Promise<Failure | undefined> {
    const answer = await this.call(target, 'remind_groupmsg_send', { msgid });
    return answered(answer) ? undefined : answer;
  }

  async cancel(target: SendTarget, msgid: string): Promise<Failure | undefined> {
    const answer = await this.call(target, 'cancel_groupmsg_send', { msgid });
    return answered(answer) ? undefined : answer;
  }

  private async call(target: SendTarget, method: string, body: object, retried = false): Promise<Answered | Failure> {
    const token = await this.token(target);
    if (typeof token !== 'string') return token;
    const url = `${this.base(target)}/cgi-bin/externalcontact/${method}?access_token=${encodeURIComponent(token)}`;
    const answer = await codedAnswer<Answer>(() => this.http.postJson(url, body, this.options(target)), 'errcode');
    if (!answered(answer)) return answer;
    if (TOKEN_INVALID.has(answer.json.errcode) && !retried) {
      this.tokens.delete(this.tokenKey(target));
      return this.call(target, method, body, true);
    }
    return answer.json.errcode === 0 ? answer : failure(answer.json);
  }

  private async token(target: SendTarget): Promise<string | Failure> {
    const key = this.tokenKey(target);
    const cached = this.tokens.get(key);
    if (cached && cached.until > Date.now()) return cached.token;
    const { corpId, corpSecret } = target.channel.credentials;
    const url = `${this.base(target)}/cgi-bin/gettoken?corpid=${encodeURIComponent(corpId)}&corpsecret=${encodeURIComponent(corpSecret)}`;
    const answer = await codedAnswer<Answer>(() => this.http.get(url, this.options(target)), 'errcode');
    if (!answered(answer)) return answer;
    if (answer.json.errcode !== 0) return failure(answer.json);
    const token = String(answer.json.access_token);
    const lifetimeMs = Number(answer.json.expires_in ?? 7200) * 1000;
    this.tokens.set(key, { token, until: Date.now() + Math.max(0, lifetimeMs - TOKEN_MARGIN_MS) });
    return token;
  }

  private tokenKey(target: SendTarget): string {
    return `${this.base(target)}|${target.channel.credentials.corpId}|${target.channel.id}`;
  }

  private base(target: SendTarget): string {
    return baseUrlOf(WECOM_CUSTOMER_GROUP, target.channel.config)!;
  }

  private options(target: SendTarget) {
    return { timeoutMs: target.channel.config.timeoutMs ?? DEFAULT_TIMEOUT_MS, providerHosts: OWN_HOSTS };
  }
}

function failure(answer: Answer): Failure {
  const reason = String(answer.errmsg ?? '');
  if (RATE_CODES.has(answer.errcode)) return new RateLimited(RATE_WAIT_MS, String(answer.errcode), reason);
  if (answer.errcode === -1) return new Transient(reason, String(answer.errcode));
  return new Permanent(String(answer.errcode), reason);
}
