import { Injectable } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import { ChannelAdapter, defineChannel, OutgoingMessage, SendTarget, baseUrlOf, providerHosts } from '../adapter';
import { addressSchema, configSchema, pattern } from '../config-schema';
import { HttpAnswer, HttpClient, parseJson } from '../http/http-client';
import { toLarkMarkdown } from '../markdown/convert';
import { Permanent, RateLimited, SendResult, Sent, TOO_LONG, Transient } from '../outcomes';
import { callProvider, deliverParts, statusFailure, withKeyword } from '../provider-call';
import { splitIntoParts } from '../split';

export const FEISHU = defineChannel({
  type: 'feishu',
  configSchema: configSchema('baseUrl', 'region', 'format', 'keywords'),
  addressSchema: addressSchema({ token: pattern('^[A-Za-z0-9-]{8,128}$'), secret: pattern('^[A-Za-z0-9]{8,128}$') }, [
    'token',
  ]),
  addressShorthand: 'token',
  secretFields: ['token', 'secret'],
  defaultBaseUrl: 'https://open.feishu.cn',
  regionBaseUrls: { feishu: 'https://open.feishu.cn', lark: 'https://open.larksuite.com' },
  rateLimits: [
    { limit: 100, windowMs: 60_000 },
    { limit: 5, windowMs: 1000 },
  ],
  dedupes: false,
  chat: { fields: ['token'], scope: 'type' },
});
const OWN_HOSTS = providerHosts(FEISHU);

/** The whole body may be 20 KB; leave room for the JSON around the text. */
const MAX_CONTENT_BYTES = 18 * 1024;
const RATE_LIMITED = 11232;
const RATE_WAIT_MS = 10_000;

/** `timestamp + "\n" + secret` is the HMAC-SHA256 key, over an empty message; Base64. */
export function feishuSignature(timestampSeconds: number, secret: string): string {
  return createHmac('sha256', `${timestampSeconds}\n${secret}`).update('').digest('base64');
}

/** Feishu / Lark custom bot: POST /open-apis/bot/v2/hook/<token>; signature inside the body. */
@Injectable()
export class FeishuAdapter implements ChannelAdapter {
  constructor(private readonly http: HttpClient) {}

  async send(message: OutgoingMessage, target: SendTarget): Promise<SendResult> {
    const { config } = target.channel;
    const format = config.format ?? 'markdown';
    const content = withKeyword(format === 'text' ? message.text : toLarkMarkdown(message.markdown), config.keywords);
    const split = splitIntoParts(content, { unit: 'bytes', max: MAX_CONTENT_BYTES, label: 'Feishu' });
    if ('refused' in split) return new Permanent(TOO_LONG, split.refused);
    const url = `${baseUrlOf(FEISHU, config)}/open-apis/bot/v2/hook/${encodeURIComponent(target.address.token)}`;
    return deliverParts(split.parts, message.skipParts ?? 0, (part) => {
      const body: Record<string, unknown> =
        format === 'text'
          ? { msg_type: 'text', content: { text: part } }
          : { msg_type: 'interactive', card: { elements: [{ tag: 'div', text: { tag: 'lark_md', content: part } }] } };
      if (target.address.secret) {
        const timestamp = Math.floor(Date.now() / 1000);
        body.timestamp = String(timestamp);
        body.sign = feishuSignature(timestamp, target.address.secret);
      }
      return callProvider(this.http, target, url, body, classify, { providerHosts: OWN_HOSTS });
    });
  }
}

function classify(answer: HttpAnswer): SendResult {
  const json = parseJson(answer.text);
  const code =
    typeof json?.code === 'number' ? json.code : typeof json?.StatusCode === 'number' ? json.StatusCode : undefined;
  if (code === undefined) {
    return statusFailure(answer) ?? new Transient(`unexpected answer: ${answer.text.slice(0, 200)}`);
  }
  const reason = String(json?.msg ?? json?.StatusMessage ?? '');
  if (answer.status >= 500) return new Transient(reason || `HTTP ${answer.status}`, String(code));
  if (code === 0) return new Sent();
  if (code === RATE_LIMITED) return new RateLimited(RATE_WAIT_MS, String(code), reason);
  return new Permanent(String(code), reason);
}
