import { Injectable } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import {
  ChannelAdapter,
  ChannelParts,
  OutgoingMessage,
  SendTarget,
  WireParts,
  baseUrlOf,
  providerHosts,
} from '../adapter';
import { HttpAnswer, HttpClient, parseJson } from '../http/http-client';
import { toLarkMarkdown } from '../markdown/convert';
import { Permanent, RateLimited, SendResult, Sent, TOO_LONG, Transient } from '../outcomes';
import { callProvider, deliverParts, statusFailure, withKeyword } from '../provider-call';
import { splitIntoParts } from '../split';
import { FeishuImages } from './feishu-images';
import { FEISHU } from './feishu.definition';

export { FEISHU };

const OWN_HOSTS = providerHosts(FEISHU);

/** The whole body may be 20 KB; leave room for the JSON around the text. */
const MAX_CONTENT_BYTES = 18 * 1024;
const RATE_LIMITED = 11232;
/** Pictures in one card. */
const MAX_CARD_PICTURES = 9;
const RATE_WAIT_MS = 10_000;

/** `timestamp + "\n" + secret` is the HMAC-SHA256 key, over an empty message; Base64. */
export function feishuSignature(timestampSeconds: number, secret: string): string {
  return createHmac('sha256', `${timestampSeconds}\n${secret}`).update('').digest('base64');
}

/** Feishu / Lark custom bot: POST /open-apis/bot/v2/hook/<token>; signature inside the body. */
@Injectable()
export class FeishuAdapter implements ChannelAdapter {
  constructor(
    private readonly http: HttpClient,
    private readonly images: FeishuImages,
  ) {}

  parts(message: OutgoingMessage, { config, credentials }: ChannelParts): WireParts {
    const format = config.format ?? 'markdown';
    const content = withKeyword(format === 'text' ? message.text : toLarkMarkdown(message.markdown), config.keywords);
    const split = splitIntoParts(content, { unit: 'bytes', max: MAX_CONTENT_BYTES, label: 'Feishu' });
    if ('refused' in split) return split;
    // Pictures need the app to upload them; without its credentials they stay links in the text.
    const pictures = credentials.appId ? (message.images ?? []).slice(0, MAX_CARD_PICTURES) : [];
    if (format === 'text') {
      return [
        ...split.parts.map((text) => ({ type: 'text', text })),
        ...pictures.map((url) => ({ type: 'image', pictures: [url] })),
      ];
    }
    const last = split.parts.length - 1;
    return split.parts.map((text, index) => ({
      type: 'interactive',
      text,
      ...(index === last && pictures.length > 0 ? { pictures } : {}),
    }));
  }

  async send(message: OutgoingMessage, target: SendTarget): Promise<SendResult> {
    const parts = this.parts(message, target.channel);
    if ('refused' in parts) return new Permanent(TOO_LONG, parts.refused);
    const url = `${baseUrlOf(FEISHU, target.channel.config)}/open-apis/bot/v2/hook/${encodeURIComponent(target.address.token)}`;
    return deliverParts(parts, message.skipParts ?? 0, async (part) => {
      const keys: string[] = [];
      for (const picture of part.pictures ?? []) {
        const key = await this.images.imageKey(target.channel, picture);
        if (typeof key !== 'string') return key;
        keys.push(key);
      }
      const images = keys.map((img_key) => ({
        tag: 'img',
        img_key,
        alt: { tag: 'plain_text', content: message.title },
      }));
      const body: Record<string, unknown> =
        part.type === 'text'
          ? { msg_type: 'text', content: { text: part.text } }
          : part.type === 'image'
            ? { msg_type: 'image', content: { image_key: keys[0] } }
            : {
                msg_type: 'interactive',
                card: { elements: [{ tag: 'div', text: { tag: 'lark_md', content: part.text } }, ...images] },
              };
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
