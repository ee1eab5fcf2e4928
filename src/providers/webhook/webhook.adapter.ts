import { Injectable } from '@nestjs/common';
import { createHmac, randomBytes } from 'node:crypto';
import { ChannelAdapter, defineChannel, OutgoingMessage, SendTarget, WireParts } from '../adapter';
import { addressSchema, configSchema, httpUrl, pattern } from '../config-schema';
import { HttpAnswer, HttpClient, retryAfterMs } from '../http/http-client';
import { Permanent, RateLimited, SendResult, Sent, Transient } from '../outcomes';
import { callProvider } from '../provider-call';

export const WEBHOOK = defineChannel({
  type: 'webhook',
  configSchema: configSchema(),
  addressSchema: addressSchema({ url: httpUrl, secret: pattern('^whsec_[A-Za-z0-9+/]{32,88}={0,2}$') }, ['url']),
  addressShorthand: 'url',
  secretFields: ['url', 'secret'],
  rateLimits: [],
  dedupes: true,
  chat: { fields: ['url'], scope: 'type' },
  pictures: { as: 'a URL in data.images' },
  userSuppliedUrl: 'url',
});

export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** Standard Webhooks: v1,Base64(HMAC-SHA256(secret bytes, "{id}.{timestamp}.{body}")). */
export function webhookSignature(secret: string, id: string, timestampSeconds: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestampSeconds}.${body}`).digest('base64')}`;
}

const DEFAULT_RATE_WAIT_MS = 60_000;

/** A signed POST to the group's URL; the receiver dedupes by webhook-id, so retrying is safe. */
@Injectable()
export class WebhookAdapter implements ChannelAdapter {
  constructor(private readonly http: HttpClient) {}

  parts(message: OutgoingMessage): WireParts {
    return [
      { type: 'post.due', text: message.markdown, pictures: message.images ?? [], url: message.link ?? undefined },
    ];
  }

  async send(message: OutgoingMessage, target: SendTarget): Promise<SendResult> {
    const timestamp = Math.floor(Date.now() / 1000);
    const body = JSON.stringify({
      type: 'post.due',
      timestamp: new Date(timestamp * 1000).toISOString(),
      data: {
        postId: message.id,
        runId: message.runId ?? null,
        stage: message.stage ?? null,
        dueAt: message.dueAt?.toISOString() ?? null,
        group: message.group,
        title: message.title,
        text: message.text,
        markdown: message.markdown,
        images: message.images ?? [],
        link: message.link ?? null,
      },
    });
    const headers: Record<string, string> = { 'webhook-id': message.id, 'webhook-timestamp': String(timestamp) };
    if (target.address.secret)
      headers['webhook-signature'] = webhookSignature(target.address.secret, message.id, timestamp, body);
    return callProvider(this.http, target, target.address.url, body, classify, { userSupplied: true, headers });
  }
}

function classify(answer: HttpAnswer): SendResult {
  const { status } = answer;
  const reason = `HTTP ${status}: ${answer.text.slice(0, 200)}`;
  if (status >= 200 && status < 300) return new Sent();
  const retryAfter = answer.headers['retry-after'];
  if (status === 429) return new RateLimited(retryAfterMs(retryAfter, DEFAULT_RATE_WAIT_MS), '429', reason);
  if ([502, 503, 504].includes(status)) {
    return retryAfter
      ? new RateLimited(retryAfterMs(retryAfter, DEFAULT_RATE_WAIT_MS), String(status), reason)
      : new Transient(reason, String(status));
  }
  if (status >= 500) return new Transient(reason, String(status));
  if (status === 410 || status === 404)
    return new Permanent(String(status), `the receiver is gone (${status})`, 0, true);
  if (status >= 300 && status < 400) return new Permanent(String(status), `${reason}; redirects are not followed`);
  return new Permanent(String(status), reason);
}
