/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { DateTime } from 'luxon';
import ExcelJS from 'exceljs';
import ical, { type VEvent } from 'node-ical';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { ARTIFACTS, launchChromium, screenshot } from './support/browser';
import { ConsoleTask } from './support/console-tasks';
import { CampaignFactory, ChannelFactory, ContentFactory, GroupFactory, createKey } from './support/factories';
import { eventually } from './support/poll';
import { PictureServer, gradientPng } from './support/providers/pictures';
import { FakeWecomCustomer } from './support/providers/wecom-customer';
import { SwitchableProxy } from './support/switchable-proxy';
import { RequestWith, TestApp, createTestApp } from './support/test-app';

const ZONE = 'Asia/Shanghai';
const GROUPS = 1000;

/** WCAG's contrast ratio of two sRGB colours given as rgb(r, g, b). */
function contrast(a: string, b: string): number {
  const luminance = (css: string) => {
    const [r, g, bl] = css.match(/\d+/g)!.slice(0, 3).map(Number);
    const channel = (c: number) => {
      const s = c / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(bl);
  };
  const [x, y] = [luminance(a), luminance(b)].sort((m, n) => n - m);
  return (x + 0.05) / (y + 0.05);
}

describe('the console as the operator’s workplace', () => {
  let t: TestApp;
  let browser: Browser;
  let proxy: SwitchableProxy;
  let admin: RequestWith;
  let planner: RequestWith;
  let editor: RequestWith;
  const keys = { editor: '', planner: '', viewer: '' };
  const pictures = new PictureServer();
  const loadTimes: Record<string, number> = {};
  let channelId = '';
  const tomorrow = DateTime.now().setZone(ZONE).plus({ days: 1 }).toISODate()!;

  beforeAll(async () => {
    rmSync(join(ARTIFACTS, 'tasks.json'), { force: true });
    pictures.files.set('/brief.png', { type: 'image/png', body: gradientPng(320, 180, [250, 204, 21], [30, 41, 99]) });
    await pictures.start();
    t = await createTestApp({ ROLE: 'all', SCHEDULER_TICK_MS: '200', AUTH_FAILURES_PER_MINUTE: '5' });
    proxy = new SwitchableProxy((t.app.getHttpServer().address() as AddressInfo).port);
    await proxy.open();
    admin = t.admin;
    keys.editor = await createKey(t, 'editor');
    keys.planner = await createKey(t, 'planner');
    keys.viewer = await createKey(t, 'viewer');
    editor = t.as(keys.editor);
    planner = t.as(keys.planner);
    browser = await launchChromium();
    channelId = (await ChannelFactory.create(t, 'console', { name: '控制台频道' })).id;
    // 1,000 groups: names sort as 社群 0000…0999; every tenth is a 宝妈 group, the first 150 are 华东.
    const groups = Array.from({ length: GROUPS }, (_, i) => ({
      name: `社群 ${String(i).padStart(4, '0')}`,
      channelId,
      address: `work-${Date.now()}-${i}`,
      timezone: ZONE,
      quietHours: null,
      minGapMinutes: 'off',
      tags: [...(i % 10 === 0 ? ['宝妈'] : []), ...(i < 150 ? ['华东'] : [])],
    }));
    await admin.post('/v1/groups/bulk').send({ groups }).expect(201);
  });
  afterAll(async () => {
    writeFileSync(join(ARTIFACTS, 'load-times.json'), JSON.stringify(loadTimes, null, 2));
    await browser?.close();
    await proxy?.shut();
    await t.close();
    await pictures.stop();
  });

  async function signIn(
    key: string,
    options: { width?: number; height?: number; hash?: string } = {},
  ): Promise<{ page: Page; context: BrowserContext; forbidden: string[] }> {
    const context = await browser.newContext({
      viewport: { width: options.width ?? 1400, height: options.height ?? 900 },
      timezoneId: ZONE,
      locale: 'zh-CN',
    });
    const page = await context.newPage();
    const forbidden: string[] = [];
    page.on('response', (response) => {
      if (response.status() === 403) forbidden.push(response.url());
    });
    await page.goto(`${proxy.url}/console/${options.hash ?? ''}`);
    await page.fill('input[name=key]', key);
    await page.click('button[type=submit]');
    await page.locator('header .who').waitFor();
    return { page, context, forbidden };
  }

  /** How long a page takes from its link to its ready element, as the operator waits for it. */
  async function timeLoad(page: Page, hash: string, ready: string): Promise<void> {
    const started = Date.now();
    await page.goto(`${proxy.url}/console/#/${hash}`);
    await page.locator(ready).first().waitFor({ state: 'attached' });
    loadTimes[hash] = Date.now() - started;
  }

  it('writes a morning brief with three headlines and a picture, sees it on each channel while typing, and publishes it', async () => {
    const { page, context, forbidden } = await signIn(keys.editor, { hash: '#/content' });
    const task = new ConsoleTask(page, 'content-editor');
    await page.selectOption('select[name=newKind]', { label: '早报' });
    await task.click('button[name=newPiece]');
    await page.fill('input[name=title]', '周三早报');
    await page.fill('#root_date', tomorrow);
    await page.fill('#root_greeting', '早上好，今天也要元气满满！');
    // The form starts with the three headlines a brief needs; with two it says, in Chinese, that
    // two are too few, and saving waits.
    await page.fill('#root_headlines_0_title', '寒潮来袭，注意保暖');
    await page.fill('#root_headlines_1_title', '双十二预售今晚开启');
    await task.click('#root_headlines_2__remove');
    await page.locator('.rjsf .error-detail', { hasText: '不应少于 3 个项' }).waitFor();
    expect(await page.locator('button[name=save]').isDisabled()).toBe(true);
    await task.click('.rjsf-array-item-add button');
    await page.fill('#root_headlines_2_title', '本周打卡挑战开始');
    await page.locator('.rjsf .error-detail').first().waitFor({ state: 'detached' });
    await task.click('button[name=addPicture]');
    await page.fill('input[name=media-0]', `${pictures.url}/brief.png`);
    // The preview follows the form: the third headline and the picture, as WeCom will get them.
    const console_ = page.locator('[data-channel-type="console"]');
    await console_.locator('.part-text', { hasText: '本周打卡挑战开始' }).waitFor();
    await page.waitForFunction(() =>
      [...document.querySelectorAll<HTMLImageElement>('.preview-pane img')].some((img) => img.naturalWidth === 320),
    );
    await task.click('button[name=save]');
    await page.locator('button[name=publish]:not([disabled])').waitFor();
    await task.click('button[name=publish]');
    await page.locator('.editor-pane .badge[data-status="published"]').waitFor();
    await task.done();
    const found = (await editor.get('/v1/content?q=周三早报').expect(200)).body.items;
    expect(found).toHaveLength(1);
    const piece = (await editor.get(`/v1/content/${found[0].id}`).expect(200)).body;
    expect(piece).toMatchObject({ status: 'published', kind: 'morning_brief', media: [`${pictures.url}/brief.png`] });
    expect(piece.fields.headlines.map((h: { title: string }) => h.title)).toEqual([
      '寒潮来袭，注意保暖',
      '双十二预售今晚开启',
      '本周打卡挑战开始',
    ]);
    expect(piece.fields.date).toBe(tomorrow);
    // An editor's content page asks only what an editor may read.
    expect(forbidden).toEqual([]);

    // Someone else saves meanwhile: saving says who, and offers their version.
    const other = t.as(await createKey(t, 'editor'));
    await other
      .patch(`/v1/content/${piece.id}`)
      .send({ title: '周三早报（主编改）', version: piece.version })
      .expect(200);
    await page.fill('input[name=title]', '周三早报 · 我的修改');
    await page.click('button[name=save]');
    await page.locator('.notice.stale', { hasText: 'editor key' }).waitFor();
    await page.click('.notice.stale button');
    expect(await page.inputValue('input[name=title]')).toBe('周三早报（主编改）');
    await screenshot(page, 'content-stale');
    await context.close();
  });

  it('creates a daily 早报 routine and sees its week: the brief on its day, and a warning for each day with none', async () => {
    const { page, context } = await signIn(keys.planner, { hash: '#/routines' });
    const task = new ConsoleTask(page, 'routine');
    await task.click('button[name=newRoutine]');
    await page.fill('.routine-form input[name=name]', '每日早报');
    await page.fill('.routine-form input[name=at]', '08:00');
    await page.selectOption('.routine-form select[name=kind]', { label: '早报' });
    await task.click(page.locator('.routine-form fieldset.tags label', { hasText: '宝妈' }).locator('input'));
    await task.click('.routine-form button[type=submit]');
    const plan = page.locator('.routine-plan');
    await plan.locator(`td[data-date="${tomorrow}"] .badge`, { hasText: '周三早报' }).first().waitFor();
    const missing = await plan
      .locator('[data-missing]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-missing')));
    expect(missing).not.toContain(tomorrow);
    expect(missing.length).toBeGreaterThanOrEqual(5);
    expect(await plan.locator('[data-missing]').first().textContent()).toMatch(/还没有发布的早报/);
    // Named groups, never ids.
    expect(await plan.locator('tbody tr').first().getAttribute('data-group')).toMatch(/^社群 \d{4}$/);
    await task.done();
    const routines = (await planner.get('/v1/routines').expect(200)).body.items;
    expect(routines.find((r: { name: string }) => r.name === '每日早报')).toMatchObject({
      schedule: { every: 'day', at: '08:00' },
      source: { mode: 'current', kind: 'morning_brief' },
      audience: { tags: ['宝妈'] },
    });
    await context.close();
  });

  it('builds a five-stage campaign, warned before saving when a stage goes back', async () => {
    const titles = ['破冰红包', '成分科普', '痛点清单', '买家秀', '限时下单'];
    for (const title of titles) {
      const piece = await ContentFactory.create(editor, 'custom', { title, fields: { text: title } });
      await editor.post(`/v1/content/${piece.id}/publish`).send({}).expect(200);
    }
    const { page, context } = await signIn(keys.planner, { hash: '#/campaigns' });
    const task = new ConsoleTask(page, 'campaign');
    await task.click('button[name=newCampaign]');
    await page.fill('.campaign-form input[name=name]', '冬季保湿五步');
    const stages = ['activate', 'educate', 'trigger_need', 'trigger_emotion', 'close'];
    for (let i = 0; i < 5; i++) {
      if (i > 0) await task.click('button[name=addStep]');
      await page.selectOption(`select[name=stage-${i}]`, stages[i]);
      await page.click(`input[name=piece-${i}]`);
      await page.fill(`input[name=piece-${i}]`, titles[i]);
      await task.click(page.locator(`[data-picker="piece-${i}"] .options button`, { hasText: titles[i] }));
      await page.fill(`input[name=day-${i}]`, String(i));
      await page.fill(`input[name=at-${i}]`, '20:00');
    }
    // Step 4 moved above step 3 puts a stage back: said before saving, and saving waits.
    await task.click(page.locator('li.step[data-step="4"] button[aria-label="上移"]'));
    await page.locator('.problems li', { hasText: '阶段不能倒退' }).waitFor();
    expect(await page.locator('.campaign-form button[type=submit]').isDisabled()).toBe(true);
    await task.click(page.locator('li.step[data-step="3"] button[aria-label="下移"]'));
    await page.locator('.problems').waitFor({ state: 'detached' });
    await task.click('.campaign-form button[type=submit]');
    await page.locator('tr[data-campaign="冬季保湿五步"]').waitFor();
    await page.locator('.campaign-runs').waitFor();
    await task.done();
    const campaigns = (await planner.get('/v1/campaigns').expect(200)).body as {
      name: string;
      steps: { stage: string; timing: object }[];
    }[];
    const made = campaigns.find((c) => c.name === '冬季保湿五步')!;
    expect(made.steps.map((s) => s.stage)).toEqual(stages);
    expect(made.steps.map((s) => s.timing)).toEqual(stages.map((_, i) => ({ day: i, at: '20:00' })));
    const validation = await planner.post(`/v1/campaigns/${(made as unknown as { id: string }).id}/validate`).send({});
    expect(validation.body).toMatchObject({ valid: true });
    await context.close();
  });

  describe('a run', () => {
    let campaignId = '';
    beforeAll(async () => {
      const pieces: string[] = [];
      for (const line of ['开营啦', '干货分享']) {
        const piece = await ContentFactory.create(editor, 'custom', { title: line, fields: { text: line } });
        await editor.post(`/v1/content/${piece.id}/publish`).send({}).expect(200);
        pieces.push(piece.id);
      }
      campaignId = (
        await CampaignFactory.create(
          planner,
          pieces,
          [
            { day: 2, at: '10:00' },
            { day: 3, at: '10:00' },
          ],
          {
            name: '年货节',
          },
        )
      ).id;
      // Another run already holds the 华东 groups: launching to them again warns.
      await planner
        .post(`/v1/campaigns/${campaignId}/runs`)
        .send({ audience: { tags: ['华东'] } })
        .expect(201);
    });

    it('launches to a tag only after the confirmation, once, and names every group in the plan', async () => {
      const { page, context } = await signIn(keys.planner, { hash: '#/plan' });
      const task = new ConsoleTask(page, 'launch');
      await page.locator('select[name=campaign] option', { hasText: '年货节' }).waitFor({ state: 'attached' });
      await page.selectOption('select[name=campaign]', { label: '年货节' });
      await task.click('fieldset.tags input[value="宝妈"]');
      await task.click('button[type=submit]');
      await page.locator('.lane').first().waitFor();
      expect(await page.locator('.lane').count()).toBe(100);
      const names = await page.locator('.lane-name').allTextContents();
      expect(names.every((n) => /^社群 \d{4}$/.test(n))).toBe(true);
      await task.click('button:has-text("发布活动")');
      const dialog = page.locator('.confirm');
      await dialog.locator('text=将向 100 个社群发送共 200 条消息').waitFor();
      await dialog.locator('.accept li', { hasText: '个社群还在其他 1 个活动中' }).waitFor();
      // Focus starts on 返回: Enter never launches by accident.
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('返回');
      for (const box of await dialog.locator('.accept input[type=checkbox]').all()) await task.click(box);
      const confirm = dialog.locator('button:has-text("确认发布到 100 个社群")');
      await task.click(confirm);
      await page.locator('p.ok', { hasText: '年货节' }).waitFor();
      await task.done();
      const runs = (await planner.get(`/v1/campaigns/${campaignId}/runs`).expect(200)).body as {
        audience: { tags: string[] };
      }[];
      expect(runs.filter((r) => r.audience.tags.includes('宝妈'))).toHaveLength(1);
      await context.close();
    });

    it('refuses to launch to no group at all, in Chinese', async () => {
      const lonely = await GroupFactory.create(t, channelId, { name: '孤单群', tags: ['空标签'] });
      await admin.post(`/v1/groups/${lonely.id}/pause`).send({}).expect(200);
      const { page, context } = await signIn(keys.planner, { hash: '#/plan' });
      await page.locator('select[name=campaign] option', { hasText: '年货节' }).waitFor({ state: 'attached' });
      await page.selectOption('select[name=campaign]', { label: '年货节' });
      await page.check('fieldset.tags input[value="空标签"]');
      await page.click('button[type=submit]');
      await page.locator('p.error', { hasText: '受众为 0 个社群' }).waitFor();
      expect(await page.locator('button:has-text("发布活动")').count()).toBe(0);
      await context.close();
    });

    it('cancels a run only through a confirmation that says what it stops', async () => {
      const { page, context } = await signIn(keys.planner, { hash: '#/runs' });
      const task = new ConsoleTask(page, 'cancel-run');
      const runs = (await planner.get(`/v1/campaigns/${campaignId}/runs`).expect(200)).body as {
        id: string;
        status: string;
        postCount: number;
      }[];
      const run = runs[0];
      const article = page.locator(`article[data-run="${run.id}"]`);
      await task.click(article.locator('button.danger'));
      await page.locator('.confirm', { hasText: `尚未发送的 ${run.postCount} 条消息将全部取消` }).waitFor();
      await task.click('.confirm button:has-text("返回")');
      expect((await planner.get(`/v1/runs/${run.id}`).expect(200)).body.status).not.toBe('cancelled');
      await task.click(article.locator('button.danger'));
      await page.keyboard.press('Escape');
      await page.locator('.confirm').waitFor({ state: 'detached' });
      await task.click(article.locator('button.danger'));
      await task.click('.confirm button:has-text("确认取消活动")');
      await eventually(async () =>
        (await planner.get(`/v1/runs/${run.id}`).expect(200)).body.status === 'cancelled' ? true : undefined,
      );
      await article.locator('.badge', { hasText: '已取消' }).waitFor();
      await task.done();
      await context.close();
    });
  });

  it('drags a scheduled post to tomorrow 10:00 on the week calendar and sees its new due time', async () => {
    const piece = await ContentFactory.create(editor, 'custom', { title: '拖动的消息', fields: { text: '拖动' } });
    await editor.post(`/v1/content/${piece.id}/publish`).send({}).expect(200);
    await GroupFactory.create(t, channelId, { name: '拖动群', tags: ['拖动'], quietHours: 'off', timezone: ZONE });
    const campaign = await CampaignFactory.create(planner, [piece.id], [{ day: 1, at: '16:00' }], { name: '拖动活动' });
    const run = (
      await planner
        .post(`/v1/campaigns/${campaign.id}/runs`)
        .send({ audience: { tags: ['拖动'] } })
        .expect(201)
    ).body as { id: string };
    const { page, context } = await signIn(keys.planner, { hash: '#/calendar' });
    const task = new ConsoleTask(page, 'drag');
    await page.selectOption('select[name=tag]', '拖动');
    await task.click('.fc-timeGridWeek-button');
    if ((await page.locator(`td.fc-timegrid-col[data-date="${tomorrow}"]`).count()) === 0)
      await task.click('.fc-next-button');
    const event = page.locator('.fc-event[data-group="拖动群"]');
    await event.waitFor();
    const from = (await event.boundingBox())!;
    const column = (await page.locator(`td.fc-timegrid-col[data-date="${tomorrow}"]`).boundingBox())!;
    const slot = (await page.locator('td.fc-timegrid-slot-lane[data-time="10:00:00"]').boundingBox())!;
    await page.mouse.move(from.x + from.width / 2, from.y + 4);
    await page.mouse.down();
    await page.mouse.move(from.x + from.width / 2, from.y + 40, { steps: 5 });
    await page.mouse.move(column.x + column.width / 2, slot.y + 4, { steps: 10 });
    await page.mouse.up();
    task.clicks++;
    await page.locator('.move-dialog', { hasText: `${tomorrow} 10:00` }).waitFor();
    await task.click('.move-dialog button:has-text("只改这个群")');
    await page.locator('.move-dialog').waitFor({ state: 'detached' });
    await task.done();
    const [post] = (await planner.get(`/v1/posts?runId=${run.id}`).expect(200)).body.items as { dueAt: string }[];
    expect(DateTime.fromISO(post.dueAt).setZone(ZONE).toFormat('yyyy-MM-dd HH:mm')).toBe(`${tomorrow} 10:00`);
    await page.locator(`.fc-event[data-group="拖动群"]`, { hasText: '10:00' }).waitFor();
    await context.close();
  });

  it('plans a one-off post from an empty slot of the week, at that local time, for the tag shown', async () => {
    const { page, context } = await signIn(keys.planner, { hash: '#/calendar' });
    const task = new ConsoleTask(page, 'one-off');
    await page.selectOption('select[name=tag]', '拖动');
    await task.click('.fc-timeGridWeek-button');
    if ((await page.locator(`td.fc-timegrid-col[data-date="${tomorrow}"]`).count()) === 0)
      await task.click('.fc-next-button');
    await page.locator('.fc-event[data-group="拖动群"]').waitFor();
    const column = (await page.locator(`td.fc-timegrid-col[data-date="${tomorrow}"]`).boundingBox())!;
    const slot = (await page.locator('td.fc-timegrid-slot-lane[data-time="15:00:00"]').boundingBox())!;
    await page.mouse.click(column.x + column.width / 2, slot.y + 4);
    task.clicks++;
    const dialog = page.locator('.one-off');
    await dialog.locator(`text=${tomorrow} 发给 标签「拖动」的所有社群`).waitFor();
    expect(await page.inputValue('input[name=oneOffTime]')).toBe('15:00');
    await page.click('input[name=oneOffPiece]');
    await page.fill('input[name=oneOffPiece]', '拖动的消息');
    await task.click(page.locator('[data-picker="oneOffPiece"] .options button', { hasText: '拖动的消息' }));
    await task.click('button[name=planOneOff]');
    await dialog.waitFor({ state: 'detached' });
    await page.locator('.fc-event[data-group="拖动群"]', { hasText: '15:00' }).waitFor();
    await task.done();
    const campaigns = (await planner.get('/v1/campaigns').expect(200)).body as { id: string; name: string }[];
    const made = campaigns.find((c) => c.name === `单发 · 拖动的消息 · ${tomorrow} 15:00`)!;
    const [run] = (await planner.get(`/v1/campaigns/${made.id}/runs`).expect(200)).body as { id: string }[];
    const [post] = (await planner.get(`/v1/posts?runId=${run.id}`).expect(200)).body.items as { dueAt: string }[];
    expect(DateTime.fromISO(post.dueAt).setZone(ZONE).toFormat('yyyy-MM-dd HH:mm')).toBe(`${tomorrow} 15:00`);
    await context.close();
  });

  it('imports 50 groups from a CSV only once its two bad rows are fixed, naming both', async () => {
    const { page, context } = await signIn(t.config.adminApiKey!, { hash: '#/groups' });
    const task = new ConsoleTask(page, 'import');
    const stamp = Date.now();
    const lines = (broken: boolean) => [
      '群名,地址,时区,标签',
      ...Array.from({ length: 50 }, (_, i) =>
        [
          broken && i === 12 ? '' : `导入群 ${String(i).padStart(2, '0')}`,
          `import-${stamp}-${i}`,
          broken && i === 40 ? 'Mars/Olympus' : ZONE,
          '导入|新群',
        ].join(','),
      ),
    ];
    const before = (await admin.get('/v1/groups?pageSize=1').expect(200)).body.total as number;
    await task.click('button[name=import]');
    await page.selectOption('select[name=importChannel]', { label: '控制台频道' });
    await page.setInputFiles('input[name=importFile]', {
      name: '新群.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(lines(true).join('\n')),
    });
    task.clicks++;
    const problems = page.locator('.import-problems');
    await problems.locator('text=有 2 行需要修改').waitFor();
    // Lines 14 and 42 of the sheet (the header is line 1): the name and the time zone.
    expect(
      await problems.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-line'))),
    ).toEqual(['14', '42']);
    expect(await problems.locator('tbody tr').allTextContents()).toEqual([
      expect.stringContaining('群名'),
      expect.stringContaining('时区'),
    ]);
    expect(await page.locator('button[name=runImport]').count()).toBe(0);
    expect((await admin.get('/v1/groups?pageSize=1').expect(200)).body.total).toBe(before);
    await screenshot(page, 'import-bad');
    await page.setInputFiles('input[name=importFile]', {
      name: '新群.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(lines(false).join('\n')),
    });
    task.clicks++;
    await page.locator('[data-dry-run]', { hasText: '将新建 50 个' }).waitFor();
    expect((await admin.get('/v1/groups?pageSize=1').expect(200)).body.total).toBe(before);
    await task.click('button[name=runImport]');
    await page.locator('p.ok', { hasText: '新建 50 个' }).waitFor();
    await task.done();
    const imported = (await admin.get('/v1/groups?tag=导入&pageSize=100').expect(200)).body;
    expect(imported.total).toBe(50);
    expect(imported.items[0]).toMatchObject({ name: '导入群 00', timezone: ZONE, tags: ['导入', '新群'] });
    await context.close();
  });

  it('exports the week on the calendar as Excel and iCal, which read back with the same posts', async () => {
    const { page, context } = await signIn(keys.planner, { hash: '#/calendar' });
    const task = new ConsoleTask(page, 'export');
    await page.selectOption('select[name=tag]', '拖动');
    await task.click('.fc-timeGridWeek-button');
    if ((await page.locator(`td.fc-timegrid-col[data-date="${tomorrow}"]`).count()) === 0)
      await task.click('.fc-next-button');
    await page.locator('.fc-event[data-group="拖动群"]').first().waitFor();
    const saved = async (format: string) => {
      const [file] = await Promise.all([page.waitForEvent('download'), task.click(`button[name=export-${format}]`)]);
      expect(file.suggestedFilename()).toMatch(new RegExp(`^群日历-\\d{4}-\\d{2}-\\d{2}\\.${format}$`));
      return readFileSync((await file.path())!);
    };
    // What the week holds for the tag, from the API: the dragged post and the one planned from a slot.
    const calendar = (
      await planner
        .get(
          `/v1/calendar?tag=拖动&from=${encodeURIComponent(DateTime.now().minus({ days: 1 }).toISO()!)}&to=${encodeURIComponent(DateTime.now().plus({ days: 8 }).toISO()!)}`,
        )
        .expect(200)
    ).body as {
      groups: {
        days: { date: string; entries: { postId: string; dueAt: string; localTime: string; title: string }[] }[];
      }[];
    };
    const week = calendar.groups.flatMap((g) => g.days.filter((d) => d.date === tomorrow).flatMap((d) => d.entries));
    expect(week.length).toBeGreaterThanOrEqual(1);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await saved('xlsx'));
    const rows = book
      .getWorksheet('群日历')!
      .getSheetValues()
      .slice(2)
      .map((row) => (row as unknown[]).slice(1, 7) as string[]);
    expect(
      rows
        .filter((r) => r[1] === tomorrow)
        .map((r) => [r[0], r[2], r[3], r[5]])
        .sort(),
    ).toEqual(week.map((e) => ['拖动群', e.localTime, ZONE, e.title]).sort());
    const events = Object.values(ical.sync.parseICS((await saved('ics')).toString('utf8'))).filter(
      (e) => e?.type === 'VEVENT',
    ) as VEvent[];
    const onTomorrow = events.filter((e) => week.some((w) => w.postId === e.uid));
    expect(onTomorrow.map((e) => [e.uid, e.start.getTime()]).sort()).toEqual(
      week.map((w) => [w.postId, Date.parse(w.dueAt)]).sort(),
    );
    await task.done();
    await context.close();
  });

  it('blacks out the Spring Festival preset for a tag, its 调休 working Saturday left open, and says when a year is not known yet', async () => {
    const { page, context } = await signIn(keys.planner, { hash: '#/groups' });
    const task = new ConsoleTask(page, 'holidays');
    await task.click('button[name=holidays]');
    // A year the library does not have yet says so and offers the shopping peaks only.
    await page.selectOption('select[name=holidayYear]', '2027');
    const known = (await planner.get('/v1/holidays?year=2027').expect(200)).body.statutoryKnown as boolean;
    if (!known) await page.locator('.holidays .notice', { hasText: '还没有 2027 年' }).waitFor();
    await page.selectOption('select[name=holidayYear]', '2026');
    const spring = page.locator('li[data-preset="spring_festival_2026"]');
    await spring.locator('text=调休上班：2026-02-14、2026-02-28').waitFor();
    await task.click(spring.locator('input[type=checkbox]'));
    await page.selectOption('select[name=holidayTag]', '华东');
    await task.click('button[name=applyHolidays]');
    await page.locator('.holidays p.ok', { hasText: '已为 150 个社群' }).waitFor();
    await task.done();
    const [group] = (await planner.get('/v1/groups?tag=华东&pageSize=1').expect(200)).body.items as {
      blackoutDates: string[];
    }[];
    expect(group.blackoutDates).toEqual(expect.arrayContaining(['2026-02-15', '2026-02-17', '2026-02-23']));
    expect(group.blackoutDates).not.toContain('2026-02-14');
    expect(group.blackoutDates).not.toContain('2026-02-28');
    await context.close();
  });

  it('shows each owner what waits for their confirmation, since when, and reminds them now', async () => {
    const fake = new FakeWecomCustomer('ww-corp-console', 'corp-secret-console-0123');
    await fake.start();
    try {
      const customer = await ChannelFactory.create(t, 'wecom_customer_group', {
        name: '客户群',
        config: { baseUrl: fake.url },
        credentials: { corpId: fake.corpId, corpSecret: fake.corpSecret },
      });
      const owned = async (chatId: string, sender: string) =>
        GroupFactory.create(t, customer.id, {
          name: `客户群 ${chatId.slice(-2)}`,
          address: { chatId, sender },
          tags: ['客户群'],
          quietHours: 'off',
          minGapMinutes: 'off',
        });
      await owned('wrConsoleChat01', 'zhangsan');
      await owned('wrConsoleChat02', 'zhangsan');
      await owned('wrConsoleChat03', 'lisi');
      const piece = await ContentFactory.create(editor, 'custom', { title: '客户群通知', fields: { text: '通知' } });
      await editor.post(`/v1/content/${piece.id}/publish`).send({}).expect(200);
      const campaign = await CampaignFactory.create(planner, [piece.id], [{ after: 'PT0S' }], { name: '客户群群发' });
      await planner
        .post(`/v1/campaigns/${campaign.id}/runs`)
        .send({ audience: { tags: ['客户群'] } })
        .expect(201);
      await eventually(async () => {
        const owners = (await planner.get('/v1/owners').expect(200)).body.items as { owner: string; waiting: number }[];
        return owners.filter((o) => o.waiting === 1).length === 2 ? true : undefined;
      }, 30_000);
      const { page, context } = await signIn(keys.planner, { hash: '#/owners' });
      const task = new ConsoleTask(page, 'owners');
      const row = page.locator('tr[data-owner="zhangsan"]');
      await row.locator('td', { hasText: '分钟' }).first().waitFor();
      await task.click(row.locator('button[name=remind]'));
      await page.locator('.confirm', { hasText: '提醒 zhangsan 确认 1 个待发的群发任务' }).waitFor();
      await task.click('.confirm button:has-text("确认提醒")');
      await page.locator('p.ok', { hasText: '已提醒 1 个任务' }).waitFor();
      await task.done();
      const tasks = fake.tasks.filter((x) => x.sender === 'zhangsan');
      expect(tasks.map((x) => x.reminders)).toEqual([1]);
      await context.close();
    } finally {
      await fake.stop();
    }
  });

  it('edits a group’s tags and rules beside the global ones it follows, and the global rules themselves', async () => {
    const before = (await planner.get('/v1/policies').expect(200)).body;
    const group = await GroupFactory.create(t, channelId, {
      name: '规则群',
      tags: ['规则'],
      quietHours: null,
      minGapMinutes: null,
    });
    const { page, context } = await signIn(keys.planner, { hash: '#/groups' });
    const task = new ConsoleTask(page, 'group-rules');
    await page.fill('input[name=q]', '规则群');
    const row = page.locator('tr[data-group="规则群"]');
    await row.locator('td', { hasText: '全局：' }).first().waitFor();
    await task.click(row.locator('button[name=editGroup]'));
    const dialog = page.locator('.group-editor');
    await dialog.locator('select[name=quietHours-mode] option', { hasText: '沿用全局' }).waitFor({ state: 'attached' });
    await page.fill('.group-editor input[name=tags]', '规则，晚睡');
    await page.selectOption('.group-editor select[name=quietHours-mode]', 'own');
    await page.fill('.group-editor input[name=quietFrom]', '21:00');
    await page.fill('.group-editor input[name=quietTo]', '09:00');
    await page.selectOption('.group-editor select[name=minGapMinutes-mode]', 'own');
    await page.fill('.group-editor input[name=minGapMinutes]', '30');
    await page.selectOption('.group-editor select[name=dailyCap-mode]', 'off');
    await task.click('.group-editor button[name=saveGroup]');
    await dialog.waitFor({ state: 'detached' });
    await row.locator('td', { hasText: '21:00-09:00' }).waitFor();
    expect((await planner.get(`/v1/groups/${group.id}`).expect(200)).body).toMatchObject({
      tags: ['规则', '晚睡'],
      quietHours: '21:00-09:00',
      minGapMinutes: 30,
      dailyCap: 'off',
      promoCap: null,
    });
    await task.click('button[name=globalPolicy]');
    await page.selectOption('.global-policy select[name=dailyCap-mode]', 'own');
    await page.fill('.global-policy input[name=dailyCap]', '4');
    await task.click('button[name=saveGlobal]');
    await page.locator('.global-policy p.ok').waitFor();
    await task.done();
    expect((await planner.get('/v1/policies').expect(200)).body.dailyCap).toBe(4);
    await planner.put('/v1/policies').send(before).expect(200);
    await context.close();
  });

  it('signs a tab out when its key is revoked, and a valid key from the same address still gets in', async () => {
    const doomed = (await admin.post('/v1/api-keys').send({ name: '将被撤销', role: 'viewer' }).expect(201)).body as {
      id: string;
      key: string;
    };
    const { page, context } = await signIn(doomed.key, { hash: '#/runs' });
    await admin.delete(`/v1/api-keys/${doomed.id}`).expect(204);
    await page.locator('.sign-in .notice', { hasText: '密钥已失效或已被撤销' }).waitFor({ timeout: 30_000 });
    // Many wrong keys from this address (more than its budget of 5 a minute)…
    for (let i = 0; i < 12; i++) await t.http.get('/v1/me').set('Authorization', `Bearer gck_wrong-${i}`);
    // …and a colleague's valid key still signs in.
    await page.fill('input[name=key]', keys.viewer);
    await page.click('button[type=submit]');
    await page.locator('header .who', { hasText: '只读成员' }).waitFor();
    await screenshot(page, 'revoked');
    await context.close();
  });

  it('shows a banner when the server stops, never a blank page, and recovers when it is back', async () => {
    const { page, context } = await signIn(keys.planner, { hash: '#/calendar' });
    await page.locator('.fc').waitFor();
    await proxy.shut();
    // A page not opened before, while the server is down.
    await page.evaluate(() => (window.location.hash = '#/inbox'));
    await page.locator('.banner[role=alert]', { hasText: '无法连接服务器' }).waitFor({ timeout: 20_000 });
    expect(await page.locator('header nav').count()).toBe(1);
    await screenshot(page, 'offline');
    await proxy.open();
    await page.locator('.banner').waitFor({ state: 'detached', timeout: 20_000 });
    await page.evaluate(() => (window.location.hash = '#/groups'));
    await page.locator('tr[data-group]').first().waitFor();
    await context.close();
  });

  it('finds any of 1,000 groups by name, and every page loads for the measurement', async () => {
    const { page, context } = await signIn(keys.planner);
    for (const [hash, ready] of [
      ['calendar', '.fc-daygrid-day'],
      ['runs', 'article.run'],
      ['campaigns', 'tr[data-campaign]'],
      ['owners', 'tr[data-owner]'],
      ['plan', 'select[name=campaign] option >> nth=1'],
      ['inbox', 'section'],
      ['content', '.pieces li'],
      ['routines', 'tr[data-routine]'],
      ['groups', 'tr[data-group]'],
      ['channels', 'tr[data-channel]'],
    ])
      await timeLoad(page, hash, ready);
    await page.goto(`${proxy.url}/console/#/groups`);
    await page.fill('input[name=q]', '0999');
    await page.locator('tr[data-group="社群 0999"]').waitFor();
    expect(await page.locator('tbody tr').count()).toBe(1);
    // Pages cover every group, 50 a page.
    const total = (await planner.get('/v1/groups?pageSize=1').expect(200)).body.total as number;
    expect(total).toBeGreaterThan(GROUPS);
    await page.fill('input[name=q]', '');
    await page.locator('.pager', { hasText: `1 / ${Math.ceil(total / 50)}` }).waitFor();
    // The calendar's group picker searches by name too.
    await page.goto(`${proxy.url}/console/#/calendar`);
    await page.fill('.picker input', '社群 0777');
    await page.click('.picker .options button:has-text("社群 0777")');
    await page.locator('.picker .chip[data-chosen="社群 0777"]').waitFor();
    await screenshot(page, 'groups-1000');
    await context.close();
  });

  it('draws every status colour at WCAG AA contrast with its white text', async () => {
    const { page, context } = await signIn(keys.planner, { hash: '#/calendar' });
    const dots = page.locator('.legend .dot');
    await dots.first().waitFor();
    const colours = await dots.evaluateAll((els) => els.map((el) => getComputedStyle(el).backgroundColor));
    expect(colours.length).toBeGreaterThanOrEqual(8);
    for (const colour of colours)
      expect([colour, contrast(colour, 'rgb(255, 255, 255)') >= 4.5]).toEqual([colour, true]);
    await context.close();
  });

  it('fits a phone: the calendar as a list, sign-out on screen, the editor stacked above its preview', async () => {
    const { page, context } = await signIn(keys.planner, { width: 390, height: 844, hash: '#/calendar' });
    await page.locator('.fc-list, .fc-list-empty').first().waitFor();
    const signOut = await page.locator('header button.link', { hasText: '退出' }).boundingBox();
    expect(signOut!.x + signOut!.width).toBeLessThanOrEqual(390);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'phone-calendar');
    await context.close();
    const phone = await signIn(keys.editor, { width: 390, height: 844, hash: '#/content' });
    await phone.page.click('.pieces button:has-text("周三早报")');
    await phone.page.locator('.preview-pane .part').first().waitFor();
    const [form, preview] = await Promise.all([
      phone.page.locator('.editor-pane').boundingBox(),
      phone.page.locator('.preview-pane').boundingBox(),
    ]);
    expect(preview!.y).toBeGreaterThan(form!.y + form!.height - 1);
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(phone.page, 'phone-content');
    await phone.context.close();
  });
  it('creates a channel with write-only secrets, test-sends on one, and stops it behind a confirmation', async () => {
    const { page, context } = await signIn(t.config.adminApiKey!, { hash: '#/channels' });
    const task = new ConsoleTask(page, 'channels');
    await task.click('button[name=newChannel]');
    await page.fill('input[name=channelName]', '电报频道');
    await page.selectOption('select[name=channelType]', 'telegram');
    await page.fill('input[name=credential-botToken]', '123456789:AAHfake-token_for_console_0123456');
    await task.click('button[name=createChannel]');
    const row = page.locator('tr[data-channel="电报频道"]');
    await row.waitFor();
    expect(await row.textContent()).not.toContain('AAHfake');
    expect(await row.textContent()).toContain('3456');
    const channels = (await admin.get('/v1/channels').expect(200)).body as {
      name: string;
      credentials: Record<string, string>;
    }[];
    expect(channels.find((c) => c.name === '电报频道')!.credentials.botToken).toMatch(/^…/);

    const consoleRow = page.locator('tr[data-channel="控制台频道"]');
    await task.click(consoleRow.locator('button[name=testSend]'));
    await page.fill('[data-picker="testGroup"] input', '社群 0001');
    await task.click(page.locator('[data-picker="testGroup"] .options button', { hasText: '社群 0001' }));
    await task.click('button[name=sendTest]');
    await page.locator('.test-send [data-outcome="ok"]', { hasText: '已发送' }).waitFor();

    await task.click(consoleRow.locator('button[name=disable]'));
    await page.fill('.confirm input[name=disableReason]', '机器人更换中');
    await task.click('.confirm button:has-text("确认停用")');
    await page.locator('tr[data-channel="控制台频道"][data-status="disabled"]').waitFor();
    const stopped = (
      (await admin.get('/v1/channels').expect(200)).body as {
        id: string;
        name: string;
        status: string;
        disabledReason: string;
      }[]
    ).find((c) => c.name === '控制台频道')!;
    expect(stopped).toMatchObject({ status: 'disabled', disabledReason: '机器人更换中' });
    await task.click(page.locator('tr[data-channel="控制台频道"] button[name=enable]'));
    await page.locator('tr[data-channel="控制台频道"][data-status="active"]').waitFor();
    await task.done();
    await context.close();
  });
});
