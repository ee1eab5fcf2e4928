import { connect } from 'node:net';
import { SEED_KINDS, ChannelFactory, ContentFactory, GroupFactory, exampleFields } from './support/factories';
import { contractChecker, withRealIds } from './support/contract';
import { FakeWecom } from './support/providers/wecom';
import { TestApp, createTestApp } from './support/test-app';
import { ADMIN_KEY } from './support/test-env';

interface Document {
  paths: Record<
    string,
    Record<string, { requestBody?: { content: Record<string, { example?: unknown }> }; responses: object }>
  >;
}

/** What the service answers to a request sent as raw bytes, as curl sends `?q=上海` as typed. */
function rawRequest(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(Buffer.from(request, 'utf8')));
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe('the API contract: the document, methods, media types and messages', () => {
  let t: TestApp;
  let document: Document;
  const wecom = new FakeWecom();

  beforeAll(async () => {
    t = await createTestApp();
    document = (await t.http.get('/docs/openapi.json').expect(200)).body as Document;
  });
  afterAll(async () => {
    await t.close();
    await wecom.stop();
  });

  it('fails a test whose answer the document does not describe: an unlisted status, or a body of another shape', () => {
    const check = contractChecker(document as Parameters<typeof contractChecker>[0]);
    const answer = (status: number, body: object) =>
      ({
        req: { method: 'GET', path: '/v1/me' },
        status,
        body,
        text: JSON.stringify(body),
        headers: { 'content-type': 'application/json' },
      }) as unknown as Parameters<ReturnType<typeof contractChecker>>[0];
    expect(() => check(answer(418, {}))).toThrow('GET /v1/me answered 418, which the OpenAPI document does not list');
    expect(() => check(answer(200, { id: 7 }))).toThrow(
      /GET \/v1\/me answered 200 with a body the OpenAPI document does not describe: body must have required property/,
    );
    expect(() => check(answer(401, { statusCode: '401' }))).toThrow(
      /answered 401 with a body the OpenAPI document does not describe/,
    );
  });

  it('answers 405 with Allow to a method a known path does not have, and 404 to a path that does not exist', async () => {
    const channel = await ChannelFactory.create(t, 'console');
    const group = await GroupFactory.create(t, channel.id);
    const wrong = await t.admin.put(`/v1/groups/${group.id}`).send({ name: 'x' }).expect(405);
    expect(wrong.headers.allow).toBe('GET, PATCH, HEAD');
    expect(wrong.body).toMatchObject({ statusCode: 405, message: expect.stringContaining('it answers GET, PATCH') });
    expect((await t.admin.delete('/v1/calendar').expect(405)).headers.allow).toBe('GET, HEAD');
    await t.admin.get('/v1/no-such-thing').expect(404);
  });

  it('answers a body that is not JSON with 415 and the Content-Type to send', async () => {
    const response = await t.admin
      .post('/v1/channels')
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send('{"name":"x","type":"console"}')
      .expect(415);
    expect(response.body.message).toBe(
      'the body must be JSON: send Content-Type: application/json (this request sent application/x-www-form-urlencoded)',
    );
  });

  it('says what is wrong with an Authorization header that holds two tokens, or none', async () => {
    const two = await t.http.get('/v1/me').set('Authorization', `Bearer ${ADMIN_KEY} ${ADMIN_KEY}`).expect(401);
    expect(two.body.message).toBe(
      'the Authorization header holds more than one token: send exactly one, Authorization: Bearer <key>',
    );
    const bare = await t.http.get('/v1/me').set('Authorization', 'Bearer').expect(401);
    expect(bare.body.message).toBe('the Authorization header names no key: send Authorization: Bearer <key>');
    const basic = await t.http.get('/v1/me').set('Authorization', 'Token abc').expect(401);
    expect(basic.body.message).toBe('the Authorization header is not a bearer key: send Authorization: Bearer <key>');
  });

  it('takes If-Match: * as any version', async () => {
    const piece = await ContentFactory.create(t.admin, 'custom', { fields: { text: '一' } });
    const updated = await t.admin
      .patch(`/v1/content/${piece.id}`)
      .set('If-Match', '*')
      .send({ fields: { text: '二' } })
      .expect(200);
    expect(updated.body).toMatchObject({ revision: 2, fields: { text: '二' } });
    const bad = await t.admin.patch(`/v1/content/${piece.id}`).set('If-Match', 'latest').send({}).expect(400);
    expect(bad.body.details).toEqual([
      { field: 'If-Match', message: 'must be a version number such as "3", or * for any version' },
    ]);
  });

  it('reads raw UTF-8 in an address as if it were percent-encoded, and explains an address it cannot read', async () => {
    const port = (t.app.getHttpServer() as { address(): { port: number } }).address().port;
    const channel = await ChannelFactory.create(t, 'console');
    await GroupFactory.create(t, channel.id, { tags: ['上海'], name: '上海一群' });
    await GroupFactory.create(t, channel.id, { tags: ['北京'], name: '北京一群' });
    const headers = `Host: x\r\nAuthorization: Bearer ${ADMIN_KEY}\r\n`;

    const answer = await rawRequest(port, `GET /v1/groups?tag=上海 HTTP/1.1\r\n${headers}\r\n`);
    const [head, body] = answer.split('\r\n\r\n');
    expect(head.split('\r\n')[0]).toBe('HTTP/1.1 200 OK');
    expect(head).toMatch(/^connection: close$/im);
    expect((JSON.parse(body) as { items: { name: string }[] }).items.map((g) => g.name)).toEqual(['上海一群']);

    // A body comes along with the address it was sent to.
    const piece = JSON.stringify(ContentFactory.body('morning_brief', { title: '上海早报' }));
    const created = await rawRequest(
      port,
      `POST /v1/content?来源=curl HTTP/1.1\r\n${headers}Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(piece)}\r\n\r\n${piece}`,
    );
    expect(created.split('\r\n')[0]).toBe('HTTP/1.1 201 Created');

    // Control characters stay refused, with what to do.
    const refused = await rawRequest(port, `GET /v1/groups?tag=上\x01海 HTTP/1.1\r\n${headers}\r\n`);
    expect(refused.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
    expect(refused).toContain('must be percent-encoded, e.g. ?q=a%20b');
  });

  it('names every bad field of a routine at once, and says weekdays are required for every: week', async () => {
    const response = await t.admin
      .post('/v1/routines')
      .send({
        name: '',
        audience: { tags: ['宝妈'] },
        schedule: { every: 'week', at: '25:00' },
        source: { mode: 'current', kind: 'morning_brief' },
      })
      .expect(400);
    expect(response.body.details).toEqual([
      { field: 'name', message: expect.stringContaining('') },
      { field: 'schedule.at', message: 'must be HH:mm, e.g. 08:00' },
      { field: 'schedule.weekdays', message: 'is required for every: week' },
    ]);
  });

  it('accepts every request body example the document gives', async () => {
    await wecom.start();
    const channel = await ChannelFactory.create(t, 'wecom', { config: { baseUrl: wecom.url } });
    const group = await GroupFactory.create(t, channel.id, { address: { key: 'example-robot' } });
    const piece = await ContentFactory.create(t.admin, 'morning_brief');
    await t.admin.post(`/v1/content/${piece.id}/publish`).send({}).expect(200);
    const ids: Record<string, string> = { groups: group.id, channels: channel.id, content: piece.id };
    const real = (example: unknown) =>
      withRealIds(example, { group: group.id, channel: channel.id, content: piece.id }) as object;
    const refused: string[] = [];
    let tried = 0;
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        const example = operation.requestBody?.content['application/json']?.example;
        if (example === undefined) continue;
        tried++;
        const resource = path.split('/')[2];
        const url = path
          .replace('{id}', ids[resource] ?? '00000000-0000-4000-8000-000000000000')
          .replace('{step}', '0');
        const response = await t.admin[method as 'post'](url).send(real(example));
        // Placeholder ids of other resources may be unknown (404) or a draft may be in another state (409): never invalid.
        if (response.status === 400 || response.status >= 500)
          refused.push(
            `${method.toUpperCase()} ${path}: ${response.status} ${JSON.stringify(response.body.details ?? response.body.message)}`,
          );
      }
    }
    expect(tried).toBeGreaterThanOrEqual(24);
    expect(refused).toEqual([]);
  });
});

describe('a new user with the default configuration and no internet', () => {
  let t: TestApp;
  beforeAll(async () => {
    // The picture check is on, as a new user gets it; example.com does not resolve here.
    t = await createTestApp({ MEDIA_CHECK: 'true' });
  });
  afterAll(() => t.close());

  it.each(SEED_KINDS)('saves the %s kind’s own schema example', async (kind) => {
    const response = await t.admin
      .post('/v1/content')
      .send({ kind, title: `${kind} 示例`, fields: exampleFields(kind) });
    expect({ status: response.status, details: response.body.details }).toEqual({ status: 201, details: undefined });
  });
});
