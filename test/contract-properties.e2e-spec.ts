import fc from 'fast-check';
import { EXAMPLE_IDS } from '../src/openapi/request-examples';
import { ChannelFactory, GroupFactory, publishedPieces } from './support/factories';
import { Components, Schema, invalid, resolve, valid } from './support/schema-arbitrary';
import { withRealIds } from './support/contract';
import { FakeWecom } from './support/providers/wecom';
import { TestApp, createTestApp } from './support/test-app';

const RUNS = Number(process.env.CONTRACT_RUNS ?? 12);
const REPLAY = process.env.CONTRACT_SEED
  ? { seed: Number(process.env.CONTRACT_SEED), path: process.env.CONTRACT_PATH }
  : {};

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema: Schema;
}
interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  parameters: Parameter[];
  body?: { schema: Schema; example: unknown };
}
interface Request {
  url: string;
  body?: unknown;
  /** The field a refused request must name. */
  field?: string;
}

/**
 * Rules across fields or against the store that a schema cannot state; the document states each
 * in its description. A request the document calls valid may be refused for these, and only these.
 */
const RULES_IN_WORDS = [
  /^fields\./, // a piece's fields follow its kind's JSON Schema (GET /v1/kinds)
  /(^|\.)kind: (unknown kind|no kind)/, // the kinds are the installation's own (TEMPLATES_DIR), listed by GET /v1/kinds
  /: (no (channel|group|content piece|piece|campaign|routine|run|post) |no such \w+|revision \d+ does not exist)/, // names nothing here
  /(^|\]\.)address(\.|: )/, // what an address holds depends on the group's channel type
  /window|before|after the start|must be (later|after)|must come after|goes back in time|at most \d+ days (after|from)/, // an order of times
  /published/, // a step's piece must be published
  /at most 366 days/, // a step waits at most a year after the one before
  /^after: must be the next value of a previous page/, // a cursor is one the service gave
  /^(config|credentials)(\.|: )/, // what a channel needs depends on its type
  /^name: an external channel names its queue/, // so does its name
  /^steps\[\d+\]\./, // a campaign's steps are checked together: stages in order, times forward
  /an evergreen run watches tags/, // an evergreen audience is tags
  /^audience: (matches no|needs groupIds or tags)/, // an audience names at least one group that can be sent to
  /posts one plan may hold/, // a plan's page holds at most PLAN_MAX_POSTS posts
  /quietHours: must start and end at different times/, // a window of quiet hours is not empty
  /give code or postId/, // an order names its post one way
  /^groupId: give groupId or tag/, // a calendar shows one group or one tag
  /^id: a \w+ channel cannot list its groups/, // only a WeCom customer-group channel lists its groups
  /^presets\[\d+\]: no preset /, // presets are the year's own, listed by GET /v1/holidays
  /^tag: give tag, groupIds or both/, // a holiday preset is applied to groups named one way or both
  /would be due in the past/, // a post moves only forward of now
];

/** Operations the generated requests leave alone: they remove what the others use. */
const LEFT_ALONE = /^delete |\/archive$|\/cancel$|\/disable$|\/remove$|\/api-keys/;

function operationsOf(document: {
  paths: Record<
    string,
    Record<
      string,
      { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: Schema; example?: unknown }> } }
    >
  >;
}): Operation[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
      .map(([method, op]) => {
        const media = op.requestBody?.content['application/json'];
        return {
          method: method as Operation['method'],
          path,
          parameters: op.parameters ?? [],
          body: media ? { schema: media.schema, example: media.example } : undefined,
        };
      })
      .filter((op) => !LEFT_ALONE.test(`${op.method} ${op.path}`)),
  );
}

describe('requests generated from the OpenAPI document', () => {
  let t: TestApp;
  let components: Components;
  let operations: Operation[];
  const wecom = new FakeWecom();
  const ids: Record<string, string> = {};
  let real: (value: unknown) => unknown;
  /** Ids the generated requests use: of things that exist. */
  let fixed: Record<string, unknown>;

  beforeAll(async () => {
    t = await createTestApp();
    await wecom.start();
    const document = (await t.http.get('/docs/openapi.json').expect(200)).body;
    components = document.components.schemas as Components;
    operations = operationsOf(document);
    const channel = await ChannelFactory.create(t, 'wecom', { config: { baseUrl: wecom.url } });
    const group = await GroupFactory.create(t, channel.id, { address: { key: 'generated' }, tags: ['宝妈'] });
    const [piece] = await publishedPieces(t.admin, ['生成']);
    const campaign = await t.admin
      .post('/v1/campaigns')
      .send({ name: '生成的活动', steps: [{ stage: 'activate', contentId: piece, timing: { day: 0, at: '08:00' } }] })
      .expect(201);
    const routine = await t.admin
      .post('/v1/routines')
      .send({
        name: '生成的日常',
        audience: { tags: ['宝妈'] },
        schedule: { every: 'day', at: '08:00' },
        source: { mode: 'pool', tag: '生成' },
      })
      .expect(201);
    Object.assign(ids, {
      channels: channel.id,
      groups: group.id,
      content: piece,
      campaigns: campaign.body.id,
      routines: routine.body.id,
    });
    fixed = { channelId: channel.id, groupId: group.id, contentId: piece, groupIds: [group.id] };
    real = (value) => withRealIds(value, { group: group.id, channel: channel.id, content: piece });
  });
  afterAll(async () => {
    await t.close();
    await wecom.stop();
  });

  const pathOf = (op: Operation) =>
    op.path
      .replace('{id}', ids[op.path.split('/')[2]] ?? EXAMPLE_IDS.post)
      .replace('{revision}', '1')
      .replace('{owner}', 'zhangsan')
      .replace('{step}', '0');

  /** Query parameters the document calls valid, each optional one present or not. */
  const validQuery = (op: Operation) =>
    fc.record(
      Object.fromEntries(
        op.parameters
          .filter((p) => p.in === 'query')
          .map((p) => [p.name, p.name in fixed ? fc.constant(fixed[p.name]) : valid(p.schema, components, fixed)]),
      ),
      { requiredKeys: op.parameters.filter((p) => p.in === 'query' && p.required).map((p) => p.name) },
    );

  const queryString = (query: Record<string, unknown>) =>
    Object.entries(query)
      .map(([name, value]) => `${name}=${encodeURIComponent(String(value))}`)
      .join('&');

  /** The document's example with some of its top-level fields replaced by values the document calls valid. */
  const validBody = (op: Operation) => {
    const schema = resolve(op.body!.schema, components);
    const base = real(op.body!.example) as Record<string, unknown>;
    const names = Object.keys(schema.properties ?? {});
    return fc
      .record(
        Object.fromEntries(
          names.map((name) => [
            name,
            name in fixed ? fc.constant(fixed[name]) : valid(schema.properties![name], components, fixed),
          ]),
        ),
        {
          requiredKeys: [],
        },
      )
      .map((changes) => ({ ...base, ...changes }));
  };

  const validRequest = (op: Operation) =>
    fc.tuple(validQuery(op), op.body ? validBody(op) : fc.constant(undefined)).map(([query, body]): Request => ({
      url: `${pathOf(op)}${Object.keys(query).length ? `?${queryString(query)}` : ''}`,
      body,
    }));

  /** The example (or required query) with one field made invalid, or an unknown one added. */
  const invalidRequest = (op: Operation): fc.Arbitrary<Request> | undefined => {
    const choices: fc.Arbitrary<Request>[] = [];
    const required = Object.fromEntries(
      op.parameters
        .filter((p) => p.in === 'query' && p.required)
        .map((p) => [p.name, new Date(Date.now() + 3_600_000).toISOString()]),
    );
    for (const p of op.parameters.filter((p) => p.in === 'query')) {
      const bad = invalid(p.schema, components, { inQuery: true });
      if (bad)
        choices.push(
          bad.map((value) => ({
            url: `${pathOf(op)}?${queryString({ ...required, [p.name]: value })}`,
            field: p.name,
          })),
        );
    }
    if (op.body) {
      const schema = resolve(op.body.schema, components);
      const base = real(op.body.example) as Record<string, unknown>;
      for (const [name, property] of Object.entries(schema.properties ?? {})) {
        const bad = invalid(property, components);
        if (bad) choices.push(bad.map((value) => ({ url: pathOf(op), body: { ...base, [name]: value }, field: name })));
      }
      choices.push(fc.constant({ url: pathOf(op), body: { ...base, zzUnknownField: 1 }, field: 'zzUnknownField' }));
    }
    return choices.length > 0 ? fc.oneof(...choices) : undefined;
  };

  const send = (op: Operation, request: Request) => {
    const call = t.admin[op.method](request.url);
    return request.body === undefined ? call : call.send(request.body as object);
  };

  it('never refuses as invalid what the document calls valid, except for the rules it states in words', async () => {
    for (const op of operations) {
      await fc.assert(
        fc.asyncProperty(validRequest(op), async (request) => {
          const response = await send(op, request);
          const where = `${op.method.toUpperCase()} ${request.url} ${JSON.stringify(request.body ?? '').slice(0, 300)} → ${response.status} ${response.text.slice(0, 300)}`;
          expect({ where, serverError: response.status >= 500 }).toEqual({ where, serverError: false });
          if (response.status !== 400) return;
          const unexplained = (
            (response.body.details ?? [{ field: '', message: response.body.message }]) as {
              field: string;
              message: string;
            }[]
          )
            .map((detail) => `${detail.field}: ${detail.message}`)
            .filter((message) => !RULES_IN_WORDS.some((rule) => rule.test(message)));
          expect({ where, unexplained }).toEqual({ where, unexplained: [] });
        }),
        { numRuns: RUNS, endOnFailure: true, ...REPLAY },
      );
    }
  }, 600_000);

  it('never accepts what the document calls invalid, and names the field', async () => {
    let checked = 0;
    for (const op of operations) {
      const requests = invalidRequest(op);
      if (!requests) continue;
      checked++;
      await fc.assert(
        fc.asyncProperty(requests, async (request) => {
          const response = await send(op, request);
          const where = `${op.method.toUpperCase()} ${request.url} ${JSON.stringify(request.body ?? '').slice(0, 300)} → ${response.status} ${response.text.slice(0, 300)}`;
          const fields = ((response.body.details ?? []) as { field: string }[]).map((d) => d.field.split(/[.[]/)[0]);
          expect({ where, status: response.status, named: fields.includes(request.field!) }).toEqual({
            where,
            status: 400,
            named: true,
          });
        }),
        { numRuns: RUNS, endOnFailure: true, ...REPLAY },
      );
    }
    expect(checked).toBeGreaterThanOrEqual(30);
  }, 600_000);
});
