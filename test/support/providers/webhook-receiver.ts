import { createHmac, timingSafeEqual } from 'node:crypto';
import { Answer, FakeServer, Received } from './fake-server';

/** A Standard Webhooks receiver: checks the signature and the timestamp, and dedupes by webhook-id. */
export class FakeWebhookReceiver extends FakeServer {
  readonly accepted = new Map<string, unknown>();
  secret = '';

  protected answer(request: Received): Answer {
    const id = String(request.headers['webhook-id'] ?? '');
    const timestamp = String(request.headers['webhook-timestamp'] ?? '');
    const signatures = String(request.headers['webhook-signature'] ?? '').split(' ');
    const key = Buffer.from(this.secret.replace(/^whsec_/, ''), 'base64');
    const expected = Buffer.from(
      createHmac('sha256', key).update(`${id}.${timestamp}.${request.body}`).digest('base64'),
    );
    const valid = signatures.some((s) => {
      const [version, value] = s.split(',');
      const given = Buffer.from(value ?? '');
      return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
    });
    if (!id || !valid) return { status: 401, body: { error: 'invalid signature' } };
    if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300)
      return { status: 401, body: { error: 'timestamp too old' } };
    if (!this.accepted.has(id)) this.accepted.set(id, request.json);
    return { status: 204 };
  }
}
