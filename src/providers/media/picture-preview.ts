import { ChannelDefinition, ChannelParts, OutgoingMessage } from '../adapter';
import { AdapterRegistry } from '../adapter-registry';
import { ChannelType } from '../channel-types';
import { PictureStore } from './picture-store';

export interface PicturePreview {
  url: string;
  /** What the provider gets: a picture in its own form, or the link in the text. */
  as: string;
  /** The file's size, for providers that are sent the file. */
  bytes?: number;
  /** Set when the picture will not arrive as a picture, or may not arrive. */
  warning?: string;
}

/** One message of a post as its provider will get it. */
export interface PartPreview {
  /** The provider's message type or method: `markdown`, `image`, `news`, `actionCard`, `sendPhoto`… */
  type: string;
  text?: string;
  /** The text's size in UTF-8 bytes (WeCom, DingTalk and Feishu count these) and in characters (Telegram, Slack). */
  bytes?: number;
  characters?: number;
  pictures?: PicturePreview[];
  /** Where a card leads. */
  url?: string;
}

export interface PartsPreview {
  parts: PartPreview[];
  /** Why the post cannot go on this channel (too long for the provider); no parts then. */
  refused?: string;
  /** How each picture of the post arrives, or why it stays a link. */
  pictures: PicturePreview[];
}

const AS_LINK = 'the link in the text';

/**
 * The exact messages a post becomes on a channel, from the adapter's own list of parts, with each
 * text's size and each picture's file size. External channels get the text and the pictures for
 * their consumer to send.
 */
export async function previewParts(
  adapters: AdapterRegistry,
  channel: ChannelParts & { type: ChannelType },
  message: OutgoingMessage,
  store: PictureStore,
): Promise<PartsPreview> {
  const adapter = adapters.adapter(channel.type);
  const definition = adapters.definition(channel.type);
  const images = message.images ?? [];
  const pictures = await previewPictures(definition, channel, images, store);
  const byUrl = new Map(pictures.map((p) => [p.url, p]));
  const wire = adapter
    ? adapter.parts(message, channel)
    : [{ type: 'message', text: message.text, pictures: images, ...(message.link ? { url: message.link } : {}) }];
  if ('refused' in wire) return { parts: [], refused: wire.refused, pictures };
  const parts = wire.map(({ text, pictures: urls, ...part }) => ({
    ...part,
    ...(text === undefined ? {} : { text, bytes: Buffer.byteLength(text), characters: [...text].length }),
    ...(urls?.length
      ? { pictures: urls.map((url) => byUrl.get(url) ?? { url, as: definition.pictures?.as ?? AS_LINK }) }
      : {}),
  }));
  return { parts, pictures };
}

/** How each picture of a post will arrive on a channel of this type, config and credentials. */
export async function previewPictures(
  definition: ChannelDefinition,
  { config, credentials }: ChannelParts,
  images: string[],
  store: PictureStore,
): Promise<PicturePreview[]> {
  const rule = definition.pictures;
  return Promise.all(
    images.map(async (url): Promise<PicturePreview> => {
      if (!rule) return { url, as: AS_LINK, warning: `a ${definition.type} robot shows no pictures: it gets the link` };
      if (rule.markdownOnly && (config.format ?? 'markdown') === 'text') {
        return {
          url,
          as: AS_LINK,
          warning: 'the channel sends text, which shows no pictures (config.format markdown would)',
        };
      }
      if (rule.needs && !credentials[rule.needs.credential]) {
        return { url, as: AS_LINK, warning: `${rule.needs.otherwise}: the picture stays a link` };
      }
      if (!rule.files) return { url, as: rule.as };
      try {
        const picture = await store.get(url);
        if (!rule.files.includes(picture.type)) {
          return {
            url,
            as: AS_LINK,
            bytes: picture.bytes.length,
            warning: `a ${picture.type} cannot go as a picture here`,
          };
        }
        return { url, as: rule.as, bytes: picture.bytes.length };
      } catch (error) {
        return { url, as: rule.as, warning: `cannot be fetched now: ${(error as Error).message}` };
      }
    }),
  );
}
