import { Inject, Injectable } from '@nestjs/common';
import { CHANNEL_OPTIONS, ChannelOptions } from '../providers/channel-options';
import { DownloadRefused } from '../providers/http/http-client';
import { PrivateTargetError } from '../providers/http/ssrf-guard';
import { PICTURE_MAX_BYTES, PictureStore } from '../providers/media/picture-store';
import { DomainError, ErrorDetail } from '../common/domain-error';
import { Kind } from '../templates/kind';
import { pictureFields } from '../templates/pictures';

/**
 * A piece's pictures are fetched when it is saved: one too large for the providers, not a
 * picture, or not there is refused then, naming the field, rather than failing at 22:00.
 */
@Injectable()
export class PictureCheck {
  constructor(
    private readonly pictures: PictureStore,
    @Inject(CHANNEL_OPTIONS) private readonly options: ChannelOptions,
  ) {}

  async check(kind: Kind, fields: unknown, media: readonly string[] | undefined): Promise<void> {
    if (!this.options.mediaCheck) return;
    const named = pictureFields(kind.schema, fields ?? {}, media ?? []).filter(
      ({ url }) => this.options.mediaCheckExampleHosts || !onExampleDomain(url),
    );
    const details: ErrorDetail[] = [];
    await Promise.all(
      named.map(async ({ field, url }) => {
        const problem = await this.pictures.get(url).then(
          () => undefined,
          (error: unknown) => problemOf(error),
        );
        if (problem) details.push({ field, message: `${url} ${problem}` });
      }),
    );
    if (details.length > 0) {
      details.sort((a, b) => a.field.localeCompare(b.field));
      throw DomainError.invalid(details);
    }
  }
}

/** example.com, example.net, example.org and their subdomains: reserved for examples (RFC 2606). */
const EXAMPLE_DOMAIN = /(^|\.)example\.(com|net|org)$/i;

function onExampleDomain(url: string): boolean {
  return URL.canParse(url) && EXAMPLE_DOMAIN.test(new URL(url).hostname);
}

function problemOf(error: unknown): string {
  if (error instanceof DownloadRefused) return error.message;
  if (error instanceof PrivateTargetError) return `cannot be fetched: ${error.message}`;
  const code = (error as { code?: string }).code;
  return `could not be fetched (${code ?? (error as Error).message}); pictures must be public JPG, PNG, GIF or WebP files of at most ${PICTURE_MAX_BYTES / 1_048_576} MB`;
}
