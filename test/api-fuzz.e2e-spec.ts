import fc from 'fast-check';
import { createConnection, Connection } from 'mysql2/promise';
import { databaseName } from '../src/database/typeorm-options';
import { nastyString } from './support/arbitraries';
import {
  CampaignFactory,
  ChannelFactory,
  ContentFactory,
  GroupFactory,
  createKey,
  publishedPieces,
} from './support/factories';
import { FakeWebhookReceiver } from './support/providers/webhook-receiver';
import { TestApp, createTestApp } from './support/test-app';
import { ADMIN_KEY, TEST_MYSQL_URL } from './support/test-env';

const RUNS_PER_ROUTE = Number(process.env.FUZZ_RUNS ?? 100);
/** A failure prints its seed and path: FUZZ_SEED=… FUZZ_PATH=… replays it. */
const REPLAY = process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED), path: process.env.FUZZ_PATH } : {};
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
type Method = (typeof METHODS)[number];

interface Operation {
  method: Method;
  path: string;
  query: string[];
  body?: OpenApiSchema;
}

interface FuzzRequest {
  path: string;
  query: string;
  headers: Record<string, string>;
  /** Raw text: some bodies are deliberately not JSON. */
  body?: string;
}

/** What a response must never show: stack frames, source paths, driver errors, SQL. */
/** Server internals in an answer: a stack frame (it always names a file), a path, a driver's words. */
const LEAK =
  /\bat [^\s()]+ \((?:\/|node:|file:)[^)]*:\d+:\d+\)|\bat (?:\/|node:|file:)\S*:\d+:\d+|node_modules|\/src\/|\.ts:\d+|QueryFailedError|ER_[A-Z_]{3,}|TypeError|ReferenceError|SELECT .+ FROM|INSERT INTO/;

const edgeNumber = fc.constantFrom(
  '0',
  '-1',
  '1',
  '2147483648',
  '9007199254740993',
  '1e309',
  '-0',
  'NaN',
  'Infinity',
  '0x10',
  '1.5',
  '',
);
const weirdText = fc.oneof(
  nastyString(0, 40),
  edgeNumber,
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    '../../etc/passwd',
    '%00',
    '%E0%A4%A',
    'null',
    'true',
    '[]',
    '{}',
    ' ',
  ),
  fc.string({ minLength: 5000, maxLength: 20000, size: 'max' }),
);

/** JSON text with keys that reach for an object's prototype, at some depth. */
const prototypeBody = fc
  .tuple(fc.constantFrom('__proto__', 'constructor', 'prototype'), fc.integer({ min: 0, max: 3 }))
  .map(([key, depth]) => {
    let text = `{"${key}":{"polluted":true,"isAdmin":true}}`;
    for (let i = 0; i < depth; i++) text = `{"fields":${text}}`;
    return text;
  });
const deepBody = fc.integer({ min: 30, max: 5000 }).map((depth) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth));
const jsonBody = fc.jsonValue({ maxDepth: 6 }).map((v) => JSON.stringify(v));
const brokenBody = fc.constantFrom('{', '{"kind":', 'null', '"text"', '[1,2', '{"a":1}}', '\u0000', '');

const authorization = fc.oneof(
  { weight: 8, arbitrary: fc.constant(`Bearer ${ADMIN_KEY}`) },
  fc.constant(''),
  fc.constantFrom('Bearer', 'Bearer ', 'Basic YWRtaW46YWRtaW4=', `bearer ${ADMIN_KEY}`, `Bearer ${ADMIN_KEY}x`),
  weirdText.map((t) => `Bearer ${encodeURIComponent(t).slice(0, 4000)}`),
);

interface OpenApiSchema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  oneOf?: OpenApiSchema[];
  anyOf?: OpenApiSchema[];
  allOf?: OpenApiSchema[];
  properties?: Record<string, OpenApiSchema>;
  required?: string[];
  items?: OpenApiSchema;
}

const wrongType = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.constantFrom(0, -1, 1.5, 2 ** 31, 2 ** 53 + 2, -1e308, 1e308),
  weirdText,
  fc.constant([]),
  fc.constant({}),
);

/**
 * Bodies shaped like the route's DTO in the OpenAPI document: mostly the declared types (ids from
 * the seeded rows, enums, dates), sometimes a wrong type, a missing field or an extra one.
 */
function shaped(
  schema: OpenApiSchema,
  schemas: Record<string, OpenApiSchema>,
  ids: string[],
  depth = 0,
): fc.Arbitrary<unknown> {
  if (schema.$ref) return shaped(schemas[schema.$ref.split('/').pop()!], schemas, ids, depth);
  const variants = schema.oneOf ?? schema.anyOf;
  if (variants) return fc.oneof(...variants.map((v) => shaped(v, schemas, ids, depth)));
  if (schema.allOf)
    return shaped(
      Object.assign({}, ...schema.allOf.map((s) => (s.$ref ? schemas[s.$ref.split('/').pop()!] : s))),
      schemas,
      ids,
      depth,
    );
  let right: fc.Arbitrary<unknown>;
  if (schema.enum) right = fc.constantFrom(...schema.enum);
  else if (schema.type === 'object' || schema.properties) {
    const properties = Object.entries(schema.properties ?? {});
    if (depth > 4 || properties.length === 0) right = fc.dictionary(nastyString(1, 8), weirdText, { maxKeys: 3 });
    else {
      right = fc
        .tuple(
          fc.record(
            Object.fromEntries(properties.map(([name, node]) => [name, shaped(node, schemas, ids, depth + 1)])),
            { requiredKeys: schema.required ?? [] },
          ),
          fc.dictionary(
            fc.oneof(nastyString(1, 8), fc.constantFrom('id', 'createdAt', 'status', 'secret')),
            weirdText,
            { maxKeys: 1 },
          ),
        )
        .map(([known, extra]) => ({ ...known, ...extra }));
    }
  } else if (schema.type === 'array')
    right = fc.array(shaped(schema.items ?? {}, schemas, ids, depth + 1), { maxLength: 4 });
  else if (schema.type === 'integer' || schema.type === 'number')
    right = fc.oneof(fc.integer({ min: -5, max: 500 }), fc.double());
  else if (schema.type === 'boolean') right = fc.boolean();
  else if (schema.format === 'uuid') right = fc.oneof(fc.constantFrom(...ids), fc.uuid());
  else if (schema.format === 'date-time')
    right = fc.oneof(
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      weirdText,
    );
  else
    right = fc.oneof(
      fc.constantFrom(...ids),
      nastyString(0, 60),
      fc.constantFrom(
        'Asia/Shanghai',
        'Mars/Olympus',
        '08:00',
        '22:30-07:30',
        'PT30M',
        'https://example.com/hook',
        'whsec_AAAA',
      ),
    );
  return fc.oneof({ weight: 5, arbitrary: right }, wrongType);
}

describe('API fuzzing: generated requests to every route', () => {
  let t: TestApp;
  let mysql: Connection;
  let operations: Operation[] = [];
  let schemas: Record<string, OpenApiSchema> = {};
  /** A real id for each path parameter, by the resource its path starts with. */
  const knownIds: Record<string, string> = {};
  const receiver = new FakeWebhookReceiver();

  beforeAll(async () => {
    t = await createTestApp({ ROLE: 'api' });
    await receiver.start();
    const editor = t.as(await createKey(t, 'editor'));
    const planner = t.as(await createKey(t, 'planner'));
    const [content] = await publishedPieces(editor, ['fuzz']);
    knownIds.content = content;
    knownIds.draft = (await ContentFactory.create(editor, 'morning_brief')).id;
    const channel = await ChannelFactory.create(t, 'webhook');
    knownIds.channels = channel.id;
    const group = await GroupFactory.create(t, channel.id, { address: { url: `${receiver.url}/hook` } });
    receiver.secret = group.signingSecret!;
    knownIds.groups = group.id;
    const campaign = await CampaignFactory.create(planner, [content], [{ day: 1, at: '08:00' }]);
    knownIds.campaigns = campaign.id;
    const run = await planner
      .post(`/v1/campaigns/${campaign.id}/runs`)
      .send({ audience: { groupIds: [group.id] }, startAt: new Date(Date.now() + 365 * 86_400_000).toISOString() })
      .expect(201);
    knownIds.runs = run.body.id;
    knownIds.posts = (await planner.get(`/v1/posts?runId=${run.body.id}`).expect(200)).body.items[0].id;
    knownIds['api-keys'] = (
      await t.admin.post('/v1/api-keys').send({ name: 'fuzz victim', role: 'viewer' }).expect(201)
    ).body.id;
    mysql = await createConnection({ uri: `${TEST_MYSQL_URL}/${databaseName(t.config.databaseUrl)}` });

    const document = (await t.http.get('/docs/openapi.json').expect(200)).body as {
      paths: Record<
        string,
        Partial<
          Record<
            Method,
            {
              parameters?: { in: string; name: string }[];
              requestBody?: { content: Record<string, { schema: OpenApiSchema }> };
            }
          >
        >
      >;
      components: { schemas: Record<string, OpenApiSchema> };
    };
    schemas = document.components.schemas;
    operations = Object.entries(document.paths).flatMap(([path, item]) =>
      METHODS.filter((m) => item[m]).map((method) => ({
        method,
        path,
        query: (item[method]!.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
        body: item[method]!.requestBody?.content['application/json']?.schema,
      })),
    );
  });
  afterAll(async () => {
    await mysql?.end();
    await t.close();
    await receiver.stop();
  });

  /** Every table's checksum: equal before and after means nothing was written. */
  async function fingerprint(): Promise<string> {
    const [tables] = await mysql.query(`SHOW TABLES`);
    const names = (tables as Record<string, string>[])
      .map((row) => Object.values(row)[0])
      .filter((n) => n !== 'migrations');
    const [rows] = await mysql.query(`CHECKSUM TABLE ${names.map((n) => `\`${n}\``).join(', ')} EXTENDED`);
    return JSON.stringify(rows);
  }

  function requestFor(op: Operation): fc.Arbitrary<FuzzRequest> {
    const resource = op.path.split('/')[2] ?? '';
    const id = (name: string) =>
      name === 'revision'
        ? fc.oneof(fc.constant('1'), edgeNumber, weirdText)
        : fc.oneof(
            { weight: 3, arbitrary: fc.constantFrom(knownIds[resource] ?? knownIds.draft, knownIds.draft) },
            fc.uuid(),
            weirdText,
          );
    const names = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    const path = fc
      .tuple(...names.map(id))
      .map((values) =>
        names.reduce((p, name, i) => p.replace(`{${name}}`, encodeURIComponent(values[i] as string)), op.path),
      );
    const queryKey = fc.oneof(
      fc.constantFrom(...op.query, 'page', 'pageSize', '__proto__[admin]', 'constructor', 'tag[]'),
      nastyString(1, 10),
    );
    const query = fc
      .array(
        fc.tuple(
          queryKey,
          weirdText.map((v) => v.slice(0, 3000)),
        ),
        { maxLength: 5 },
      )
      .map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&'));
    const ids = Object.values(knownIds);
    const body =
      op.body || op.method !== 'get'
        ? fc.oneof(
            { weight: 4, arbitrary: op.body ? shaped(op.body, schemas, ids).map((v) => JSON.stringify(v)) : jsonBody },
            jsonBody,
            prototypeBody,
            deepBody,
            brokenBody,
            weirdText.map((v) => JSON.stringify({ name: v, kind: v, fields: { text: v } })),
          )
        : fc.constant(undefined);
    const contentType = fc.constantFrom(
      'application/json',
      'application/json',
      'application/json; charset=utf-8',
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/json; charset=latin1',
    );
    const extra = fc.dictionary(
      fc.constantFrom('idempotency-key', 'x-forwarded-for', 'accept', 'x-request-id'),
      weirdText.map((v) => encodeURIComponent(v).slice(0, 200)),
      { maxKeys: 2 },
    );
    return fc
      .record({ path, query, body, auth: authorization, contentType, extra })
      .map(({ path, query, body, auth, contentType, extra }) => ({
        path,
        query,
        body,
        headers: {
          ...extra,
          ...(auth ? { authorization: auth } : {}),
          ...(body !== undefined ? { 'content-type': contentType } : {}),
        },
      }));
  }

  it('covers every route in the OpenAPI document', () => {
    // Health, API keys, content, channels, groups, campaigns, runs, routines, posts and policies.
    expect(operations.length).toBeGreaterThanOrEqual(45);
    expect(new Set(operations.map((o) => o.path.split('/')[2]))).toEqual(
      new Set([
        'api-keys',
        'me',
        'content',
        'kinds',
        'channels',
        'groups',
        'holidays',
        'campaigns',
        'runs',
        'routines',
        'calendar',
        'plans',
        'posts',
        'owners',
        'welcomes',
        'policies',
        'conversions',
        'live',
        undefined,
      ]),
    );
  });

  it('answers every generated request without a 5xx or a leak, and a refused write changes nothing', async () => {
    let before = await fingerprint();
    for (const op of operations) {
      await fc.assert(
        fc.asyncProperty(requestFor(op), async (r) => {
          const url = r.query ? `${r.path}?${r.query}` : r.path;
          let call = t.http[op.method](url).set(r.headers);
          if (r.body !== undefined) call = call.send(r.body);
          const response = await call;
          const where = `${op.method.toUpperCase()} ${url.slice(0, 200)} ${(r.body ?? '').slice(0, 400)} → ${response.status} ${response.text.slice(0, 300)}`;
          expect({ where, ok: response.status < 500 }).toEqual({ where, ok: true });
          // Field names echo the request's own (generated) keys: only what the service wrote itself can leak.
          const details = (response.body as { details?: { message: string }[] } | undefined)?.details;
          const written = Array.isArray(details)
            ? JSON.stringify({ ...response.body, details: details.map((d) => d.message) })
            : response.text;
          expect(written).not.toMatch(LEAK);
          if (response.status >= 400) {
            expect(response.body).toEqual(
              expect.objectContaining({
                statusCode: response.status,
                error: expect.any(String),
                message: expect.any(String),
              }),
            );
          }
          const after = await fingerprint();
          if (response.status >= 400 || op.method === 'get')
            expect({ where, changed: after !== before }).toEqual({ where, changed: false });
          before = after;
        }),
        {
          numRuns: RUNS_PER_ROUTE,
          endOnFailure: true,
          ...REPLAY,
        },
      );
    }
    await t.http.get('/health').expect(200);
  }, 600_000);
});
