import Redis from 'ioredis';
import request from 'supertest';
import { deleteRedisPrefix, dropDatabase } from './support/cleanup';
import { FakeDingtalk } from './support/providers/dingtalk';
import { FakeFeishu } from './support/providers/feishu';
import { FakeSlack } from './support/providers/slack';
import { FakeTelegram } from './support/providers/telegram';
import { FakeWebhookReceiver } from './support/providers/webhook-receiver';
import { FakeWecom } from './support/providers/wecom';
import { ServiceProcess } from './support/service-process';
import { ADMIN_KEY, TEST_REDIS_URL, isolatedEnv } from './support/test-env';

const SECRETS = {
  botToken: '123456789:AAHsecret-bot-token_abcdefghijklmn',
  wecomKey: 'f3a1c2d4-secret-wecom-key-5e6f7a8b',
  dingtalkToken: 'dingtalkSecretAccessToken0042',
  dingtalkSecret: 'SECdingtalkSigningSecret0042xyz',
  feishuToken: 'feishu-secret-hook-token-0042',
  feishuSecret: 'feishuSigningSecret0042xyz',
  slackPath: '/services/T0SECRET/B0SECRET/slackSecretPath0042',
};

async function redisDump(prefix: string): Promise<string> {
  const redis = new Redis(TEST_REDIS_URL);
  const out: string[] = [];
  try {
    for (const key of await redis.keys(`${prefix}:*`)) {
      out.push(key);
      const type = await redis.type(key);
      if (type === 'string') out.push((await redis.get(key)) ?? '');
      if (type === 'hash') out.push(JSON.stringify(await redis.hgetall(key)));
      if (type === 'list') out.push(JSON.stringify(await redis.lrange(key, 0, -1)));
      if (type === 'set') out.push(JSON.stringify(await redis.smembers(key)));
      if (type === 'zset') out.push(JSON.stringify(await redis.zrange(key, 0, -1)));
      if (type === 'stream') out.push(JSON.stringify(await redis.xrange(key, '-', '+')));
    }
  } finally {
    redis.disconnect();
  }
  return out.join('\n');
}

describe('secrets stay secret', () => {
  const wecom = new FakeWecom();
  const telegram = new FakeTelegram(SECRETS.botToken);
  const dingtalk = new FakeDingtalk();
  const feishu = new FakeFeishu();
  const slack = new FakeSlack();
  const receiver = new FakeWebhookReceiver();
  const env = isolatedEnv({ ROLE: 'all', LOG_LEVEL: 'trace', WORKER_HEARTBEAT_MS: '200' });
  let service: ServiceProcess;

  beforeAll(async () => {
    await Promise.all([wecom, telegram, dingtalk, feishu, slack, receiver].map((s) => s.start()));
    wecom.keys.add(SECRETS.wecomKey);
    telegram.chats.add('-100777');
    dingtalk.robots.set(SECRETS.dingtalkToken, { secret: SECRETS.dingtalkSecret });
    feishu.bots.set(SECRETS.feishuToken, { secret: SECRETS.feishuSecret });
    slack.hooks.add(SECRETS.slackPath);
    service = new ServiceProcess(env);
  });
  afterAll(async () => {
    await service.stop();
    await Promise.all([wecom, telegram, dingtalk, feishu, slack, receiver].map((s) => s.stop()));
    await dropDatabase(env.DATABASE_URL);
    await deleteRedisPrefix(env.QUEUE_PREFIX);
  });

  it('appear in no response, no log line and no Redis key or value', async () => {
    const port = Number((await service.waitFor(/listening on port (\d+)/))[1]);
    const http = request(`http://127.0.0.1:${port}`);
    const responses: string[] = [];
    const call = async (method: 'get' | 'post' | 'patch', path: string, body?: object, expected = 200) => {
      const response = await http[method](path).set('Authorization', `Bearer ${ADMIN_KEY}`).send(body);
      expect({ path, status: response.status }).toEqual({ path, status: expected });
      responses.push(response.text);
      return response.body;
    };

    const channel = (type: string, config: object, credentials?: object) =>
      call(
        'post',
        '/v1/channels',
        { name: `${type}-secret`, type, config, ...(credentials ? { credentials } : {}) },
        201,
      );
    const channels = {
      wecom: await channel('wecom', { baseUrl: wecom.url }),
      telegram: await channel('telegram', { baseUrl: telegram.url }, { botToken: SECRETS.botToken }),
      dingtalk: await channel('dingtalk', { baseUrl: dingtalk.url }),
      feishu: await channel('feishu', { baseUrl: feishu.url }),
      slack: await channel('slack', {}),
      webhook: await channel('webhook', {}),
    };
    const group = (channelId: string, address: unknown) =>
      call('post', '/v1/groups', { name: '秘密测试群', channelId, address, timezone: 'Asia/Shanghai' }, 201);
    const groups = [
      await group(channels.wecom.id, SECRETS.wecomKey),
      await group(channels.telegram.id, '-100777'),
      await group(channels.dingtalk.id, { accessToken: SECRETS.dingtalkToken, secret: SECRETS.dingtalkSecret }),
      await group(channels.feishu.id, { token: SECRETS.feishuToken, secret: SECRETS.feishuSecret }),
      await group(channels.slack.id, `${slack.url}${SECRETS.slackPath}`),
    ];
    const webhookResponse = await http
      .post('/v1/groups')
      .set('Authorization', `Bearer ${ADMIN_KEY}`)
      .send({
        name: 'webhook 群',
        channelId: channels.webhook.id,
        address: `${receiver.url}/hooks/secret-path-0042`,
        timezone: 'Asia/Shanghai',
      })
      .expect(201);
    const signingSecret = webhookResponse.body.signingSecret as string;
    receiver.secret = signingSecret;
    groups.push(webhookResponse.body);

    const createdKey = await http
      .post('/v1/api-keys')
      .set('Authorization', `Bearer ${ADMIN_KEY}`)
      .send({ name: 'k', role: 'viewer' })
      .expect(201);
    const apiKey = createdKey.body.key as string;
    await http.get('/v1/groups').set('Authorization', `Bearer ${apiKey}`).expect(200);

    for (const [type, c] of Object.entries(channels)) {
      const g = groups.find((x) => x.channelId === c.id);
      const result = await call('post', `/v1/channels/${c.id}/test-send`, { groupId: g.id, text: `${type} 测试` });
      expect({ type, outcome: result.outcome }).toEqual({ type, outcome: 'ok' });
    }
    dingtalk.robots.set(SECRETS.dingtalkToken, { secret: 'SECanotherSecretSoSignaturesFail' });
    expect(
      (await call('post', `/v1/channels/${channels.dingtalk.id}/test-send`, { groupId: groups[2].id, text: 'x' }))
        .outcome,
    ).toBe('permanent');
    await call('get', '/v1/channels');
    for (const c of Object.values(channels)) await call('get', `/v1/channels/${c.id}`);
    await call('get', '/v1/groups?pageSize=100');
    for (const g of groups) await call('get', `/v1/groups/${g.id}`);
    await call('patch', `/v1/groups/${groups[0].id}`, { name: '改名了' });
    await call(
      'post',
      '/v1/groups',
      {
        name: 'x',
        channelId: channels.dingtalk.id,
        address: { accessToken: SECRETS.dingtalkToken, secret: 'bad' },
        timezone: 'Asia/Shanghai',
      },
      400,
    );
    await call('get', '/health');

    const secrets = [...Object.values(SECRETS), signingSecret, signingSecret.slice(6, 30), apiKey, ADMIN_KEY];
    const stored = await redisDump(env.QUEUE_PREFIX);
    expect(await service.stop()).toBe(0);
    expect(stored).toContain('system:heartbeat');
    for (const secret of secrets) {
      for (const [where, text] of [
        ['responses', responses.join('\n')],
        ['logs', service.output],
        ['redis', stored],
      ]) {
        expect({ where, found: text.includes(secret) ? secret : null }).toEqual({ where, found: null });
      }
    }
    expect(service.output.split('\n').filter((l) => l.includes('"url":"/v1/channels/')).length).toBeGreaterThan(5);
  });
});
