import request from 'supertest';
import { databaseExists } from '../src/database/prepare-database';
import { DataSource } from 'typeorm';
import { PostOutcomes } from '../src/posts/lifecycle/post-outcomes.service';
import {
  CampaignFactory,
  ChannelFactory,
  ContentFactory,
  GroupFactory,
  createKey,
  planningSetup,
  publishedPieces,
} from './support/factories';
import { freePort } from './support/own-servers';
import { waitForPosts } from './support/poll';
import { FakeWecom } from './support/providers/wecom';
import { eventually } from './support/poll';
import { startedServices } from './support/service-process';
import { RequestWith, TestApp, createTestApp } from './support/test-app';
import { ADMIN_KEY, NO_GLOBAL_POLICY, isolatedEnv } from './support/test-env';

const isJson = (line: string) => {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
};

describe('trust: failures are never silent', () => {
  const services = startedServices();
  const service = services.start;
  afterEach(() => services.stopAll());

  it('exits 1 within 30 s naming REDIS_URL when Redis cannot be reached, without non-JSON noise', async () => {
    const process = service(isolatedEnv({ REDIS_URL: `redis://127.0.0.1:${await freePort()}`, LOG_LEVEL: 'info' }));
    const begun = Date.now();
    expect(await process.exited).toBe(1);
    expect(Date.now() - begun).toBeLessThan(30_000);
    expect(process.refusal).toMatch(
      /^groupcast cannot start: REDIS_URL: no answer from Redis at 127\.0\.0\.1:\d+ within 20s/,
    );
    for (const line of process.output.trim().split('\n')) expect(isJson(line)).toBe(true);
  }, 40_000);

  it('refuses to start on a QUEUE_PREFIX another database has claimed, naming the prefix', async () => {
    const first = isolatedEnv({ LOG_LEVEL: 'info' });
    await service(first).waitFor(/listening on port \d+/);
    const secondEnv: Record<string, string> = {
      ...isolatedEnv({ LOG_LEVEL: 'info' }),
      QUEUE_PREFIX: first.QUEUE_PREFIX,
    };
    const second = service(secondEnv);
    expect(await second.exited).toBe(1);
    expect(second.refusal).toContain(`QUEUE_PREFIX: ${first.QUEUE_PREFIX} is in use by another database`);
    // Refused before anything was made for it.
    expect(await databaseExists(secondEnv.DATABASE_URL)).toBe(false);
    // The same database may start as many processes as it likes.
    await service({ ...first, PORT: '0' }).waitFor(/listening on port \d+/);
  }, 60_000);

  it('logs one warning per failed post with post, group, stage, channel type and the provider code; console posts stay off the JSON log', async () => {
    const wecom = await new FakeWecom().start();
    try {
      const env = isolatedEnv({ ROLE: 'all', LOG_LEVEL: 'info', SCHEDULER_TICK_MS: '100' });
      const api = service(env);
      const port = (await api.waitFor(/listening on port (\d+)/))[1];
      const http = request(`http://127.0.0.1:${port}`);
      const as = (key: string) => ({
        post: (path: string) => http.post(path).set('Authorization', `Bearer ${key}`),
        put: (path: string) => http.put(path).set('Authorization', `Bearer ${key}`),
        get: (path: string) => http.get(path).set('Authorization', `Bearer ${key}`),
      });
      const admin = as(ADMIN_KEY);
      await admin.put('/v1/policies').send(NO_GLOBAL_POLICY).expect(200);
      const bad = (
        await admin
          .post('/v1/channels')
          .send({ name: 'wecom-bad', type: 'wecom', config: { baseUrl: wecom.url } })
          .expect(201)
      ).body.id;
      const printed = (await admin.post('/v1/channels').send({ name: 'console', type: 'console' }).expect(201)).body.id;
      const group = (
        await admin
          .post('/v1/groups')
          .send(GroupFactory.body(bad, { address: 'unknown-robot-key', tags: ['loud'], quietHours: null }))
          .expect(201)
      ).body;
      await admin
        .post('/v1/groups')
        .send(GroupFactory.body(printed, { address: 'printer', tags: ['loud'], quietHours: null }))
        .expect(201);
      const piece = (
        await admin
          .post('/v1/content')
          .send(ContentFactory.body('custom', { fields: { text: '控制台上的一条消息' } }))
          .expect(201)
      ).body.id;
      await admin.post(`/v1/content/${piece}/publish`).send({}).expect(200);
      const campaign = (
        await admin
          .post('/v1/campaigns')
          .send({ name: 'loud', steps: [{ stage: 'activate', contentId: piece, timing: { after: 'PT0S' } }] })
          .expect(201)
      ).body.id;
      await admin
        .post(`/v1/campaigns/${campaign}/runs`)
        .send({ audience: { tags: ['loud'] } })
        .expect(201);
      const line = await eventually(
        async () => api.stdout.split('\n').find((l) => l.includes('"status":"failed"')),
        20_000,
      );
      expect(JSON.parse(line)).toMatchObject({
        level: 40,
        groupId: group.id,
        stage: 'activate',
        channelType: 'wecom',
        status: 'failed',
        code: '93000',
      });
      await eventually(async () => (api.output.includes('控制台上的一条消息') ? true : undefined));
      expect(api.stdout).not.toContain('控制台上的一条消息');
      for (const l of api.stdout.trim().split('\n')) expect(isJson(l)).toBe(true);
    } finally {
      await wecom.stop();
    }
  }, 60_000);
});

describe('trust: posts keep their history and never hang on a stopped run', () => {
  let t: TestApp;
  let planner: RequestWith;
  let content: string[];
  let channelId: string;

  beforeAll(async () => {
    t = await createTestApp({ ROLE: 'all', SCHEDULER_TICK_MS: '100' });
    ({ planner, content, channelId } = await planningSetup(t, ['一', '二']));
  });
  afterAll(() => t.close());

  it('shows every deferral with its time, reason and end, and whether a post is promotional; the reason goes once it is sent', async () => {
    const group = await GroupFactory.create(t, channelId, { tags: ['history'], quietHours: 'off', minGapMinutes: 1 });
    const campaign = await CampaignFactory.create(planner, content, [{ after: 'PT0S' }, { after: 'PT0S' }], {
      steps: [
        { stage: 'activate', contentId: content[0], timing: { after: 'PT0S' } },
        { stage: 'trigger_need', contentId: content[1], timing: { after: 'PT0S' } },
      ],
    });
    const run = await planner
      .post(`/v1/campaigns/${campaign.id}/runs`)
      .send({ audience: { groupIds: [group.id] } })
      .expect(201);
    const posts = await waitForPosts<{
      id: string;
      step: number;
      status: string;
      promotional: boolean;
      deferReason: string | null;
    }>(
      planner,
      run.body.id,
      (all) => all.some((p) => p.status === 'sent') && all.some((p) => p.deferReason?.startsWith('minimum gap')),
    );
    const [sent, held] = [...posts].sort((a, b) => a.step - b.step);
    expect({ promotional: sent.promotional, deferReason: sent.deferReason }).toEqual({
      promotional: false,
      deferReason: null,
    });
    expect(held.promotional).toBe(true);
    const detail = (await planner.get(`/v1/posts/${held.id}`).expect(200)).body;
    expect(detail.deferrals.at(-1)).toEqual({
      at: expect.any(String),
      until: expect.any(String),
      code: 'min_gap',
      reason: 'minimum gap of 1 min',
    });
    expect(new Date(detail.deferrals.at(-1).until).getTime()).toBeGreaterThan(
      new Date(detail.deferrals.at(-1).at).getTime() + 55_000,
    );
  });

  it('ends a post its worker hands back after the run was cancelled as cancelled, and sweeps queued posts of stopped runs', async () => {
    const group = await GroupFactory.create(t, channelId, { tags: ['stopped'] });
    const campaign = await CampaignFactory.create(planner, content, [{ after: 'PT1H' }, { after: 'PT1H' }]);
    const run = (
      await planner
        .post(`/v1/campaigns/${campaign.id}/runs`)
        .send({ audience: { groupIds: [group.id] } })
        .expect(201)
    ).body.id as string;
    const [inFlight, orphan] = await waitForPosts<{ id: string; step: number; status: string }>(
      planner,
      run,
      () => true,
    );
    const db = t.app.get(DataSource);
    // One post is in a worker's hands, the other queued, when the run is cancelled.
    await db.query(`UPDATE posts SET status = 'sending', claimed_at = NOW(3) WHERE id = ?`, [inFlight.id]);
    await planner.post(`/v1/runs/${run}/cancel`).expect(200);
    await db.query(`UPDATE posts SET status = 'queued' WHERE id = ?`, [orphan.id]);
    await t.app.get(PostOutcomes).hold(inFlight.id, new Date(Date.now() + 60_000), {
      code: 'min_gap',
      reason: 'minimum gap of 10 min',
    });
    const statuses = await eventually(async () => {
      const posts = await waitForPosts<{ id: string; status: string }>(planner, run, () => true);
      return posts.every((p) => p.status === 'cancelled') ? posts.map((p) => p.status) : undefined;
    }, 10_000);
    expect(statuses).toEqual(['cancelled', 'cancelled']);
  });
});

describe('trust: roles and API manners', () => {
  let t: TestApp;
  let planner: RequestWith;
  let editor: RequestWith;

  beforeAll(async () => {
    t = await createTestApp({ CORS_ORIGINS: 'https://console.example.com' });
    planner = t.as(await createKey(t, 'planner'));
    editor = t.as(await createKey(t, 'editor'));
  });
  afterAll(() => t.close());

  it('lets planners change a group’s tags and policy, pause and resume it, but not its name, channel or address', async () => {
    const channel = await ChannelFactory.create(t, 'console');
    const group = await GroupFactory.create(t, channel.id);
    await planner
      .patch(`/v1/groups/${group.id}`)
      .send({ tags: ['新客'], quietHours: '22:00-08:00', dailyCap: 3 })
      .expect(200);
    await planner.post(`/v1/groups/${group.id}/pause`).send({}).expect(200);
    await planner.post(`/v1/groups/${group.id}/resume`).expect(200);
    const refused = await planner
      .patch(`/v1/groups/${group.id}`)
      .send({ name: '改名', address: 'elsewhere', tags: ['x'] })
      .expect(403);
    expect(refused.body.details).toEqual([
      { field: 'address', message: 'is for admins' },
      { field: 'name', message: 'is for admins' },
    ]);
  });

  it('describes every operation in OpenAPI with a summary, a description and its roles, behind an opaque API key', async () => {
    const document = (await t.http.get('/docs/openapi.json').expect(200)).body;
    expect(document.components.securitySchemes.bearer).toMatchObject({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'opaque API key (gck_…)',
    });
    const operations = Object.entries(
      document.paths as Record<
        string,
        Record<string, { summary?: string; description?: string; 'x-roles'?: string[] }>
      >,
    ).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ route: `${method} ${path}`, ...op })),
    );
    expect(operations.length).toBeGreaterThan(45);
    for (const op of operations) {
      expect({
        route: op.route,
        summary: !!op.summary,
        description: /(Roles|Public): /.test(op.description ?? ''),
      }).toEqual({ route: op.route, summary: true, description: true });
    }
    const patchGroup = operations.find((op) => op.route === 'patch /v1/groups/{id}');
    expect(patchGroup?.['x-roles']).toEqual(['admin', 'planner']);
  });

  it('answers CORS only for the configured origins', async () => {
    const allowed = await t.http
      .options('/v1/groups')
      .set('Origin', 'https://console.example.com')
      .set('Access-Control-Request-Method', 'GET');
    expect(allowed.headers['access-control-allow-origin']).toBe('https://console.example.com');
    const other = await t.http
      .options('/v1/groups')
      .set('Origin', 'https://evil.example.com')
      .set('Access-Control-Request-Method', 'GET');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('takes back the ETag it sends, strong or weak, in If-Match', async () => {
    const piece = await ContentFactory.create(editor, 'custom');
    const fetched = await editor.get(`/v1/content/${piece.id}`).expect(200);
    expect(fetched.headers.etag).toBe(`"${piece.version}"`);
    const changed = await editor
      .patch(`/v1/content/${piece.id}`)
      .set('If-Match', fetched.headers.etag)
      .send({ title: '一' })
      .expect(200);
    await editor
      .patch(`/v1/content/${piece.id}`)
      .set('If-Match', `W/${changed.headers.etag}`)
      .send({ title: '二' })
      .expect(200);
    await editor
      .patch(`/v1/content/${piece.id}`)
      .set('If-Match', fetched.headers.etag)
      .send({ title: '三' })
      .expect(409);
  });

  it('answers 422 to an Idempotency-Key reused with another body, and scopes keys to the API key that sent them', async () => {
    const [piece] = await publishedPieces(editor, ['幂等']);
    const channel = await ChannelFactory.create(t, 'console');
    await GroupFactory.create(t, channel.id, { tags: ['idem-a', 'idem-b'] });
    const campaign = await CampaignFactory.create(planner, [piece], [{ after: 'PT1H' }]);
    const launch = (as: RequestWith, key: string, tag: string) =>
      as
        .post(`/v1/campaigns/${campaign.id}/runs`)
        .set('Idempotency-Key', key)
        .send({ audience: { tags: [tag] } });
    const first = await launch(planner, 'launch-1', 'idem-a').expect(201);
    expect((await launch(planner, 'launch-1', 'idem-a').expect(201)).body.id).toBe(first.body.id);
    const other = await launch(planner, 'launch-1', 'idem-b').expect(422);
    expect(other.body.details).toEqual([
      { field: 'Idempotency-Key', message: 'already used with a different request' },
    ]);
    expect((await launch(planner, 'LAUNCH-1', 'idem-a').expect(201)).body.id).not.toBe(first.body.id);
    const anotherPlanner = t.as(await createKey(t, 'planner'));
    expect((await launch(anotherPlanner, 'launch-1', 'idem-a').expect(201)).body.id).not.toBe(first.body.id);
  });
});
