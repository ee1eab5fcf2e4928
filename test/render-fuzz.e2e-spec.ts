import fc from 'fast-check';
import { withoutImageSyntax } from '../src/providers/wecom/wecom.adapter';
import { join } from 'node:path';
import { loadConfig } from '../src/config/app-config';
import { ChannelAdapter, SendTarget } from '../src/providers/adapter';
import { DingtalkAdapter } from '../src/providers/dingtalk/dingtalk.adapter';
import { FeishuAdapter } from '../src/providers/feishu/feishu.adapter';
import { FeishuImages } from '../src/providers/feishu/feishu-images';
import { SendResult } from '../src/providers/outcomes';
import { SlackAdapter } from '../src/providers/slack/slack.adapter';
import { TelegramAdapter } from '../src/providers/telegram/telegram.adapter';
import { WecomAdapter } from '../src/providers/wecom/wecom.adapter';
import { DomainError } from '../src/common/domain-error';
import { FORMATS, Format } from '../src/templates/formats';
import { KindRegistry } from '../src/templates/kind-registry.service';
import { RenderedText, RendererService } from '../src/templates/renderer.service';
import { sizeIn } from '../src/common/text-size';
import { httpClient, message, pictureStore, target } from './support/adapter-kit';
import { nastyString, valueFor } from './support/arbitraries';
import { SEED_KINDS } from './support/factories';
import { FakeServer, Received } from './support/providers/fake-server';
import { FakeDingtalk } from './support/providers/dingtalk';
import { FakeFeishu } from './support/providers/feishu';
import { FakeSlack } from './support/providers/slack';
import { FakeTelegram } from './support/providers/telegram';
import { FakeWecom } from './support/providers/wecom';

const RUNS_PER_KIND = Number(process.env.FUZZ_RUNS ?? 200);
const TOKEN = '123456:fuzz-token';

interface Route {
  name: string;
  fake: FakeServer;
  adapter: ChannelAdapter;
  unit: 'bytes' | 'characters';
  limit: number;
  /** A fresh address on the fake, so its per-robot rate limits never bind. */
  target(n: number): SendTarget;
  /** The message text inside one request the fake received. */
  part(request: Received): string;
}

const http = httpClient();
const wecom = new FakeWecom();
const dingtalk = new FakeDingtalk();
const feishu = new FakeFeishu();
const slack = new FakeSlack();
const telegram = new FakeTelegram(TOKEN);
type Json = Record<string, Record<string, string> & { elements?: { text: { content: string } }[] }>;

const wecomRoute = (format: 'text' | 'markdown'): Route => ({
  name: `wecom ${format}`,
  fake: wecom,
  adapter: new WecomAdapter(http, pictureStore(http)),
  unit: 'bytes',
  limit: format === 'text' ? 2048 : 4096,
  target: (n) => {
    wecom.keys.add(`fuzz-key-${format}-${n}`);
    return target('wecom', { key: `fuzz-key-${format}-${n}` }, { baseUrl: wecom.url, format });
  },
  part: (r) => (r.json as Json)[format].content,
});

const ROUTES: Route[] = [
  wecomRoute('text'),
  wecomRoute('markdown'),
  {
    name: 'dingtalk markdown',
    fake: dingtalk,
    adapter: new DingtalkAdapter(http),
    unit: 'bytes',
    limit: 20_000,
    target: (n) => {
      dingtalk.robots.set(`fuzz-${n}`, {});
      return target('dingtalk', { accessToken: `fuzz-${n}` }, { baseUrl: dingtalk.url });
    },
    part: (r) => (r.json as Json).markdown.text,
  },
  {
    name: 'feishu lark_md',
    fake: feishu,
    adapter: new FeishuAdapter(http, new FeishuImages(http, pictureStore(http))),
    unit: 'bytes',
    limit: 18 * 1024,
    target: (n) => {
      feishu.bots.set(`fuzz-${n}`, {});
      return target('feishu', { token: `fuzz-${n}` }, { baseUrl: feishu.url });
    },
    part: (r) => (r.json as Json).card.elements![0].text.content,
  },
  {
    name: 'slack mrkdwn',
    fake: slack,
    adapter: new SlackAdapter(http),
    unit: 'characters',
    limit: 3000,
    target: () => {
      slack.hooks.add('/services/fuzz');
      return target('slack', { url: `${slack.url}/services/fuzz` });
    },
    part: (r) => (r.json as { text: string }).text,
  },
  {
    name: 'telegram html',
    fake: telegram,
    adapter: new TelegramAdapter(http),
    unit: 'characters',
    limit: 4096,
    target: () => {
      telegram.chats.add('-100777');
      return target('telegram', { chatId: '-100777' }, { baseUrl: telegram.url }, { botToken: TOKEN });
    },
    part: (r) => (r.json as { text: string }).text,
  },
];

const group = fc.record({
  name: nastyString(1, 40),
  timezone: fc.constantFrom('Asia/Shanghai', 'America/New_York', 'Asia/Kolkata', 'Pacific/Chatham'),
  vars: fc.record({ persona: nastyString(0, 30), city: nastyString(0, 30) }),
});

/** Every string inside a value. */
const leaves = (value: unknown): string[] =>
  typeof value === 'string'
    ? [value]
    : typeof value === 'object' && value !== null
      ? Object.values(value).flatMap(leaves)
      : [];

/** The text split into paragraphs and joined again, as a splitter that loses nothing must give back. */
const paragraphs = (text: string) => text.split(/\n{2,}/).join('\n\n');

describe('rendering generated fields and splitting them for every adapter', () => {
  const registry = new KindRegistry(loadConfig({ TEMPLATES_DIR: join(__dirname, '..', 'templates') }));
  registry.onModuleInit();
  const renderer = new RendererService(registry);
  let address = 0;

  beforeAll(async () => {
    await Promise.all([wecom, dingtalk, feishu, slack, telegram].map((f) => f.start()));
  });
  afterAll(async () => {
    await http.onModuleDestroy();
    await Promise.all([wecom, dingtalk, feishu, slack, telegram].map((f) => f.stop()));
  });

  /** Sends through the real adapter and returns what the provider received. */
  async function sendThrough(
    route: Route,
    text: string,
    markdown: string,
  ): Promise<{ result: SendResult; parts: string[] }> {
    const before = route.fake.received.length;
    const result = await route.adapter.send(message({ text, markdown }), route.target(++address));
    return { result, parts: route.fake.received.slice(before).map(route.part) };
  }

  it.each(SEED_KINDS)(
    '%s: every format renders, and every adapter delivers it whole within the provider’s limit',
    async (kindName) => {
      const kind = registry.get(kindName)!;
      await fc.assert(
        fc.asyncProperty(
          valueFor(kind.schema),
          group,
          fc.date({ min: new Date('2026-01-01'), max: new Date('2027-12-31'), noInvalidDate: true }),
          async (fields, to, dueAt) => {
            expect(kind.validate(fields)).toBe(true);
            const piece = {
              cacheKey: 'fuzz',
              kind: kindName,
              title: 'fuzz',
              fields: fields as Record<string, unknown>,
            };
            let rendered: Record<Format, RenderedText>;
            try {
              rendered = Object.fromEntries(
                FORMATS.map((format) => [format, renderer.render(piece, format, to, { dueAt })]),
              ) as typeof rendered;
            } catch (error) {
              // Refused only when every field the editor wrote is blank: nothing to show in a chat.
              expect((error as DomainError).details).toEqual([
                { field: 'fields', message: expect.stringMatching(/^renders to an empty/) },
              ]);
              expect(leaves(fields).filter((v) => !/^[\s\p{Cf}]*$/u.test(v))).toEqual([]);
              return;
            }
            for (const r of Object.values(rendered)) {
              expect(r.bytes).toBe(Buffer.byteLength(r.text, 'utf8'));
              expect(r.characters).toBe([...r.text].length);
            }
            for (const route of ROUTES) {
              const { result, parts } = await sendThrough(route, rendered.text.text, rendered.markdown.text);
              if (result.kind !== 'ok') {
                // The only refusal allowed is a paragraph that no message of this provider can hold.
                expect(result).toMatchObject({ kind: 'permanent', code: 'too_long' });
                const size = Number(/is (\d+) /.exec((result as { reason: string }).reason)?.[1]);
                expect(size).toBeGreaterThan(route.limit);
                continue;
              }
              expect(result.partsSent).toBe(parts.length);
              for (const part of parts) expect(sizeIn(route.unit, part)).toBeLessThanOrEqual(route.limit);
              if (route.fake === wecom) {
                // WeCom sends the rendered text as it is (its markdown without picture syntax): the
                // preview's size warning and the split agree.
                const format = route.name.endsWith('text') ? 'text' : 'markdown';
                const text = rendered[format].text;
                const sent = format === 'markdown' ? withoutImageSyntax(text, []) : text;
                const warned = rendered[format].warnings.some((w) => w.channel === 'wecom');
                if (sent === text) expect(parts.length > 1).toBe(warned);
                expect(parts.join('\n\n')).toBe(paragraphs(sent));
              }
            }
          },
        ),
        { numRuns: RUNS_PER_KIND, endOnFailure: true },
      );
    },
  );
});
