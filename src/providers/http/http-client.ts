import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Agent, FormData, request } from 'undici';
import { CHANNEL_OPTIONS, ChannelOptions } from '../channel-options';
import { Ambiguous, Permanent, Transient } from '../outcomes';
import { PrivateTargetError, assertPublicLiteral, publicOnlyLookup } from './ssrf-guard';

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export interface PostOptions {
  headers?: Record<string, string>;
  timeoutMs: number;
  /** A URL a user typed (webhook, Slack): refused when it points at a private address. */
  userSupplied?: boolean;
  /**
   * The provider's own hosts. A URL elsewhere (a custom base URL) is refused unless custom base
   * URLs are allowed, and then it is guarded like a URL a user typed.
   */
  providerHosts?: readonly string[];
}

const CONNECT_TIMEOUT_MS = 5000;
/** Failures that happen before a byte of the request leaves: safe to retry. */
const NOT_SENT = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
]);

/** Turns a failed request into an outcome: not sent → transient, sent without answer → ambiguous. */
export function classifyRequestError(error: unknown): Transient | Permanent | Ambiguous {
  if (error instanceof PrivateTargetError) return new Permanent(error.code, error.message);
  const code = (error as { code?: string }).code ?? '';
  const message = error instanceof Error ? error.message : String(error);
  if (NOT_SENT.has(code)) return new Transient(`${code}: ${message}`, code);
  return new Ambiguous(`${code || 'error'}: ${message}`);
}

/** One pooled keep-alive client for every provider call; no redirects are ever followed. */
@Injectable()
export class HttpClient implements OnModuleDestroy {
  private readonly agent: Agent;
  private readonly publicOnly: Agent;

  constructor(@Inject(CHANNEL_OPTIONS) private readonly config: ChannelOptions) {
    const pool = { keepAliveTimeout: 30_000, connections: 128 };
    this.agent = new Agent({ ...pool, connect: { timeout: CONNECT_TIMEOUT_MS } });
    this.publicOnly = config.allowPrivateTargets
      ? this.agent
      : new Agent({ ...pool, connect: { timeout: CONNECT_TIMEOUT_MS, lookup: publicOnlyLookup } });
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all([this.agent.close(), this.publicOnly === this.agent ? undefined : this.publicOnly.close()]);
  }

  /** Posts JSON and reads the whole answer; throws on network failure (see classifyRequestError). */
  postJson(url: string, body: unknown, options: PostOptions): Promise<HttpAnswer> {
    return this.call('POST', url, typeof body === 'string' ? body : JSON.stringify(body), options);
  }

  /** Posts a multipart form (a file upload) and reads the whole answer; throws like postJson. */
  postForm(url: string, form: FormData, options: PostOptions): Promise<HttpAnswer> {
    return this.call('POST', url, form, options);
  }

  /** A GET to a provider's API (a token), guarded the same way. */
  get(url: string, options: PostOptions): Promise<HttpAnswer> {
    return this.call('GET', url, undefined, options);
  }

  private async call(
    method: 'GET' | 'POST',
    url: string,
    body: string | FormData | undefined,
    options: PostOptions,
  ): Promise<HttpAnswer> {
    const target = new URL(url);
    const custom = options.providerHosts !== undefined && !isProviderUrl(target, options.providerHosts);
    if (custom && !this.config.allowCustomBaseUrls) {
      throw new PrivateTargetError(
        `${target.host} is not the provider's own host (${options.providerHosts?.join(', ')}); custom base URLs need ALLOW_CUSTOM_BASE_URLS=true`,
      );
    }
    const guarded = options.userSupplied || custom;
    if (guarded && !this.config.allowPrivateTargets) assertPublicLiteral(target);
    const response = await request(target, {
      method,
      dispatcher: guarded ? this.publicOnly : this.agent,
      headers: {
        ...(typeof body === 'string' ? { 'content-type': 'application/json; charset=utf-8' } : {}),
        ...options.headers,
      },
      body,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
    const text = await response.body.text();
    return { status: response.statusCode, headers: response.headers, text };
  }

  /**
   * GETs a URL someone put in content (a picture), guarded like a URL a user typed, reading at
   * most `maxBytes`: a larger file, or an answer other than 200, is a DownloadRefused.
   */
  async getBytes(url: string, options: { maxBytes: number; timeoutMs: number }): Promise<Buffer> {
    const target = new URL(url);
    if (!this.config.allowPrivateTargets) assertPublicLiteral(target);
    const response = await request(target, {
      method: 'GET',
      dispatcher: this.publicOnly,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
    if (response.statusCode !== 200) {
      await response.body.dump();
      throw new DownloadRefused(`answers HTTP ${response.statusCode}`);
    }
    const declared = Number(response.headers['content-length']);
    if (declared > options.maxBytes) {
      await response.body.dump();
      throw new DownloadRefused(`is ${megabytes(declared)}, over the ${megabytes(options.maxBytes)} a picture may be`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body) {
      size += (chunk as Buffer).length;
      if (size > options.maxBytes) {
        response.body.destroy();
        throw new DownloadRefused(`is over the ${megabytes(options.maxBytes)} a picture may be`);
      }
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  }
}

const megabytes = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;

/** A download that was not what it should be: too large, or not there. */
export class DownloadRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DownloadRefused';
  }
}

/** https on one of the provider's hosts, default port. */
export function isProviderUrl(url: URL, hosts: readonly string[]): boolean {
  return url.protocol === 'https:' && url.port === '' && hosts.includes(url.hostname);
}

export function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Retry-After in seconds or as an HTTP date, in milliseconds. */
export function retryAfterMs(header: string | string[] | undefined, fallbackMs: number): number {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return fallbackMs;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : fallbackMs;
}
