import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CHANNEL_OPTIONS, ChannelOptions } from '../channel-options';
import { DownloadRefused, HttpClient } from '../http/http-client';

export type PictureType = 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp';

export interface Picture {
  url: string;
  bytes: Buffer;
  type: PictureType;
  /** Hex MD5 of the file, as WeCom wants it beside the base64. */
  md5: string;
}

/** WeCom robots take pictures up to 2 MB, the least any provider takes: every picture stays under it. */
export const PICTURE_MAX_BYTES = 2 * 1024 * 1024;
const TIMEOUT_MS = 15_000;
/** Files kept in the cache directory; the oldest go first. */
const CACHE_FILES = 1000;
const PRUNE_EVERY = 50;

/** The file's type from its first bytes, not from what the server or the URL says. */
export function pictureType(bytes: Buffer): PictureType | null {
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.subarray(0, 4).toString('latin1') === 'GIF8') return 'image/gif';
  if (bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP')
    return 'image/webp';
  return null;
}

/**
 * Pictures named in content, fetched through the SSRF-guarded client once per URL and kept on
 * disk (a bounded cache under MEDIA_CACHE_DIR): size and type are checked when a piece is saved,
 * and the providers that want the file itself (WeCom robots) get it from here.
 */
@Injectable()
export class PictureStore {
  private readonly loading = new Map<string, Promise<Picture>>();
  private writes = 0;

  constructor(
    private readonly http: HttpClient,
    @Inject(CHANNEL_OPTIONS) private readonly options: ChannelOptions,
  ) {}

  /** The picture at `url`; a DownloadRefused says why it cannot be one. */
  get(url: string): Promise<Picture> {
    let pending = this.loading.get(url);
    if (!pending) {
      pending = this.load(url).finally(() => this.loading.delete(url));
      this.loading.set(url, pending);
    }
    return pending;
  }

  private async load(url: string): Promise<Picture> {
    const file = join(this.options.mediaCacheDir, createHash('sha256').update(url).digest('hex'));
    const cached = await readFile(file).catch(() => undefined);
    const bytes = cached ?? (await this.http.getBytes(url, { maxBytes: PICTURE_MAX_BYTES, timeoutMs: TIMEOUT_MS }));
    const type = pictureType(bytes);
    if (!type) throw new DownloadRefused('is not a JPG, PNG, GIF or WebP picture');
    if (!cached) await this.keep(file, bytes);
    return { url, bytes, type, md5: createHash('md5').update(bytes).digest('hex') };
  }

  private async keep(file: string, bytes: Buffer): Promise<void> {
    await mkdir(this.options.mediaCacheDir, { recursive: true });
    const partial = `${file}.${process.pid}.part`;
    await writeFile(partial, bytes);
    await rename(partial, file);
    if (++this.writes % PRUNE_EVERY === 0) await this.prune();
  }

  private async prune(): Promise<void> {
    const names = (await readdir(this.options.mediaCacheDir)).filter((n) => !n.endsWith('.part'));
    if (names.length <= CACHE_FILES) return;
    const aged = await Promise.all(
      names.map(async (name) => ({ name, at: (await stat(join(this.options.mediaCacheDir, name))).mtimeMs })),
    );
    aged.sort((a, b) => a.at - b.at);
    for (const { name } of aged.slice(0, names.length - CACHE_FILES)) {
      await unlink(join(this.options.mediaCacheDir, name)).catch(() => undefined);
    }
  }
}
