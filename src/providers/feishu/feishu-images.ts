import { Injectable } from '@nestjs/common';
import { Blob } from 'node:buffer';
import { FormData } from 'undici';
import { LRUCache } from 'lru-cache';
import { ChannelSettings, baseUrlOf, providerHosts } from '../adapter';
import { DownloadRefused, HttpAnswer, HttpClient, classifyRequestError } from '../http/http-client';
import { PictureStore } from '../media/picture-store';
import { Failure, Permanent, RateLimited, Transient } from '../outcomes';
import { CodedAnswer, DEFAULT_TIMEOUT_MS, codedAnswer, isCodedAnswer } from '../provider-call';
import { FEISHU } from './feishu.definition';

const OWN_HOSTS = providerHosts(FEISHU);

const answered = isCodedAnswer<Record<string, unknown>>;
type Answered = CodedAnswer;
/** A token is used until this long before Feishu says it expires. */
const TOKEN_MARGIN_MS = 5 * 60_000;
/** Invalid or expired tenant access token: fetch a new one once. */
const TOKEN_INVALID = new Set([99991661, 99991663, 99991668]);
const RATE_LIMITED = new Set([99991400, 11232]);
const RATE_WAIT_MS = 10_000;
/** Uploaded pictures remembered per app: an image key stays valid. */
const IMAGE_KEYS = 10_000;

/**
 * Feishu shows a picture in a card only by an `image_key` of its own: the channel's app uploads
 * the file (`POST /open-apis/im/v1/images`) with a tenant access token, once per app and URL.
 */
@Injectable()
export class FeishuImages {
  private readonly tokens = new Map<string, { token: string; until: number }>();
  private readonly keys = new LRUCache<string, string>({ max: IMAGE_KEYS });

  constructor(
    private readonly http: HttpClient,
    private readonly pictures: PictureStore,
  ) {}

  /** The image key of a picture for this channel's app, uploading it the first time. */
  async imageKey(channel: ChannelSettings, url: string): Promise<string | Failure> {
    const cacheKey = `${this.tokenKey(channel)}|${url}`;
    const known = this.keys.get(cacheKey);
    if (known) return known;
    let picture;
    try {
      picture = await this.pictures.get(url);
    } catch (error) {
      if (error instanceof DownloadRefused) return new Permanent('picture', `${url} ${error.message}`);
      return classifyRequestError(error);
    }
    const upload = async (token: string) => {
      const form = new FormData();
      form.set('image_type', 'message');
      form.set('image', new Blob([picture.bytes], { type: picture.type }), 'picture');
      return this.http.postForm(`${this.base(channel)}/open-apis/im/v1/images`, form, {
        ...this.options(channel),
        headers: { authorization: `Bearer ${token}` },
      });
    };
    const answer = await this.withToken(channel, upload);
    if (!answered(answer)) return answer;
    const key = (answer.json.data as { image_key?: unknown } | undefined)?.image_key;
    if (typeof key !== 'string') return new Transient('Feishu answered the upload without an image_key');
    this.keys.set(cacheKey, key);
    return key;
  }

  private async withToken(
    channel: ChannelSettings,
    call: (token: string) => Promise<HttpAnswer>,
    retried = false,
  ): Promise<Answered | Failure> {
    const token = await this.token(channel);
    if (typeof token !== 'string') return token;
    const answer = await codedAnswer(() => call(token), 'code');
    if (!answered(answer)) return answer;
    if (TOKEN_INVALID.has(answer.json.code as number) && !retried) {
      this.tokens.delete(this.tokenKey(channel));
      return this.withToken(channel, call, true);
    }
    return answer.json.code === 0 ? answer : failure(answer.json);
  }

  private async token(channel: ChannelSettings): Promise<string | Failure> {
    const key = this.tokenKey(channel);
    const cached = this.tokens.get(key);
    if (cached && cached.until > Date.now()) return cached.token;
    const { appId, appSecret } = channel.credentials;
    const answer = await codedAnswer(
      () =>
        this.http.postJson(
          `${this.base(channel)}/open-apis/auth/v3/tenant_access_token/internal`,
          { app_id: appId, app_secret: appSecret },
          this.options(channel),
        ),
      'code',
    );
    if (!answered(answer)) return answer;
    const { json } = answer;
    if (json.code !== 0 || typeof json.tenant_access_token !== 'string') return failure(json);
    const lifetimeMs = Number(json.expire ?? 7200) * 1000;
    this.tokens.set(key, {
      token: json.tenant_access_token,
      until: Date.now() + Math.max(0, lifetimeMs - TOKEN_MARGIN_MS),
    });
    return json.tenant_access_token;
  }

  private tokenKey(channel: ChannelSettings): string {
    return `${this.base(channel)}|${channel.credentials.appId}|${channel.id}`;
  }

  private base(channel: ChannelSettings): string {
    return baseUrlOf(FEISHU, channel.config)!;
  }

  private options(channel: ChannelSettings) {
    return { timeoutMs: channel.config.timeoutMs ?? DEFAULT_TIMEOUT_MS, providerHosts: OWN_HOSTS };
  }
}

function failure(answer: Record<string, unknown>): Failure {
  const code = String(answer.code);
  const reason = `picture upload: ${String(answer.msg ?? '')}`;
  if (RATE_LIMITED.has(answer.code as number)) return new RateLimited(RATE_WAIT_MS, code, reason);
  return new Permanent(code, reason);
}
