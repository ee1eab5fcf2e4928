import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { API_ROLES, ApiRole } from '../src/auth/roles';
import { ChannelFactory, ContentFactory, GroupFactory, createKey } from './support/factories';
import { TestApp, createTestApp } from './support/test-app';
import { ADMIN_KEY, isolatedEnv } from './support/test-env';
import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { startApp } from '../src/bootstrap';
import { loadConfig } from '../src/config/app-config';

const PIECE = ':piece';
const CHANNEL = ':channel';
const GROUP = ':group';
const READERS: ApiRole[] = ['admin', 'planner', 'viewer'];
/** Every role but a shop's integration key, which may only report orders. */
const ANY: ApiRole[] = API_ROLES.filter((role) => role !== 'integration');

/** Every route with the roles allowed on it (admin may do everything). */
const ROUTES: { method: 'get' | 'post' | 'patch' | 'delete'; path: string; roles: ApiRole[]; body?: object }[] = [
  { method: 'post', path: '/v1/api-keys', roles: ['admin'], body: { name: 'k', role: 'viewer' } },
  { method: 'get', path: '/v1/api-keys', roles: ['admin'] },
  { method: 'delete', path: '/v1/api-keys/00000000-0000-4000-8000-000000000000', roles: ['admin'] },
  { method: 'get', path: '/v1/kinds', roles: ANY },
  { method: 'post', path: '/v1/content', roles: ['admin', 'editor'], body: {} },
  { method: 'get', path: '/v1/content', roles: ANY },
  { method: 'get', path: `/v1/content/${PIECE}`, roles: ANY },
  { method: 'patch', path: `/v1/content/${PIECE}`, roles: ['admin', 'editor'], body: { title: 'new' } },
  { method: 'post', path: `/v1/content/${PIECE}/publish`, roles: ['admin', 'editor'], body: {} },
  { method: 'post', path: `/v1/content/${PIECE}/archive`, roles: ['admin', 'editor'] },
  { method: 'get', path: `/v1/content/${PIECE}/revisions`, roles: ANY },
  { method: 'get', path: `/v1/content/${PIECE}/revisions/1`, roles: ANY },
  { method: 'post', path: `/v1/content/${PIECE}/preview`, roles: ANY, body: { format: 'text' } },
  { method: 'post', path: `/v1/content/${PIECE}/channel-preview`, roles: ANY, body: {} },
  { method: 'post', path: '/v1/content/channel-preview', roles: ANY, body: {} },
  { method: 'get', path: '/v1/me', roles: [...API_ROLES] },
  { method: 'get', path: '/metrics', roles: ['admin'] },
  { method: 'get', path: '/admin/queues', roles: ['admin'] },
  { method: 'post', path: '/v1/channels', roles: ['admin'], body: {} },
  { method: 'get', path: '/v1/channels', roles: READERS },
  { method: 'get', path: `/v1/channels/${CHANNEL}`, roles: READERS },
  { method: 'patch', path: `/v1/channels/${CHANNEL}`, roles: ['admin'], body: {} },
  { method: 'post', path: `/v1/channels/${CHANNEL}/test-send`, roles: ['admin'], body: {} },
  { method: 'post', path: `/v1/channels/${CHANNEL}/enable`, roles: ['admin', 'planner'] },
  { method: 'post', path: '/v1/groups', roles: ['admin'], body: {} },
  { method: 'post', path: '/v1/groups/bulk', roles: ['admin'], body: {} },
  { method: 'get', path: '/v1/groups', roles: READERS },
  { method: 'get', path: '/v1/groups/tags', roles: READERS },
  { method: 'get', path: '/v1/holidays?year=2026', roles: READERS },
  { method: 'post', path: '/v1/holidays/apply', roles: ['admin', 'planner'], body: {} },
  { method: 'get', path: '/v1/calendar/export', roles: READERS },
  { method: 'get', path: `/v1/groups/${GROUP}`, roles: READERS },
  { method: 'patch', path: `/v1/groups/${GROUP}`, roles: ['admin', 'planner'], body: { tags: ['vip'] } },
  { method: 'post', path: `/v1/groups/${GROUP}/pause`, roles: ['admin', 'planner'], body: {} },
  { method: 'post', path: `/v1/groups/${GROUP}/resume`, roles: ['admin', 'planner'] },
  { method: 'get', path: '/v1/posts/owners', roles: READERS },
  {
    method: 'post',
    path: '/v1/posts/00000000-0000-4000-8000-000000000000/reschedule',
    roles: ['admin', 'planner'],
    body: {},
  },
  {
    method: 'post',
    path: '/v1/runs/00000000-0000-4000-8000-000000000000/steps/0/reschedule',
    roles: ['admin', 'planner'],
    body: {},
  },
  { method: 'post', path: '/v1/conversions', roles: ['admin', 'integration'], body: {} },
  { method: 'get', path: `/v1/content/${PIECE}/stats`, roles: ANY },
];

describe('API keys and roles', () => {
  let t: TestApp;
  const keys = {} as Record<ApiRole, string>;
  let pieceId: string;
  let channelId: string;
  let groupId: string;
  const fill = (path: string) => path.replace(PIECE, pieceId).replace(CHANNEL, channelId).replace(GROUP, groupId);

  beforeAll(async () => {
    t = await createTestApp();
    keys.admin = ADMIN_KEY;
    for (const role of ['editor', 'planner', 'viewer', 'integration'] as const) keys[role] = await createKey(t, role);
    pieceId = (await ContentFactory.create(t.as(keys.editor))).id;
    channelId = (await ChannelFactory.create(t, 'console')).id;
    groupId = (await GroupFactory.create(t, channelId)).id;
  });
  afterAll(() => t.close());

  const matrix = ROUTES.flatMap((route) =>
    API_ROLES.map((role) => ({ ...route, role, allowed: route.roles.includes(role) })),
  );

  it.each(matrix)('$method $path as $role → allowed: $allowed', async ({ method, path, role, allowed, body }) => {
    const request = t.as(keys[role])[method](fill(path));
    const response = await (body ? request.send(body) : request);
    if (allowed) {
      expect([401, 403]).not.toContain(response.status);
      expect(response.status).toBeLessThan(500);
    } else {
      expect(response.status).toBe(403);
      expect(response.body).toMatchObject({ statusCode: 403, error: 'Forbidden' });
      expect(response.body.message).toContain(`role ${role} may not`);
    }
  });

  it.each(ROUTES)('$method $path without a key → 401', async ({ method, path }) => {
    const response = await t.http[method](fill(path));
    expect(response.status).toBe(401);
    expect(response.body).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      message: expect.stringContaining('missing API key'),
    });
  });

  it('refuses an unknown key, a malformed header and a revoked key with 401', async () => {
    await t.as('gck_not-a-real-key').get('/v1/content').expect(401);
    await t.http.get('/v1/content').set('Authorization', `Basic ${keys.viewer}`).expect(401);
    const key = await createKey(t, 'viewer');
    await t.as(key).get('/v1/content').expect(200);
    const listed = await t.admin.get('/v1/api-keys').expect(200);
    const entry = (listed.body as { id: string; keyPrefix: string }[]).find((k) => key.startsWith(k.keyPrefix));
    await t.admin.delete(`/v1/api-keys/${entry!.id}`).expect(204);
    await t.as(key).get('/v1/content').expect(401);
    await t.admin.delete(`/v1/api-keys/${entry!.id}`).expect(404);
  });

  it('shows a key once and never again, storing only its hash', async () => {
    const created = await t.admin.post('/v1/api-keys').send({ name: 'bot', role: 'planner' }).expect(201);
    expect(created.body.key).toMatch(/^gck_[A-Za-z0-9_-]{43}$/);
    const listed = await t.admin.get('/v1/api-keys').expect(200);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.key);
    expect(listed.body).toContainEqual(expect.objectContaining({ id: created.body.id, name: 'bot', role: 'planner' }));
    const rows = await t.app
      .get<DataSource>(getDataSourceToken())
      .query('SELECT * FROM api_keys WHERE id = ?', [created.body.id]);
    expect(JSON.stringify(rows)).not.toContain(created.body.key);
  });

  it('validates new keys, naming the field', async () => {
    const bad = await t.admin.post('/v1/api-keys').send({ name: '', role: 'owner' }).expect(400);
    expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['name', 'role']);
    const unknown = await t.admin
      .post('/v1/api-keys')
      .send({ name: 'x', role: 'viewer', scopes: ['*'] })
      .expect(400);
    expect(unknown.body.details).toEqual([{ field: 'scopes', message: 'is not a known field' }]);
    const badId = await t.admin.delete('/v1/api-keys/42').expect(400);
    expect(badId.body.details).toEqual([{ field: 'id', message: 'must be a UUID' }]);
  });
});

describe('rate limit per key', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ API_RATE_LIMIT_PER_MINUTE: '5' });
  });
  afterAll(() => t.close());

  it('answers 429 with Retry-After once a key spends its budget on any routes, without touching other keys', async () => {
    const viewer = await createKey(t, 'viewer'); // the admin's first request of the budget
    for (let i = 0; i < 3; i++) await t.as(viewer).get('/v1/kinds').expect(200);
    for (let i = 0; i < 2; i++) await t.as(viewer).get('/v1/groups').expect(200);
    await t.as(viewer).get('/v1/content').expect(429);
    const limited = await t.as(viewer).get('/v1/kinds').expect(429);
    expect(limited.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    await t.admin.get('/v1/kinds').expect(200);
  });

  it('counts a key’s budget across api processes: what one spent, the other no longer has', async () => {
    // A second api process on the same database and Redis prefix.
    const other = await startApp(
      loadConfig(
        isolatedEnv({
          DATABASE_URL: t.config.databaseUrl,
          QUEUE_PREFIX: t.config.queuePrefix,
          API_RATE_LIMIT_PER_MINUTE: '5',
        }),
      ),
    );
    try {
      const second = request((other.app as INestApplication).getHttpServer());
      const viewer = await createKey(t, 'viewer');
      for (let i = 0; i < 3; i++) await t.as(viewer).get('/v1/kinds').expect(200);
      for (let i = 0; i < 2; i++) await second.get('/v1/kinds').set('Authorization', `Bearer ${viewer}`).expect(200);
      await second.get('/v1/kinds').set('Authorization', `Bearer ${viewer}`).expect(429);
      await t.as(viewer).get('/v1/kinds').expect(429);
    } finally {
      await other.app.close();
    }
  });
});
