import { Injectable } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import {
  ChannelAdapter,
  ChannelParts,
  defineChannel,
  OutgoingMessage,
  SendTarget,
  WireParts,
  baseUrlOf,
  providerHosts,
} from '../adapter';
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
  pictures: { as: 'an image inside the markdown message; with a link, in an action card', markdownOnly: true },
});
const OWN_HOSTS = providerHosts(DINGTALK);

/** DingTalk's documented ceiling for a robot message body. */
const MAX_BYTES = 20_000;
const RATE_LIMITED = 130101;
/** The button of an action card. */
const CARD_BUTTON = '查看详情';
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

  parts(message: OutgoingMessage, { config }: ChannelParts): WireParts {
    const format = config.format ?? 'markdown';
    const images = message.images ?? [];
    // DingTalk markdown shows pictures written as ![](url).
    const pictures = format === 'text' ? [] : picturesNotIn(message.markdown, images);
    const markdown = message.markdown + pictures.map((url) => `\n\n![](${url})`).join('');
    const content = withKeyword(format === 'text' ? message.text : markdown, config.keywords);
    const split = splitIntoParts(content, { unit: 'bytes', max: MAX_BYTES, label: 'DingTalk' });
    if ('refused' in split) return split;
    // A post with a link and a picture ends in an action card: the markdown, pictures and a button to the link.
    const card = format !== 'text' && message.link && images.length > 0 ? message.link : undefined;
    // The markdown shows every picture, the template's own and those added: the last part carries them.
    const shown = format === 'text' ? [] : images;
    const last = split.parts.length - 1;
    return split.parts.map((text, index) => {
      if (card && index === last) return { type: 'actionCard', text, pictures: shown, url: card };
      return { type: format, text, ...(index === last && shown.length > 0 ? { pictures: shown } : {}) };
    });
  }

  async send(message: OutgoingMessage, target: SendTarget): Promise<SendResult> {
    const { config } = target.channel;
    const parts = this.parts(message, target.channel);
    if ('refused' in parts) return new Permanent(TOO_LONG, parts.refused);
    const at = { atMobiles: [], atUserIds: [], isAtAll: config.mentionAll ?? false };
    return deliverParts(parts, message.skipParts ?? 0, (part) => {
      const { title } = message;
      const body =
        part.type === 'actionCard'
          ? {
              msgtype: 'actionCard',
              actionCard: { title, text: part.text, singleTitle: CARD_BUTTON, singleURL: part.url },
            }
          : part.type === 'text'
            ? { msgtype: 'text', text: { content: part.text }, at }
            : { msgtype: 'markdown', markdown: { title, text: part.text }, at };
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
