import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Connection, createConnection } from 'mysql2/promise';
import request from 'supertest';
import { ChannelFactory, GroupFactory } from './support/factories';
import { FakeWecom } from './support/providers/wecom';
import { ServiceProcess } from './support/service-process';
import { ADMIN_KEY } from './support/test-env';
import { TestApp, createTestApp } from './support/test-app';

const ROTATE = join(__dirname, '..', 'dist', 'rotate-secrets.js');
const key = () => randomBytes(32).toString('base64');

describe('secrets at rest', () => {
  const [k1, k2] = [key(), key()];
  let t: TestApp;
  let mysql: Connection;
  const wecom = new FakeWecom();
  const ROBOT_KEY = `robot-${randomBytes(8).toString('hex')}`;
  const BOT_TOKEN = `123456:${randomBytes(12).toString('hex')}`;
  let channelId: string;
  let groupId: string;
  let botChannelId: string;

  beforeAll(async () => {
    t = await createTestApp({ SECRETS_KEYS: `k1:${k1}` });
    mysql = await createConnection({ uri: t.config.databaseUrl });
    await wecom.start();
    wecom.keys.add(ROBOT_KEY);
    channelId = (await ChannelFactory.create(t, 'wecom', { config: { baseUrl: wecom.url } })).id;
    groupId = (await GroupFactory.create(t, channelId, { address: ROBOT_KEY })).id;
    botChannelId = (await ChannelFactory.create(t, 'telegram', { credentials: { botToken: BOT_TOKEN } })).id;
  });
  afterAll(async () => {
    await mysql.end();
    await t.close();
    await wecom.stop();
  });

  const raw = async () => {
    const [groups] = await mysql.query('SELECT address FROM `groups` WHERE id = ?', [groupId]);
    const [channels] = await mysql.query('SELECT credentials FROM channels WHERE id = ?', [botChannelId]);
    const text = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));
    return {
      address: text((groups as { address: unknown }[])[0].address),
      credentials: text((channels as { credentials: unknown }[])[0].credentials),
    };
  };

  it('keeps robot keys and bot tokens sealed in MySQL, and sends with them', async () => {
    const rows = await raw();
    expect(rows.address).toMatch(/^"?sealed:v1:k1:/);
    expect(rows.credentials).toMatch(/^"?sealed:v1:k1:/);
    expect(JSON.stringify(rows)).not.toContain(ROBOT_KEY);
    expect(JSON.stringify(rows)).not.toContain(BOT_TOKEN.split(':')[1]);
    await t.admin
      .post(`/v1/channels/${channelId}/test-send`)
      .send({ groupId, text: '加密之后' })
      .expect(200, { outcome: 'ok', partsSent: 1 });
    expect(wecom.received.at(-1)!.query.get('key')).toBe(ROBOT_KEY);
  });

  it('seals everything again with a new key, after which a process holding only the new key sends as before', async () => {
    const rotation = new ServiceProcess({ DATABASE_URL: t.config.databaseUrl, SECRETS_KEYS: `k2:${k2},k1:${k1}` }, [
      ROTATE,
    ]);
    expect(await rotation.exited).toBe(0);
    expect(rotation.output).toMatch(/sealed with key k2: 2 channel credentials, 1 group addresses/);
    const rows = await raw();
    expect(rows.address).toMatch(/^"?sealed:v1:k2:/);
    expect(rows.credentials).toMatch(/^"?sealed:v1:k2:/);

    const again = new ServiceProcess({ DATABASE_URL: t.config.databaseUrl, SECRETS_KEYS: `k2:${k2}` }, [ROTATE]);
    expect(await again.exited).toBe(0);
    expect(again.output).toMatch(/sealed with key k2: 0 channel credentials, 0 group addresses/);

    const api = new ServiceProcess({
      ROLE: 'api',
      PORT: '0',
      DATABASE_URL: t.config.databaseUrl,
      REDIS_URL: t.config.redisUrl,
      QUEUE_PREFIX: t.config.queuePrefix,
      ADMIN_API_KEY: ADMIN_KEY,
      ALLOW_PRIVATE_TARGETS: 'true',
      ALLOW_CUSTOM_BASE_URLS: 'true',
      SECRETS_KEYS: `k2:${k2}`,
      LOG_LEVEL: 'info',
    });
    try {
      const port = (await api.waitFor(/listening on port (\d+)/, 60_000))[1];
      await request(`http://127.0.0.1:${port}`)
        .post(`/v1/channels/${channelId}/test-send`)
        .set('Authorization', `Bearer ${ADMIN_KEY}`)
        .send({ groupId, text: '换钥之后' })
        .expect(200, { outcome: 'ok', partsSent: 1 });
      expect(wecom.received.at(-1)!.query.get('key')).toBe(ROBOT_KEY);
    } finally {
      await api.stop();
    }
  }, 90_000);
});
