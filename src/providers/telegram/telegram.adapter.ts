import { Injectable } from '@nestjs/common';
import {
  ChannelAdapter,
  ChannelParts,
  defineChannel,
  OutgoingMessage,
  SendTarget,
  WirePart,
  WireParts,
  baseUrlOf,
  providerHosts,
} from '../adapter';
import { addressSchema, configSchema, pattern } from '../config-schema';
import { HttpAnswer, HttpClient, parseJson } from '../http/http-client';
import { toTelegramHtml } from '../markdown/convert';
import { AddressMoved, Permanent, RateLimited, SendResult, Sent, TOO_LONG, Transient } from '../outcomes';
import { callProvider, deliverParts } from '../provider-call';
import { splitIntoParts } from '../split';

export const TELEGRAM = defineChannel({
  type: 'telegram',
  configSchema: configSchema('baseUrl', 'format'),
  credentialsSchema: addressSchema({ botToken: pattern('^[0-9]{3,20}:[A-Za-z0-9_-]{20,64}$') }, ['botToken']),
  addressSchema: addressSchema({ chatId: pattern('^(-?[0-9]{1,20}|@[A-Za-z0-9_]{5,32})$') }, ['chatId']),
  addressShorthand: 'chatId',
  secretFields: ['botToken'],
  defaultBaseUrl: 'https://api.telegram.org',
  rateLimits: [
    { limit: 20, windowMs: 60_000 },
    { limit: 1, windowMs: 1000 },
  ],
  dedupes: false,
  chat: { fields: ['chatId'], scope: 'channel' },
  pictures: { as: 'a photo, or an album of up to 10, with the text as caption when it fits' },
});
const OWN_HOSTS = providerHosts(TELEGRAM);

/** 4,096 characters after entity parsing; counting the HTML source is the safe side of that. */
const MAX_CHARACTERS = 4096;
/** A photo's caption; a longer text goes as a message of its own before the photos. */
const MAX_CAPTION = 1024;
/** An album holds 2 to 10 photos. */
const ALBUM = 10;
const DEFAULT_RATE_WAIT_MS = 5000;

interface TelegramAnswer {
  ok?: boolean;
  error_code?: number;
  description?: string;
  result?: { message_id?: number };
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}

/** Telegram Bot API sendMessage with parse_mode HTML; the bot token is the channel's credential. */
@Injectable()
export class TelegramAdapter implements ChannelAdapter {
  constructor(private readonly http: HttpClient) {}

  parts(message: OutgoingMessage, { config }: ChannelParts): WireParts {
    const content = config.format !== 'text' ? toTelegramHtml(message.markdown) : message.text;
    const images = message.images ?? [];
    // Pictures go as a photo or an album; a text short enough rides along as their caption.
    const captioned = images.length > 0 && content.length <= MAX_CAPTION;
    const parts: WirePart[] = [];
    if (!captioned) {
      const split = splitIntoParts(content, { unit: 'characters', max: MAX_CHARACTERS, label: 'Telegram' });
      if ('refused' in split) return split;
      parts.push(...split.parts.map((text) => ({ type: 'sendMessage', text })));
    }
    for (let i = 0; i < images.length; i += ALBUM) {
      const pictures = images.slice(i, i + ALBUM);
      parts.push({
        type: pictures.length === 1 ? 'sendPhoto' : 'sendMediaGroup',
        pictures,
        ...(captioned && i === 0 ? { text: content } : {}),
      });
    }
    return parts;
  }

  async send(message: OutgoingMessage, target: SendTarget): Promise<SendResult> {
    const { config, credentials } = target.channel;
    const parts = this.parts(message, target.channel);
    if ('refused' in parts) return new Permanent(TOO_LONG, parts.refused);
    const base = `${baseUrlOf(TELEGRAM, config)}/bot${credentials.botToken}`;
    const parse = config.format !== 'text' ? { parse_mode: 'HTML' } : {};
    const post = (method: string, body: object) =>
      callProvider(this.http, target, `${base}/${method}`, { chat_id: target.address.chatId, ...body }, classify, {
        providerHosts: OWN_HOSTS,
      });
    return deliverParts(parts, message.skipParts ?? 0, (part) => {
      if (part.type === 'sendMessage') return post('sendMessage', { text: part.text, ...parse });
      const caption = part.text === undefined ? {} : { caption: part.text, ...parse };
      const photos = part.pictures ?? [];
      if (part.type === 'sendPhoto') return post('sendPhoto', { photo: photos[0], ...caption });
      return post('sendMediaGroup', {
        media: photos.map((media, k) => ({ type: 'photo', media, ...(k === 0 ? caption : {}) })),
      });
    });
  }
}

function classify(answer: HttpAnswer): SendResult {
  const json = parseJson(answer.text) as TelegramAnswer | undefined;
  if (json?.ok === true)
    return new Sent(json.result?.message_id === undefined ? undefined : String(json.result.message_id));
  const code = String(json?.error_code ?? answer.status);
  const reason = json?.description ?? answer.text.slice(0, 200);
  if (answer.status === 429) {
    const seconds = json?.parameters?.retry_after;
    return new RateLimited(seconds === undefined ? DEFAULT_RATE_WAIT_MS : seconds * 1000, code, reason);
  }
  if (json?.parameters?.migrate_to_chat_id !== undefined) {
    return new AddressMoved({ chatId: String(json.parameters.migrate_to_chat_id) }, reason);
  }
  if (answer.status >= 500 || !json) return new Transient(`HTTP ${answer.status}: ${reason}`, code);
  return new Permanent(code, reason);
}
