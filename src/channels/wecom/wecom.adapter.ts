import { Injectable } from '@nestjs/common';
import { ChannelAdapter, defineChannel, OutgoingMessage, SendTarget, baseUrlOf, providerHosts } from '../adapter';
import { addressSchema, configSchema, pattern } from '../config-schema';
import { DownloadRefused, HttpAnswer, HttpClient, classifyRequestError } from '../http/http-client';
import { Picture, PictureStore } from '../media/picture-store';
import { Permanent, SendResult, Sent, TOO_LONG } from '../outcomes';
import { callProvider, classifyErrcode, deliverParts } from '../provider-call';
import { splitIntoParts } from '../split';

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
  pictures: { as: 'an image message after the text (the file, at most 2 MB)', files: ['image/png', 'image/jpeg'] },
});
const OWN_HOSTS = providerHosts(WECOM);

const LIMITS = { text: 2048, markdown: 4096 };
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

  async send(message: OutgoingMessage, target: SendTarget): Promise<SendResult> {
    const { config } = target.channel;
    const format = config.format ?? 'markdown';
    const split = splitIntoParts(format === 'text' ? message.text : message.markdown, {
      unit: 'bytes',
      max: LIMITS[format],
      label: `WeCom ${format}`,
    });
    if ('refused' in split) return new Permanent(TOO_LONG, split.refused);
    const url = `${baseUrlOf(WECOM, config)}/cgi-bin/webhook/send?key=${encodeURIComponent(target.address.key)}`;
    const post = (body: object) => callProvider(this.http, target, url, body, classify, { providerHosts: OWN_HOSTS });
    // The text, then each picture as an image message (markdown cannot show one).
    const parts = [
      ...split.parts.map((content) => ({ content })),
      ...(message.images ?? []).map((picture) => ({ picture })),
    ];
    return deliverParts(parts, message.skipParts ?? 0, async (part) => {
      if ('picture' in part) {
        const picture = await this.picture(part.picture);
        if (!('bytes' in picture)) return picture;
        // A GIF or WebP cannot go as a WeCom image; the text still carries its link.
        if (picture.type !== 'image/png' && picture.type !== 'image/jpeg') return new Sent();
        return post({ msgtype: 'image', image: { base64: picture.bytes.toString('base64'), md5: picture.md5 } });
      }
      return post(
        format === 'text'
          ? {
              msgtype: 'text',
              text: {
                content: part.content,
                mentioned_list: config.mentionAll ? ['@all'] : [],
                mentioned_mobile_list: [],
              },
            }
          : { msgtype: 'markdown', markdown: { content: part.content } },
      );
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
