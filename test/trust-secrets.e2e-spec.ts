import { createConnection } from 'mysql2/promise';
import { databaseName } from '../src/database/typeorm-options';
import { ContentFactory, GroupFactory, createKey } from './support/factories';
import { fieldsOf } from './support/details';
import { FakeWecom } from './support/providers/wecom';
import { TestApp, createTestApp } from './support/test-app';
import { TEST_MYSQL_URL } from './support/test-env';

const ROBOT_KEY = 'robot-key-0123456789';

/** Base URLs that would carry a robot key or token somewhere other than the provider; {port} is a live fake. */
const FOREIGN_BASE_URLS = [
  'http://127.0.0.1:{port}',
  'https://127.0.0.1:{port}',
  'http://169.254.169.254',
  'https://[::1]',
  'https://[::127.0.0.1]',
  'https://evil.example.com',
  'http://qyapi.weixin.qq.com',
  'https://qyapi.weixin.qq.com:8443',
];

const wecomWithBaseUrl = (t: TestApp, baseUrl: string) =>
  t.admin
    .post('/v1/channels')
    .send({ name: `wecom-${Math.random().toString(36).slice(2)}`, type: 'wecom', config: { baseUrl } });

describe('trust: a provider secret only ever goes to that provider', () => {
  const wecom = new FakeWecom();
  let port = '';

  beforeAll(async () => {
    await wecom.start();
    wecom.keys.add(ROBOT_KEY);
    port = new URL(wecom.url).port;
  });
  afterAll(() => wecom.stop());

  describe('with the shipped defaults (no private targets, no custom base URLs)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ ALLOW_PRIVATE_TARGETS: 'false', ALLOW_CUSTOM_BASE_URLS: 'false' });
    });
    afterAll(() => t.close());

    it.each(FOREIGN_BASE_URLS)('refuses a WeCom channel whose baseUrl is %s, naming the field', async (pattern) => {
      const response = await wecomWithBaseUrl(t, pattern.replace('{port}', port)).expect(400);
      expect(response.body.details).toEqual([
        {
          field: 'config.baseUrl',
          message:
            "must be https://qyapi.weixin.qq.com, the provider's own; another host needs ALLOW_CUSTOM_BASE_URLS=true",
        },
      ]);
    });

    it('refuses the same on update, for DingTalk and Feishu too, and takes the providers’ own hosts', async () => {
      for (const [type, own, foreign] of [
        ['dingtalk', 'https://oapi.dingtalk.com', 'https://oapi.dingtalk.com.evil.example'],
        ['feishu', 'https://open.larksuite.com', 'http://open.feishu.cn'],
        ['telegram', 'https://api.telegram.org/', 'https://[::ffff:127.0.0.1]'],
      ]) {
        const body =
          type === 'telegram' ? { credentials: { botToken: '123456789:AAHfake-token_for_tests_0123456789' } } : {};
        const created = await t.admin
          .post('/v1/channels')
          .send({ name: `${type}-own`, type, config: { baseUrl: own }, ...body })
          .expect(201);
        const refused = await t.admin
          .patch(`/v1/channels/${created.body.id}`)
          .send({ config: { baseUrl: foreign } })
          .expect(400);
        expect(fieldsOf(refused.body)).toEqual(['config.baseUrl']);
      }
    });

    it('does not send a key to a base URL saved before the rule (or by hand), even after a restart', async () => {
      const channel = await t.admin.post('/v1/channels').send({ name: 'wecom-old', type: 'wecom' }).expect(201);
      const group = await GroupFactory.create(t, channel.body.id, { address: ROBOT_KEY });
      const mysql = await createConnection({ uri: `${TEST_MYSQL_URL}/${databaseName(t.config.databaseUrl)}` });
      await mysql.query('UPDATE channels SET config = ? WHERE id = ?', [
        JSON.stringify({ baseUrl: wecom.url }),
        channel.body.id,
      ]);
      await mysql.end();
      const sent = await t.admin
        .post(`/v1/channels/${channel.body.id}/test-send`)
        .send({ groupId: group.id, text: '测试' })
        .expect(200);
      expect(sent.body).toMatchObject({ outcome: 'permanent', code: 'private_target' });
      expect(sent.body.reason).toContain('ALLOW_CUSTOM_BASE_URLS=true');
      expect(wecom.received).toHaveLength(0);
    });
  });

  describe('with custom base URLs allowed but private targets not', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ ALLOW_PRIVATE_TARGETS: 'false', ALLOW_CUSTOM_BASE_URLS: 'true' });
    });
    afterAll(() => t.close());

    it.each(FOREIGN_BASE_URLS.slice(0, 5))('still refuses %s with the SSRF guard’s reason', async (pattern) => {
      const response = await wecomWithBaseUrl(t, pattern.replace('{port}', port)).expect(400);
      expect(fieldsOf(response.body)).toEqual(['config.baseUrl']);
      expect(response.body.details[0].message).toMatch(/^(must be an https:\/\/ URL|is refused: )/);
    });
  });
});

describe('trust: links in content are web links', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it.each([
    'javascript:alert(1)',
    'JAVASCRIPT:alert(document.cookie)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox',
    'file:///etc/passwd',
    'mailto:a@b.c',
  ])('refuses %s in a uri field of the fields, naming it', async (url) => {
    const editor = t.as(await createKey(t, 'editor'));
    const body = ContentFactory.body('product_pick');
    (body.fields as Record<string, unknown>).url = url;
    const response = await editor.post('/v1/content').send(body).expect(400);
    expect(response.body.details).toContainEqual({
      field: 'fields.url',
      message: 'must be an http:// or https:// URL',
    });
  });
});
