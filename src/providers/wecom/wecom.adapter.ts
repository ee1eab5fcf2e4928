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
import { DownloadRefused, HttpAnswer, HttpClient, classifyRequestError } from '../http/http-client';
import { Picture, PictureStore } from '../media/picture-store';
import { Permanent, SendResult, TOO_LONG } from '../outcomes';
import { callProvider, classifyErrcode, deliverParts } from '../provider-call';
import { fitBytes, splitIntoParts } from '../split';
import { tidyLines } from '../../common/lines';

export const WECOM = defineChannel({
  type: 'wecom',
  configSchema: configSchema('baseUrl', 'format', 'mentionAll'),
  addressSchema: addressSchema({ key: pattern('^[A-Za-z0-9-]{8,64}$') }, ['key']),
  addressShorthand: 'key',
  secretFields: ['key'],
  defaultBaseUrl: 'https://qyapi.weixin.qq.com',
  rateLimits: [{ limit: 20, windowMs: 60_000 }],
  dedupes: false,
  chat: { fields: ['key'], scope: 'type' },
  pictures: {
    as: 'an image message after the text (the file, at most 2 MB); with a link, the first as a news card',
    files: ['image/png', 'image/jpeg'],
  },
});
const OWN_HOSTS = providerHosts(WECOM);

const LIMITS = { text: 2048, markdown: 4096 };
/** A news card's title. */
const NEWS_TITLE_BYTES = 128;
const RATE_LIMITED = 45009;
/** "api freq out of limit" lifts within the minute. */
const RATE_WAIT_MS = 60_000;

/** WeCom group robot: POST /cgi-bin/webhook/send?key=…; answers HTTP 200 with an errcode. */
@Injectable()
export class WecomAdapter implements ChannelAdapter {
  constructor(
    private readonly http: HttpClient,
    private readonly pictures: PictureStore,
  ) {}

  parts(message: OutgoingMessage, { config }: ChannelParts): WireParts {
    const format = config.format ?? 'markdown';
    const images = message.images ?? [];
    // A robot's markdown shows no picture: its own go as image messages, any other stays a link.
    const text = format === 'text' ? message.text : withoutImageSyntax(message.markdown, images);
    // Markdown that was only its pictures leaves no text to send.
    const split = text
      ? splitIntoParts(text, { unit: 'bytes', max: LIMITS[format], label: `WeCom ${format}` })
      : { parts: [] };
    if ('refused' in split) return split;
    // A post with a link and a picture: a news card leading to the link, with the first picture.
    const card = message.link && images.length > 0 ? [{ type: 'news', pictures: [images[0]], url: message.link }] : [];
    // The text, then the card, then each other picture as an image message (markdown cannot show one).
    return [
      ...split.parts.map((text) => ({ type: format, text })),
      ...card,
      ...images.slice(card.length).map((url) => ({ type: 'image', pictures: [url] })),
    ];
  }

  async send(message: OutgoingMessage, target: SendTarget): Promise<SendResult> {
    const { config } = target.channel;
    const planned = this.parts(message, target.channel);
    if ('refused' in planned) return new Permanent(TOO_LONG, planned.refused);
    // The pictures first: one WeCom cannot take as an image (a GIF) is no message at all (the text
    // carries its link), so every part counted as sent is a message the group got.
    const pictures = new Map<string, Picture>();
    const parts: WirePart[] = [];
    for (const part of planned) {
      if (part.type === 'image') {
        const picture = await this.picture(part.pictures![0]);
        if (!('bytes' in picture)) return picture;
        if (!WECOM.pictures!.files!.includes(picture.type)) continue;
        pictures.set(part.pictures![0], picture);
      }
      parts.push(part);
    }
    const url = `${baseUrlOf(WECOM, config)}/cgi-bin/webhook/send?key=${encodeURIComponent(target.address.key)}`;
    const post = (body: object) => callProvider(this.http, target, url, body, classify, { providerHosts: OWN_HOSTS });
    return deliverParts(parts, message.skipParts ?? 0, async (part) => {
      switch (part.type) {
        case 'image': {
          const picture = pictures.get(part.pictures![0])!;
          return post({ msgtype: 'image', image: { base64: picture.bytes.toString('base64'), md5: picture.md5 } });
        }
        case 'news': {
          const article = {
            title: fitBytes(message.title, NEWS_TITLE_BYTES),
            url: part.url,
            picurl: part.pictures![0],
          };
          return post({ msgtype: 'news', news: { articles: [article] } });
        }
        case 'text':
          return post({
            msgtype: 'text',
            text: { content: part.text, mentioned_list: config.mentionAll ? ['@all'] : [], mentioned_mobile_list: [] },
          });
        default:
          return post({ msgtype: 'markdown', markdown: { content: part.text } });
      }
    });
  }

  private async picture(url: string): Promise<Picture | SendResult> {
    try {
      return await this.pictures.get(url);
    } catch (error) {
      if (error instanceof DownloadRefused) return new Permanent('picture', `${url} ${error.message}`);
      return classifyRequestError(error);
    }
  }
}

const classify = (answer: HttpAnswer) => classifyErrcode(answer, RATE_LIMITED, RATE_WAIT_MS);

const IMAGE_SYNTAX = /!\[([^\]\n]*)\]\(([^)\s]+)\)/g;

/**
 * Markdown as a WeCom robot shows it, which is without pictures (`![…](…)` arrives as raw text):
 * the post's own pictures are taken out (they follow as image messages), any other becomes a link.
 */
export function withoutImageSyntax(markdown: string, images: readonly string[]): string {
  if (!markdown.includes('![')) return markdown;
  return tidyLines(
    markdown.replace(IMAGE_SYNTAX, (_, alt: string, url: string) =>
      images.includes(url) ? '' : `[${alt || '图片'}](${url})`,
    ),
  );
}
