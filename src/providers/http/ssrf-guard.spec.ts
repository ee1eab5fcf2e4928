import { FakeWebhookReceiver } from '../../../test/support/providers/webhook-receiver';
import { httpClient, message, target } from '../../../test/support/adapter-kit';
import { WebhookAdapter } from '../webhook/webhook.adapter';
import { PrivateTargetError, assertPublicUrl, isPublicAddress } from './ssrf-guard';

/** Ways to write a private address that naive checks miss; {port} is a live local receiver. */
const BYPASSES = [
  'http://127.0.0.1:{port}/hook',
  'http://0x7f000001:{port}/hook',
  'http://2130706433:{port}/hook',
  'http://0177.0.0.1:{port}/hook',
  'http://127.1:{port}/hook',
  'http://[::1]:{port}/hook',
  'http://[::ffff:127.0.0.1]:{port}/hook',
  'http://[::ffff:7f00:1]:{port}/hook',
  'http://[::127.0.0.1]:{port}/hook',
  'http://[::7f00:1]:{port}/hook',
  'http://0.0.0.0:{port}/hook',
  'http://169.254.169.254/latest/meta-data/',
  'http://10.0.0.7/hook',
  'http://172.16.5.4/hook',
  'http://192.168.1.20/hook',
  'http://100.64.0.1/hook',
  'http://[fd00::1]/hook',
  'http://[fe80::1]/hook',
  'http://localhost:{port}/hook',
];

describe('private-target guard', () => {
  const receiver = new FakeWebhookReceiver();
  const http = httpClient(false);
  const adapter = new WebhookAdapter(http);
  let port = '';

  beforeAll(async () => {
    await receiver.start();
    port = new URL(receiver.url).port;
  });
  afterAll(async () => {
    await http.onModuleDestroy();
    await receiver.stop();
  });

  it.each(BYPASSES)('refuses %s at send time without a request reaching it', async (pattern) => {
    const url = pattern.replace('{port}', port);
    const result = await adapter.send(
      message(),
      target('webhook', { url, secret: 'whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=' }, { timeoutMs: 2000 }),
    );
    expect(result).toMatchObject({ kind: 'permanent', code: 'private_target' });
    expect(receiver.received).toHaveLength(0);
  });

  it.each(BYPASSES)('refuses %s when it is saved', async (pattern) => {
    await expect(assertPublicUrl(new URL(pattern.replace('{port}', port)))).rejects.toBeInstanceOf(PrivateTargetError);
  });

  it('lets public addresses through', () => {
    expect(isPublicAddress('93.184.216.34')).toBe(true);
    expect(isPublicAddress('2606:4700:4700::1111')).toBe(true);
    expect(isPublicAddress('::ffff:93.184.216.34')).toBe(true);
  });
});
