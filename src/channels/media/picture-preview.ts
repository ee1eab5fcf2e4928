import { ChannelConfig, ChannelDefinition } from '../adapter';
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

const AS_LINK = 'the link in the text';

/** How each picture of a post will arrive on a channel of this type and config. */
export async function previewPictures(
  definition: ChannelDefinition,
  config: ChannelConfig,
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
