import { TestApp, createTestApp } from './support/test-app';

describe('HTTP surface', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ BODY_LIMIT: '64kb' });
  });
  afterAll(() => t.close());

  it('answers malformed JSON with 400 in the error shape', async () => {
    const response = await t.admin
      .post('/v1/content')
      .set('Content-Type', 'application/json')
      .send('{"kind": "custom",')
      .expect(400);
    expect(response.body).toEqual({ statusCode: 400, error: 'Bad Request', message: 'request body is not valid JSON' });
  });

  it('answers a body over the limit with 413 in the error shape', async () => {
    const response = await t.admin
      .post('/v1/content')
      .send({ kind: 'custom', title: 'big', fields: { text: 'x'.repeat(70 * 1024) } })
      .expect(413);
    expect(response.body).toEqual({
      statusCode: 413,
      error: 'Payload Too Large',
      message: 'request body is too large',
    });
  });

  it('takes null global blackout dates as none', async () => {
    const response = await t.admin.patch('/v1/policies').send({ blackoutDates: null }).expect(200);
    expect(response.body.blackoutDates).toEqual([]);
  });

  it('answers an unknown route with 404 in the error shape', async () => {
    const response = await t.admin.get('/v1/horoscopes').expect(404);
    expect(response.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'Cannot GET /v1/horoscopes' });
  });

  it('rejects prototype keys and deep junk without a 500', async () => {
    const response = await t.admin
      .post('/v1/content')
      .set('Content-Type', 'application/json')
      .send(
        '{"kind":"custom","title":"t","fields":{"text":"x","__proto__":{"admin":true}},"constructor":{"prototype":{}}}',
      );
    expect(response.status).toBe(400);
    expect(response.body.details.map((d: { field: string }) => d.field)).toEqual(['fields.__proto__']);
    const deep = JSON.stringify({
      kind: 'custom',
      title: 't',
      fields: { text: 'x', nested: JSON.parse('['.repeat(40) + ']'.repeat(40)) },
    });
    const nested = await t.admin.post('/v1/content').set('Content-Type', 'application/json').send(deep).expect(400);
    expect(nested.body.details[0].field).toMatch(/^fields\.nested/);
  });

  it('reports readiness of MySQL and Redis without a key', async () => {
    const response = await t.http.get('/health').expect(200);
    expect(response.body).toMatchObject({ status: 'ok', info: { mysql: { status: 'up' }, redis: { status: 'up' } } });
    await t.http.get('/health/live').expect(200);
  });

  it('serves an OpenAPI document with every route, its DTOs and the error shape', async () => {
    const response = await t.http.get('/docs/openapi.json').expect(200);
    const doc = response.body as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
      components: {
        schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }>;
        securitySchemes: object;
      };
    };
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        '/health',
        '/health/live',
        '/v1/api-keys',
        '/v1/api-keys/{id}',
        '/v1/campaigns',
        '/v1/campaigns/{id}',
        '/v1/campaigns/{id}/archive',
        '/v1/campaigns/{id}/plan',
        '/v1/campaigns/{id}/runs',
        '/v1/campaigns/{id}/validate',
        '/v1/plans/{id}',
        '/v1/policies',
        '/v1/posts',
        '/v1/posts/owners',
        '/v1/posts/{id}',
        '/v1/posts/{id}/cancel',
        '/v1/posts/{id}/mark-sent',
        '/v1/posts/{id}/preview',
        '/v1/posts/{id}/reschedule',
        '/v1/posts/{id}/retry',
        '/v1/conversions',
        '/v1/runs/{id}/funnel',
        '/v1/routines/{id}/funnel',
        '/v1/content/{id}/stats',
        '/v1/runs/{id}',
        '/v1/runs/{id}/steps/{step}/reschedule',
        '/v1/routines',
        '/v1/routines/{id}',
        '/v1/routines/{id}/archive',
        '/v1/routines/{id}/pause',
        '/v1/routines/{id}/plan',
        '/v1/routines/{id}/resume',
        '/v1/runs/{id}/cancel',
        '/v1/runs/{id}/groups',
        '/v1/runs/{id}/groups/{groupId}/remove',
        '/v1/runs/{id}/pause',
        '/v1/runs/{id}/resume',
        '/v1/runs/{id}/stats',
        '/v1/welcomes',
        '/v1/channels',
        '/v1/channels/{id}',
        '/v1/channels/{id}/disable',
        '/v1/channels/{id}/enable',
        '/v1/channels/{id}/events',
        '/v1/channels/{id}/sync',
        '/v1/channels/{id}/syncs',
        '/v1/channels/{id}/test-send',
        '/v1/holidays',
        '/v1/holidays/apply',
        '/v1/groups',
        '/v1/groups/bulk',
        '/v1/groups/tags',
        '/v1/groups/{id}',
        '/v1/groups/{id}/pause',
        '/v1/groups/{id}/resume',
        '/v1/groups/{id}/timeline',
        '/v1/calendar',
        '/v1/calendar/export',
        '/v1/content',
        '/v1/content/channel-preview',
        '/v1/content/{id}',
        '/v1/content/{id}/archive',
        '/v1/content/{id}/channel-preview',
        '/v1/content/{id}/preview',
        '/v1/content/{id}/publish',
        '/v1/content/{id}/revisions',
        '/v1/content/{id}/revisions/{revision}',
        '/v1/kinds',
        '/v1/me',
        '/v1/owners',
        '/v1/owners/{owner}',
        '/v1/owners/{owner}/remind',
      ].sort(),
    );
    expect(doc.components.schemas.CreateContentDto.required).toEqual(
      expect.arrayContaining(['kind', 'title', 'fields']),
    );
    expect(Object.keys(doc.components.schemas.PreviewDto.properties ?? {})).toEqual(
      expect.arrayContaining(['text', 'characters', 'bytes', 'warnings']),
    );
    expect(doc.components.schemas.ErrorBodyDto.properties).toHaveProperty('details');
    expect(doc.paths['/v1/content'].post.responses).toHaveProperty('400');
    expect(doc.paths['/v1/content'].post.responses).toHaveProperty('401');
    expect(doc.components.securitySchemes).toHaveProperty('bearer');
    await t.http.get('/docs').expect(200);
  });
});
