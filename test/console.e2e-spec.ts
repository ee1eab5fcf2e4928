/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { DateTime } from 'luxon';
import type { AddressInfo } from 'node:net';
import { Browser, Page } from 'playwright-core';
import { CampaignFactory, ChannelFactory, ContentFactory, GroupFactory, createKey } from './support/factories';
import { launchChromium, screenshot } from './support/browser';
import { eventually, waitForPosts } from './support/poll';
import { PictureServer, gradientPng } from './support/providers/pictures';
import { FakeWecom } from './support/providers/wecom';
import { RequestWith, TestApp, createTestApp } from './support/test-app';
import { PostView } from './support/views';

const BOT_TOKEN = '123456789:AAHfake-token_for_tests_0123456789';
/** The console's status colours, as the browser computes them. */
const GREEN = 'rgb(21, 128, 61)';
const BLUE = 'rgb(29, 78, 216)';
const RED = 'rgb(185, 28, 28)';

describe('the operator console in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  let planner: RequestWith;
  const keys: Record<'planner' | 'viewer', string> = { planner: '', viewer: '' };
  const wecom = new FakeWecom();
  const pictures = new PictureServer();
  let base = '';
  let runId = '';
  let startAt = '';
  const zoneOf = new Map<string, string>();
  const removedKey = `removed-${Date.now()}`;
  let removedGroup = '';

  beforeAll(async () => {
    // A night-sky poster the browser can show.
    pictures.files.set('/poster.png', { type: 'image/png', body: gradientPng(240, 160, [30, 41, 99], [250, 204, 21]) });
    await pictures.start();
    await wecom.start();
    t = await createTestApp({ ROLE: 'all', SCHEDULER_TICK_MS: '100' });
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    keys.planner = await createKey(t, 'planner');
    keys.viewer = await createKey(t, 'viewer');
    planner = t.as(keys.planner);
    browser = await launchChromium();

    // A run of ten groups, half in Shanghai and half in Los Angeles: the first step now, the second
    // on day 2 at 10:00 local; one robot was removed, so its first post fails.
    const channel = await ChannelFactory.create(t, 'wecom', {
      name: '企业微信',
      config: { baseUrl: wecom.url, format: 'text' },
    });
    const tag = `console-${Date.now()}`;
    for (let i = 0; i < 10; i++) {
      const shanghai = i < 5;
      const name = `${shanghai ? '上海' : '洛杉矶'}${i % 5}群`;
      const zone = shanghai ? 'Asia/Shanghai' : 'America/Los_Angeles';
      const address = i === 9 ? removedKey : `robot-${i}-${Date.now()}`;
      if (i !== 9) wecom.keys.add(address);
      const group = await GroupFactory.create(t, channel.id, {
        name,
        address,
        timezone: zone,
        tags: [tag],
        quietHours: null,
        minGapMinutes: 'off',
      });
      zoneOf.set(name, zone);
      if (i === 9) removedGroup = group.id;
    }
    const editor = t.as(await createKey(t, 'editor'));
    const pieces: string[] = [];
    for (const [title, line] of [
      ['早安', '早上好！'],
      ['晚安', '晚安，好梦。'],
    ]) {
      const piece = await ContentFactory.create(editor, 'goodnight_poster', {
        title,
        fields: { image: `${pictures.url}/poster.png`, line },
      });
      await editor.post(`/v1/content/${piece.id}/publish`).send({}).expect(200);
      pieces.push(piece.id);
    }
    await ChannelFactory.create(t, 'telegram', {
      name: 'Telegram',
      credentials: { botToken: BOT_TOKEN },
    });
    const campaign = await CampaignFactory.create(planner, pieces, [{ after: 'PT0S' }, { day: 2, at: '10:00' }], {
      name: '双十二预热',
    });
    const run = (
      await planner
        .post(`/v1/campaigns/${campaign.id}/runs`)
        .send({ audience: { tags: [tag] } })
        .expect(201)
    ).body as { id: string; startAt: string };
    runId = run.id;
    startAt = run.startAt;
    await waitForPosts<PostView>(
      planner,
      runId,
      (all) =>
        all.filter((p) => p.step === 0 && p.status === 'sent').length === 9 &&
        all.some((p) => p.step === 0 && p.status === 'failed'),
    );
  });
  afterAll(async () => {
    await browser?.close();
    await t.close();
    await wecom.stop();
    await pictures.stop();
  });

  async function signIn(key: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, timezoneId: 'Europe/Berlin' });
    const page = await context.newPage();
    await page.goto(`${base}/console/`);
    await page.fill('input[name=key]', key);
    await page.click('button[type=submit]');
    await page.locator('header .who').waitFor();
    return page;
  }

  it('signs in with a key kept in this tab’s session storage, never in the address or a cookie', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/console/`);
    await page.fill('input[name=key]', 'gck_not-a-real-key');
    await page.click('button[type=submit]');
    await expectText(page, '.sign-in .error', '密钥无效');
    await page.fill('input[name=key]', keys.planner);
    await page.click('button[type=submit]');
    await expectText(page, 'header .who', '运营策划');
    expect(await page.evaluate(() => sessionStorage.getItem('groupcast.key'))).toBe(keys.planner);
    expect(await page.evaluate(() => document.cookie)).toBe('');
    expect(page.url()).not.toContain(keys.planner);
    // Chinese by default; English a click away.
    await expectText(page, 'header nav', '群日历');
    await page.click('header button.link:has-text("English")');
    await expectText(page, 'header nav', 'Calendar');
    await page.close();
  });

  it('shows the run’s ten groups on the calendar on their own local days, coloured by status, and opens a post', async () => {
    const page = await signIn(keys.planner);
    const day0 = (zone: string) => DateTime.fromISO(startAt).setZone(zone);
    for (const [name, zone] of zoneOf) {
      const events = page.locator(`.fc-event[data-group="${name}"]`);
      await events.nth(1).waitFor();
      const seen = await events.evaluateAll((els) =>
        els.map((el) => ({ date: (el as HTMLElement).dataset.date, colour: getComputedStyle(el).backgroundColor })),
      );
      const first = name === '洛杉矶4群' ? RED : GREEN;
      expect(seen.sort((a, b) => a.date!.localeCompare(b.date!))).toEqual([
        { date: day0(zone).toISODate(), colour: first },
        { date: day0(zone).plus({ days: 2 }).toISODate(), colour: BLUE },
      ]);
    }
    await screenshot(page, 'calendar');
    await page.locator('.fc-event[data-group="洛杉矶4群"].status-failed').click();
    const modal = page.locator('.modal');
    await expectText(page, '.modal', '93000');
    expect(await modal.locator('button:has-text("重试")').count()).toBe(1);
    expect(await modal.locator('button:has-text("取消")').count()).toBe(0);
    await screenshot(page, 'post');
    await page.context().close();
  });

  it('retries the failed post from the inbox and sees it sent', async () => {
    const page = await signIn(keys.planner);
    await page.goto(`${base}/console/#/inbox`);
    const row = page.locator('tr[data-status="failed"]');
    await row.waitFor();
    expect(await row.count()).toBe(1);
    await screenshot(page, 'inbox');
    wecom.keys.add(removedKey);
    await row.locator('input[type=checkbox]').check();
    await page.click('button:has-text("重试所选")');
    await expectText(page, '.confirm', '1 条消息将立即重新发往 1 个社群');
    await page.click('.confirm button:has-text("确认重发 1 条")');
    await page.locator('tr[data-status="failed"]').waitFor({ state: 'detached' });
    const sent = await eventually(async () => {
      const posts = (await planner.get(`/v1/posts?runId=${runId}&groupId=${removedGroup}`).expect(200)).body.items;
      return posts.find((p: PostView) => p.step === 0 && p.status === 'sent');
    });
    expect(sent).toBeDefined();
    await page.goto(`${base}/console/#/calendar`);
    const event = page.locator('.fc-event.status-sent[data-group="洛杉矶4群"]');
    await event.waitFor();
    expect(await event.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe(GREEN);
    await page.context().close();
  });

  it('shows runs with their board, the plan preview, and groups', async () => {
    const page = await signIn(keys.planner);
    await page.goto(`${base}/console/#/runs`);
    await page.click(`article[data-run="${runId}"] header button.link`);
    await expectText(page, `article[data-run="${runId}"] .run-detail`, '上海0群');
    expect(await page.locator(`article[data-run="${runId}"] .run-detail tbody tr`).count()).toBeGreaterThanOrEqual(10);
    await screenshot(page, 'runs');
    await page.goto(`${base}/console/#/plan`);
    await page.locator('select[name=campaign] option', { hasText: '双十二预热' }).waitFor({ state: 'attached' });
    await page.selectOption('select[name=campaign]', { label: '双十二预热' });
    for (const tag of await tagsOfRun()) await page.check(`fieldset.tags input[value="${tag}"]`);
    await page.click('button[type=submit]');
    await expectText(page, 'section', '20 条消息');
    expect(await page.locator('.lane').count()).toBe(10);
    await screenshot(page, 'plan');
    await page.goto(`${base}/console/#/groups`);
    await page.locator('tr[data-group="上海0群"]').waitFor();
    await screenshot(page, 'groups');
    await page.context().close();
  });

  it('offers a viewer no buttons that change anything', async () => {
    const page = await signIn(keys.viewer);
    await expectText(page, 'header .who', '只读成员');
    expect(await page.locator('header nav a').allTextContents()).not.toContain('计划');
    await page.locator('.fc-event').first().waitFor();
    await page.locator('.fc-event.status-sent').first().click();
    await page.locator('.modal dl').waitFor();
    expect(await page.locator('.modal button').allTextContents()).toEqual(['关闭']);
    await page.click('.modal button.close');
    for (const [hash, ready] of [
      ['inbox', 'section'],
      ['runs', `article[data-run="${runId}"]`],
      ['groups', 'tr[data-group="上海0群"]'],
    ]) {
      await page.goto(`${base}/console/#/${hash}`);
      await page.locator(ready).first().waitFor();
      expect(await page.locator('main button:not(.link)').count()).toBe(0);
      expect(await page.locator('main input[type=checkbox]').count()).toBe(0);
    }
    await page.context().close();
  });

  it('previews a piece side by side: the WeCom text and the Telegram photo with its caption', async () => {
    const page = await signIn(keys.planner);
    await page.goto(`${base}/console/#/content`);
    await page.click('.pieces button:has-text("晚安")');
    const wecomText = page.locator('[data-channel-type="wecom"] [data-part-type="text"] .part-text');
    await wecomText.waitFor();
    expect(await wecomText.textContent()).toContain('晚安，好梦。');
    const photo = page.locator('[data-channel-type="telegram"] [data-part-type="sendPhoto"]');
    await photo.waitFor();
    expect(await photo.locator('img').getAttribute('src')).toBe(`${pictures.url}/poster.png`);
    // The browser loaded and decoded it: the operator sees the poster itself.
    await page.waitForFunction(() =>
      [...document.querySelectorAll<HTMLImageElement>('[data-part-type="sendPhoto"] img')].every(
        (i) => i.naturalWidth === 240,
      ),
    );
    expect(await photo.locator('.part-text').textContent()).toContain('晚安，好梦。');
    await screenshot(page, 'content');
    await page.context().close();
  });

  async function tagsOfRun(): Promise<string[]> {
    return ((await planner.get(`/v1/runs/${runId}`).expect(200)).body as { audience: { tags: string[] } }).audience
      .tags;
  }
});

async function expectText(page: Page, selector: string, text: string): Promise<void> {
  await page.locator(selector, { hasText: text }).first().waitFor();
  expect(await page.locator(selector).first().textContent()).toContain(text);
}
