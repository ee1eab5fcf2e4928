import { readFileSync } from 'node:fs';
import request from 'supertest';
import { ContentFactory, GroupFactory } from './support/factories';
import { eventually } from './support/poll';
import { leastLag } from './support/event-loop';
import { ServiceProcess } from './support/service-process';
import { deleteRedisPrefix, dropDatabase } from './support/cleanup';
import { ADMIN_KEY, NO_GLOBAL_POLICY, isolatedEnv } from './support/test-env';

/** `{{#each list}}` nested `depth` deep around `inner`. */
const nested = (depth: number, list: string, inner: string) =>
  `${`{{#each ${list}}}`.repeat(depth)}${inner}${'{{/each}}'.repeat(depth)}`;

/** The most memory the process has held, from the kernel's own count (VmHWM), in MB. */
const peakRssMb = (pid: number) => {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmHWM:\s+(\d+) kB/m);
  return Number(line![1]) / 1024;
};

describe('bounds: no template render stalls or floods the process', () => {
  const env = isolatedEnv({ ROLE: 'all', LOG_LEVEL: 'info', SCHEDULER_TICK_MS: '100' });
  let service: ServiceProcess;
  let http: ReturnType<typeof request>;
  const admin = {
    post: (path: string) => http.post(path).set('Authorization', `Bearer ${ADMIN_KEY}`),
    put: (path: string) => http.put(path).set('Authorization', `Bearer ${ADMIN_KEY}`),
    get: (path: string) => http.get(path).set('Authorization', `Bearer ${ADMIN_KEY}`),
  };

  beforeAll(async () => {
    // The heap docker-compose gives every role: the bomb killed such a process.
    service = new ServiceProcess(env, ['--max-old-space-size=256', require.resolve('../dist/main.js')]);
    const port = (await service.waitFor(/listening on port (\d+)/))[1];
    http = request(`http://127.0.0.1:${port}`);
    await admin.put('/v1/policies').send(NO_GLOBAL_POLICY).expect(200);
  });
  afterAll(async () => {
    await service.stop();
    await dropDatabase(env.DATABASE_URL);
    await deleteRedisPrefix(env.QUEUE_PREFIX);
  });

  const measuring = (send: () => request.Test) =>
    leastLag(
      () => admin.get('/metrics').expect(200),
      async () => send(),
    );

  it('refuses twelve nested loops over the headlines when the piece is saved, in milliseconds, its event loop free meanwhile', async () => {
    const body = nested(12, '@root.fields.headlines', '{{title}}\n');
    const { response, took, lagMs } = await measuring(() =>
      admin.post('/v1/content').send(ContentFactory.body('morning_brief', { body })),
    );
    expect(response.status).toBe(400);
    expect(response.body.details).toEqual([
      { field: 'body', message: '{{#each}} blocks nest more than 3 deep (the limit)', line: 1, column: 97 },
    ]);
    expect(took).toBeLessThan(1000);
    expect(lagMs).toBeLessThan(200);
  });

  it.each([
    [
      'loops that multiply',
      nested(3, '@root.tags', '{{this}}').repeat(2),
      'cannot render: loops run more than 10,000 times',
    ],
    [
      'a body that repeats a long field',
      '{{fields.text}}\n'.repeat(20),
      'cannot render: renders 80,020 bytes; a message may be at most 65,536 bytes (64 KB)',
    ],
  ])('refuses %s when the piece is saved, naming the limit', async (_, body, message) => {
    const tags = Array.from({ length: 20 }, (_, i) => `t${i}`);
    const { response, took, lagMs } = await measuring(() =>
      admin.post('/v1/content').send(ContentFactory.body('custom', { body, tags, fields: { text: 'x'.repeat(4000) } })),
    );
    expect(response.status).toBe(400);
    expect(response.body.details).toEqual([{ field: 'body', message }]);
    expect(took).toBeLessThan(1000);
    expect(lagMs).toBeLessThan(200);
  });

  it("refuses a preview that a group's variables would make larger than 64 KB, and a send of it fails that post alone with the reason", async () => {
    const body = '{{default group.vars.city "杭州"}}'.repeat(200);
    const piece = (await admin.post('/v1/content').send(ContentFactory.body('custom', { body })).expect(201)).body;
    const { response, lagMs } = await measuring(() =>
      admin.post(`/v1/content/${piece.id}/preview`).send({
        format: 'text',
        group: { name: '杭州宝妈群', timezone: 'Asia/Shanghai', vars: { city: '杭'.repeat(200) } },
      }),
    );
    expect(response.status).toBe(400);
    expect(response.body.details).toEqual([
      { field: 'body', message: 'cannot render: renders 120,000 bytes; a message may be at most 65,536 bytes (64 KB)' },
    ]);
    expect(lagMs).toBeLessThan(200);

    await admin.post(`/v1/content/${piece.id}/publish`).send({}).expect(200);
    const channelId = (await admin.post('/v1/channels').send({ name: 'console', type: 'console' }).expect(201)).body.id;
    const vars = { city: '杭'.repeat(200) };
    const groups = await Promise.all(
      [vars, { city: '杭州' }].map(
        async (v) =>
          (
            await admin
              .post('/v1/groups')
              .send(GroupFactory.body(channelId, { vars: v, quietHours: null }))
              .expect(201)
          ).body.id,
      ),
    );
    const campaign = await admin
      .post('/v1/campaigns')
      .send({ name: 'vars', steps: [{ stage: 'activate', contentId: piece.id, timing: { after: 'PT0S' } }] })
      .expect(201);
    const run = await admin
      .post(`/v1/campaigns/${campaign.body.id}/runs`)
      .send({ audience: { groupIds: groups } })
      .expect(201);
    const posts = await eventually(async () => {
      const page = await admin.get(`/v1/posts?runId=${run.body.id}`).expect(200);
      const items = page.body.items as { groupId: string; status: string; error: string | null }[];
      return items.every((p) => p.status === 'sent' || p.status === 'failed') ? items : undefined;
    });
    expect(posts.find((p) => p.groupId === groups[0])).toMatchObject({
      status: 'failed',
      error: 'body: cannot render: renders 120,000 bytes; a message may be at most 65,536 bytes (64 KB)',
    });
    expect(posts.find((p) => p.groupId === groups[1])?.status).toBe('sent');
  });

  it('held under 400 MB of memory through all of it', () => {
    expect(peakRssMb(service.child.pid!)).toBeLessThan(400);
  });
});
