import { Injectable } from '@nestjs/common';
import { ChannelAdapter, ChannelParts, defineChannel, OutgoingMessage, SendTarget, WireParts } from '../adapter';
import { addressSchema, configSchema, httpUrl } from '../config-schema';
import { HttpAnswer, HttpClient, retryAfterMs } from '../http/http-client';
import { toSlackMrkdwn } from '../markdown/convert';
import { Permanent, RateLimited, SendResult, Sent, TOO_LONG, Transient } from '../outcomes';
import { callProvider, deliverParts } from '../provider-call';
import { splitIntoParts } from '../split';

export const SLACK = defineChannel({
  type: 'slack',
  configSchema: configSchema('format'),
  addressSchema: addressSchema({ url: httpUrl }, ['url']),
  addressShorthand: 'url',
  secretFields: ['url'],
  rateLimits: [{ limit: 1, windowMs: 1000 }],
  dedupes: false,
  chat: { fields: ['url'], scope: 'type' },
  pictures: { as: 'an image block under the text', markdownOnly: true },
  userSuppliedUrl: 'url',
});

/** One section block holds 3,000 characters. */
const MAX_CHARACTERS = 3000;
/** Image blocks under a message's section: Slack takes 50 blocks in all. */
const MAX_PICTURES = 49;
const DEFAULT_RATE_WAIT_MS = 1000;

/** Slack incoming webhook: POST to the webhook URL; answers are plain text (`ok`, `invalid_token`…). */
@Injectable()
export class SlackAdapter implements ChannelAdapter {
  constructor(private readonly http: HttpClient) {}

  parts(message: OutgoingMessage, { config }: ChannelParts): WireParts {
    const markdown = config.format !== 'text';
    const content = markdown ? toSlackMrkdwn(message.markdown) : message.text;
    const split = splitIntoParts(content, { unit: 'characters', max: MAX_CHARACTERS, label: 'Slack section' });
    if ('refused' in split) return split;
    // Slack takes at most 50 blocks a message, and the last part's text is one of them.
    const pictures = markdown ? (message.images ?? []).slice(0, MAX_PICTURES) : [];
    const last = split.parts.length - 1;
    return split.parts.map((text, index) => ({
      type: markdown ? 'blocks' : 'text',
      text,
      ...(index === last && pictures.length > 0 ? { pictures } : {}),
    }));
  }

  async send(message: OutgoingMessage, target: SendTarget): Promise<SendResult> {
    const parts = this.parts(message, target.channel);
    if ('refused' in parts) return new Permanent(TOO_LONG, parts.refused);
    return deliverParts(parts, message.skipParts ?? 0, (part) => {
      const images = (part.pictures ?? []).map((url) => ({ type: 'image', image_url: url, alt_text: message.title }));
      const body =
        part.type === 'blocks'
          ? { text: part.text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: part.text } }, ...images] }
          : { text: part.text };
      return callProvider(this.http, target, target.address.url, body, classify, { userSupplied: true });
    });
  }
}

function classify(answer: HttpAnswer): SendResult {
  const text = answer.text.trim();
  if (answer.status >= 200 && answer.status < 300) return new Sent();
  if (answer.status === 429)
    return new RateLimited(retryAfterMs(answer.headers['retry-after'], DEFAULT_RATE_WAIT_MS), '429', text);
  if (answer.status >= 500) return new Transient(`HTTP ${answer.status}: ${text.slice(0, 200)}`, String(answer.status));
  // no_service, channel_not_found (404) and channel_is_archived (410): this webhook will not take another post.
  const gone = answer.status === 404 || answer.status === 410;
  return new Permanent(text || String(answer.status), `HTTP ${answer.status}: ${text.slice(0, 200)}`, 0, gone);
}
