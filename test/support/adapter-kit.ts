import { randomUUID } from 'node:crypto';
import { loadConfig } from '../../src/config/app-config';
import { ChannelConfig, OutgoingMessage, SendTarget } from '../../src/providers/adapter';
import { ChannelType } from '../../src/providers/channel-types';
import { HttpClient } from '../../src/providers/http/http-client';
import { PictureStore } from '../../src/providers/media/picture-store';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The real pooled client; private targets and custom base URLs allowed because the fake providers listen on 127.0.0.1. */
export function httpClient(allowPrivateTargets = true, allowCustomBaseUrls = true): HttpClient {
  return new HttpClient(
    loadConfig({
      ALLOW_PRIVATE_TARGETS: String(allowPrivateTargets),
      ALLOW_CUSTOM_BASE_URLS: String(allowCustomBaseUrls),
    }),
  );
}

/** A picture store with a cache directory of its own. */
export function pictureStore(http: HttpClient): PictureStore {
  return new PictureStore(http, loadConfig({ MEDIA_CACHE_DIR: join(tmpdir(), `gc-media-${randomUUID()}`) }));
}

export function message(overrides: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return {
    id: randomUUID(),
    title: '周一早报',
    text: '早上好，今天降温，记得加衣。',
    markdown: '**早上好**，今天降温，记得加衣。',
    stage: 'activate',
    group: { id: randomUUID(), name: '杭州宝妈群' },
    ...overrides,
  };
}

export function target(
  type: ChannelType,
  address: Record<string, string>,
  config: ChannelConfig = {},
  credentials: Record<string, string> = {},
): SendTarget {
  return { channel: { id: randomUUID(), name: `${type} test`, type, config, credentials }, address };
}

/** A long Chinese morning brief: ~5,000 UTF-8 bytes in paragraphs of a few hundred. */
export function longBrief(paragraphs = 12): string {
  return Array.from(
    { length: paragraphs },
    (_, i) => `第${i + 1}段：${'今天的早报内容很丰富，大家慢慢看。'.repeat(8)}`,
  ).join('\n\n');
}
