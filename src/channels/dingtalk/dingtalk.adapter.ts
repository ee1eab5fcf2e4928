import { Injectable } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import { ChannelAdapter, defineChannel, OutgoingMessage, SendTarget, baseUrlOf, providerHosts } from '../adapter';
import { addressSchema, configSchema, pattern } from '../config-schema';
import { HttpAnswer, HttpClient } from '../http/http-client';
import { Permanent, SendResult, TOO_LONG } from '../outcomes';
import { callProvider, classifyErrcode, deliverParts, picturesNotIn, withKeyword } from '../provider-call';
import { splitIntoParts } from '../split';

export const DINGTALK = defineChannel({
  type: 'dingtalk',
  configSchema: configSchema('baseUrl', 'format', 'keywords', 'mentionAll'),
  addressSchema: addressSchema(
    { accessToken: pattern('^[A-Za-z0-9_-]{8,128}$'), secret: pattern('^SEC[A-Za-z0-9]{8,128}$') },
    ['accessToken'],
  ),
  addressShorthand: 'accessToken',
  secretFields: ['accessToken', 'secret'],
  defaultBaseUrl: 'https://oapi.dingtalk.com',
  rateLimits: [{ limit: 20, windowMs: 60_000 }],
  dedupes: false,
  chat: { fields: ['accessToken'], scope: 'type' },
  pictures: { as: 'an image inside the markdown message', markdownOnly: true },
});
const OWN_HOSTS = providerHosts(DINGTALK);

/** DingTalk's documented ceiling for a robot message body. */
const MAX_BYTES = 20_000;
const RATE_LIMITED = 130101;
/** Passing 20 a minute blocks the robot for ten minutes. */
const RATE_WAIT_MS = 10 * 60_000;

/** `timestamp + "\n" + secret`, HMAC-SHA256 keyed by the secret, Base64. */
export function dingtalkSignature(timestampMs: number, secret: string): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`).digest('base64');
}

/** DingTalk custom robot: POST /robot/send?access_token=…[&timestamp&sign]; errors come as HTTP 200. */
@Injectable()
export class DingtalkAdapter implements ChannelAdapter {
  constructor(private readonly http: HttpClient) {}

  async send(message: OutgoingMessage, target: SendTarget): Promise<SendResult> {
    const { config } = target.channel;
    const format = config.format ?? 'markdown';
    // DingTalk markdown shows pictures written as ![](url).
    const pictures = format === 'text' ? [] : picturesNotIn(message.markdown, message.images);
    const markdown = message.markdown + pictures.map((url) => `\n\n![](${url})`).join('');
    const content = withKeyword(format === 'text' ? message.text : markdown, config.keywords);
    const split = splitIntoParts(content, { unit: 'bytes', max: MAX_BYTES, label: 'DingTalk' });
    if ('refused' in split) return new Permanent(TOO_LONG, split.refused);
    const at = { atMobiles: [], atUserIds: [], isAtAll: config.mentionAll ?? false };
    return deliverParts(split.parts, message.skipParts ?? 0, (part) => {
      const body =
        format === 'text'
          ? { msgtype: 'text', text: { content: part }, at }
          : { msgtype: 'markdown', markdown: { title: message.title, text: part }, at };
      return callProvider(this.http, target, this.url(target), body, classify, { providerHosts: OWN_HOSTS });
    });
  }

  private url(target: SendTarget): string {
    const url = new URL(`${baseUrlOf(DINGTALK, target.channel.config)}/robot/send`);
    url.searchParams.set('access_token', target.address.accessToken);
    if (target.address.secret) {
      const timestamp = Date.now();
      url.searchParams.set('timestamp', String(timestamp));
      url.searchParams.set('sign', dingtalkSignature(timestamp, target.address.secret));
    }
    return url.toString();
  }
}

const classify = (answer: HttpAnswer) => classifyErrcode(answer, RATE_LIMITED, RATE_WAIT_MS);
