import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../config/app-config';
import { DomainError } from '../common/domain-error';
import { FORMATS } from './formats';
import { KindRegistry } from './kind-registry.service';
import { RendererService } from './renderer.service';

const TEMPLATES = join(__dirname, '..', '..', 'templates');
const SEED_KINDS = ['morning_brief', 'product_science', 'outfit_showcase', 'product_pick', 'goodnight_poster', 'checkin', 'red_packet', 'announcement', 'welcome', 'custom'];
const SHANGHAI = { name: '杭州宝妈群', timezone: 'Asia/Shanghai', vars: { persona: '小当家' } };
const MONDAY_8AM_SHANGHAI = { dueAt: new Date('2026-11-23T00:00:00Z') };

function example(kind: string): Record<string, unknown> {
  return (JSON.parse(readFileSync(join(TEMPLATES, kind, 'schema.json'), 'utf8')) as { examples: Record<string, unknown>[] }).examples[0];
}

function piece(kind: string, fields = example(kind), extra: Record<string, unknown> = {}) {
  return { cacheKey: `${kind}:${JSON.stringify(fields)}:${JSON.stringify(extra)}`, kind, title: `${kind} title`, fields, ...extra };
}

function invalidDetails(run: () => unknown) {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return (error as DomainError).details ?? [];
  }
  throw new Error('expected a DomainError');
}

describe('RendererService with the seed kinds', () => {
  const registry = new KindRegistry(loadConfig({ TEMPLATES_DIR: TEMPLATES }));
  registry.onModuleInit();
  const renderer = new RendererService(registry);

  it('loads exactly the nine seed kinds', () => {
    expect(registry.names()).toEqual([...SEED_KINDS].sort());
    expect(registry.get('product_pick')?.promotional).toBe(true);
    expect(registry.get('morning_brief')?.promotional).toBe(false);
  });

  describe.each(SEED_KINDS)('%s', (kind) => {
    it.each(FORMATS)('renders its example as %s', (format) => {
      const rendered = renderer.render(piece(kind), format, SHANGHAI, MONDAY_8AM_SHANGHAI);
      expect(rendered.text.length).toBeGreaterThan(10);
      expect(rendered.text).not.toMatch(/\{\{|\}\}|undefined|null|\[object Object\]/);
      expect(rendered.text).not.toMatch(/\n{3,}/);
      expect(rendered.bytes).toBe(Buffer.byteLength(rendered.text));
    });
  });

  it('writes a morning brief as an operator would', () => {
    const text = renderer.render(piece('morning_brief'), 'text', SHANGHAI, MONDAY_8AM_SHANGHAI).text;
    expect(text.split('\n')[0]).toBe('☀️ 早报 | 11月23日 星期一');
    expect(text).toContain('1. 今日立冬后首个寒潮');
    expect(text).toContain('🎁 今日特惠：羊绒围巾 ¥129（原价 ¥299）');
    expect(text.endsWith('—— 小当家')).toBe(true);
  });

  it('dates the brief in the group’s own time zone', () => {
    const newYork = { ...SHANGHAI, timezone: 'America/New_York' };
    const text = renderer.render(piece('morning_brief'), 'text', newYork, MONDAY_8AM_SHANGHAI).text;
    expect(text.split('\n')[0]).toBe('☀️ 早报 | 11月22日 星期日');
  });

  it('leaves out optional sections that have no value', () => {
    const fields = { greeting: '早', headlines: [{ title: 'a' }, { title: 'b' }, { title: 'c' }] };
    const text = renderer.render(piece('morning_brief', fields), 'text', { ...SHANGHAI, vars: {} }, MONDAY_8AM_SHANGHAI).text;
    expect(text).not.toContain('今日特惠');
    expect(text).toContain('—— 群主');
  });

  it('escapes markdown in user fields so they cannot break the layout, but keeps links working', () => {
    const fields = {
      ...example('product_pick'),
      item: '*限时* [秒杀] _爆款_ <b>',
      reasons: ['# 不是标题', '> 不是引用'],
      url: 'https://shop.example.com/p?(a)=1',
    };
    const text = renderer.render(piece('product_pick', fields), 'markdown', SHANGHAI, MONDAY_8AM_SHANGHAI).text;
    expect(text).toContain('好物推荐｜\\*限时\\* \\[秒杀\\] \\_爆款\\_ \\<b\\>');
    expect(text).toContain('- ✅ \\# 不是标题');
    expect(text).toContain('- ✅ \\> 不是引用');
    expect(text).toContain('[👉 点这里下单](https://shop.example.com/p?%28a%29=1)');
  });

  it('leaves the same fields untouched in plain text', () => {
    const fields = { ...example('product_pick'), item: '*限时* [秒杀]' };
    const text = renderer.render(piece('product_pick', fields), 'text', SHANGHAI, MONDAY_8AM_SHANGHAI).text;
    expect(text).toContain('🔥 好物推荐｜*限时* [秒杀]');
  });

  it('counts the bytes of Chinese text as UTF-8', () => {
    const rendered = renderer.render(piece('custom', { text: '晚安'.repeat(400) }), 'text', SHANGHAI, MONDAY_8AM_SHANGHAI);
    expect(rendered.characters).toBe(800);
    expect(rendered.bytes).toBe(2400);
    expect(rendered.warnings.map((w) => w.channel)).toEqual(['wecom']);
  });

  it('renders a body override instead of the kind’s template', () => {
    const body = '{{group.name}}，{{date post.dueAt "M月d日"}}见！{{fields.text}}';
    const text = renderer.render(piece('custom', { text: '不见不散' }, { body }), 'text', SHANGHAI, MONDAY_8AM_SHANGHAI).text;
    expect(text).toBe('杭州宝妈群，11月23日见！不见不散');
  });

  it('rejects fields that break the kind’s schema, naming each field', () => {
    const details = invalidDetails(() =>
      renderer.validateFields(registry.get('morning_brief')!, { headlines: [{ title: 42 }, {}], extra: 1 }),
    );
    expect(details.map((d) => d.field).sort()).toEqual(
      ['fields.extra', 'fields.greeting', 'fields.headlines', 'fields.headlines[0].title', 'fields.headlines[1].title'].sort(),
    );
  });

  describe('body checks', () => {
    const check = (body: string) => invalidDetails(() => renderer.checkBody(registry.get('morning_brief')!, body));

    it('reports a syntax error with its line and column', () => {
      expect(check('第一行\n第二行 {{#if fields.deal}}没有结束')).toEqual([
        expect.objectContaining({ field: 'body', line: 2, message: expect.stringMatching(/^syntax error/) }),
      ]);
      const [detail] = check('ok\n  {{fields.greeting');
      expect(detail).toMatchObject({ field: 'body', line: 2 });
      expect(detail.column).toBeGreaterThan(0);
    });

    it('reports unknown helpers and undeclared variables with their positions', () => {
      expect(check('{{shout fields.greeting}}\n{{fields.weather}} {{group.city}}')).toEqual([
        { field: 'body', message: 'unknown helper "shout"', line: 1, column: 3 },
        { field: 'body', message: 'unknown variable "fields.weather"', line: 2, column: 3 },
        { field: 'body', message: 'unknown variable "group.city"', line: 2, column: 22 },
      ]);
    });

    it('follows each and with into the declared item fields', () => {
      expect(() => renderer.checkBody(registry.get('morning_brief')!, '{{#each fields.headlines}}{{title}}{{summary}}{{@index}}{{../fields.greeting}}{{/each}}')).not.toThrow();
      expect(() => renderer.checkBody(registry.get('morning_brief')!, '{{#each fields.headlines as |h|}}{{h.url}}{{/each}}{{#with fields.deal}}{{price price}}{{/with}}')).not.toThrow();
      expect(check('{{#each fields.headlines}}{{author}}{{/each}}')).toEqual([
        expect.objectContaining({ message: 'unknown variable "author"' }),
      ]);
    });

    it('accepts any per-group variable and the shared partials', () => {
      expect(() => renderer.checkBody(registry.get('morning_brief')!, '{{group.vars.city}} {{> signoff}}')).not.toThrow();
      expect(check('{{> footer}}')).toEqual([expect.objectContaining({ message: 'unknown partial "footer"' })]);
    });

    it('takes loops three deep and refuses a fourth inside them, once, where it starts', () => {
      const loop = '{{#each @root.fields.headlines}}';
      expect(() => renderer.checkBody(registry.get('morning_brief')!, `${loop.repeat(3)}{{title}}${'{{/each}}'.repeat(3)}`)).not.toThrow();
      expect(check(`{{#if fields.deal}}\n${loop.repeat(6)}x${'{{/each}}'.repeat(6)}{{/if}}`)).toEqual([
        { field: 'body', message: '{{#each}} blocks nest more than 3 deep (the limit)', line: 2, column: 97 },
      ]);
    });
  });

  describe('the render budget', () => {
    const custom = (body: string, tags: string[] = []) => piece('custom', { text: 'x'.repeat(4000) }, { tags, body }) as ReturnType<typeof piece> & { body: string };
    const tags = Array.from({ length: 20 }, (_, i) => `t${i}`);
    const loops = '{{#each @root.tags}}{{#each @root.tags}}{{#each @root.tags}}{{this}}{{/each}}{{/each}}{{/each}}';

    it.each([
      ['loops that run more than 10,000 times', loops.repeat(2), 'cannot render: loops run more than 10,000 times'],
      ['loops that produce more than a million characters', loops.replace('{{this}}', '{{@root.fields.text}}'), 'cannot render: loops produce more than 1,000,000 characters'],
      ['a message over 64 KB', '{{fields.text}}'.repeat(17), 'cannot render: renders 68,000 bytes; a message may be at most 65,536 bytes (64 KB)'],
    ])('stops %s, naming the limit', (_, body, message) => {
      expect(invalidDetails(() => renderer.render(custom(body, tags), 'text'))).toEqual([{ field: 'body', message }]);
      expect(invalidDetails(() => renderer.checkBudget(custom(body, tags)))).toEqual([{ field: 'body', message }]);
    });

    it('leaves other problems of a draft to its publishing', () => {
      expect(() => renderer.checkBudget(custom('{{fields.text}}', tags))).not.toThrow();
      expect(() => renderer.checkBudget(custom('   '))).not.toThrow();
    });

    it('trims the spaces that end a line, however long the line', () => {
      const body = `a${' '.repeat(30_000)}b${' \t'.repeat(15_000)}\n   c  `;
      expect(renderer.render(custom(body), 'text').text).toBe(`a${' '.repeat(30_000)}b\n   c`);
    });
  });
});
