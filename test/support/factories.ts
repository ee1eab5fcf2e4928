import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiRole } from '../../src/auth/roles';
import { RequestWith, TestApp } from './test-app';

const TEMPLATES = join(__dirname, '..', '..', 'templates');

/** The sample fields a kind ships in its schema's examples. */
export function exampleFields(kind: string): Record<string, unknown> {
  const schema = JSON.parse(readFileSync(join(TEMPLATES, kind, 'schema.json'), 'utf8')) as {
    examples: Record<string, unknown>[];
  };
  return structuredClone(schema.examples[0]);
}

export const SEED_KINDS = [
  'morning_brief',
  'product_science',
  'outfit_showcase',
  'product_pick',
  'goodnight_poster',
  'checkin',
  'red_packet',
  'announcement',
  'welcome',
  'custom',
] as const;

export const ContentFactory = {
  body(kind = 'morning_brief', overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return { kind, title: `${kind} piece`, fields: exampleFields(kind), ...overrides };
  },

  async create(as: RequestWith, kind = 'morning_brief', overrides: Record<string, unknown> = {}) {
    const response = await as.post('/v1/content').send(ContentFactory.body(kind, overrides)).expect(201);
    return response.body as { id: string; version: number; revision: number; slug: string };
  },
};

export async function createKey(app: TestApp, role: ApiRole): Promise<string> {
  const response = await app.admin
    .post('/v1/api-keys')
    .send({ name: `${role} key`, role })
    .expect(201);
  return (response.body as { key: string }).key;
}

let serial = 0;
const next = () => `${Date.now().toString(36)}${(serial++).toString(36)}`;

export const ChannelFactory = {
  async create(app: TestApp, type: string, body: Record<string, unknown> = {}) {
    const response = await app.admin
      .post('/v1/channels')
      .send({ name: `${type}-${next()}`, type, ...body })
      .expect(201);
    return response.body as { id: string; name: string; type: string; credentials: Record<string, string> };
  },
};

export const GroupFactory = {
  body(channelId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      name: `群 ${next()}`,
      channelId,
      address: `robot-key-${next()}`,
      timezone: 'Asia/Shanghai',
      quietHours: '22:30-07:30',
      tags: ['vip'],
      memberCount: 320,
      type: 'product',
      vars: { persona: '小当家', city: '杭州' },
      ...overrides,
    };
  },

  async create(app: TestApp, channelId: string, overrides: Record<string, unknown> = {}) {
    const response = await app.admin.post('/v1/groups').send(GroupFactory.body(channelId, overrides)).expect(201);
    return response.body as { id: string; address: Record<string, string>; signingSecret?: string };
  },

  /** `count` groups in Shanghai tagged `tag`, in one bulk import; their addresses are `tag-0`, `tag-1`… */
  async bulk(app: TestApp, channelId: string, tag: string, count: number): Promise<void> {
    const groups = Array.from({ length: count }, (_, i) => ({
      name: `计划群 ${i}`,
      channelId,
      address: `${tag}-${i}`,
      timezone: 'Asia/Shanghai',
      tags: [tag],
    }));
    await app.admin.post('/v1/groups/bulk').send({ groups }).expect(201);
  },
};

/** Published pieces of the custom kind, one per label. */
export async function publishedPieces(as: RequestWith, labels: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const label of labels) {
    const piece = await ContentFactory.create(as, 'custom', { title: label, fields: { text: `${label}` } });
    await as.post(`/v1/content/${piece.id}/publish`).send({}).expect(200);
    ids.push(piece.id);
  }
  return ids;
}

/** A planner, published custom pieces (one per label) and a console channel: what a delivery test starts from. */
export async function planningSetup(
  app: TestApp,
  labels: string[],
): Promise<{ planner: RequestWith; content: string[]; channelId: string }> {
  const planner = app.as(await createKey(app, 'planner'));
  const content = await publishedPieces(app.as(await createKey(app, 'editor')), labels);
  const channelId = (await ChannelFactory.create(app, 'console')).id;
  return { planner, content, channelId };
}

export const FIVE_STAGES = ['activate', 'educate', 'trigger_need', 'trigger_emotion', 'close'] as const;

export const CampaignFactory = {
  async create(as: RequestWith, contentIds: string[], timings: object[], overrides: Record<string, unknown> = {}) {
    const steps = contentIds.map((contentId, i) => ({
      stage: FIVE_STAGES[Math.min(i, 4)],
      contentId,
      timing: timings[i],
    }));
    const response = await as
      .post('/v1/campaigns')
      .send({ name: `campaign ${next()}`, steps, ...overrides })
      .expect(201);
    return response.body as { id: string };
  },
};
