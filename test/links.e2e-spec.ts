import { request as httpRequest } from 'undici';
import {
  CampaignFactory,
  ChannelFactory,
  ContentFactory,
  GroupFactory,
  createKey,
  exampleFields,
} from './support/factories';
import { eventually, waitForPosts } from './support/poll';
import { PictureServer, png } from './support/providers/pictures';
import { FakeWecom } from './support/providers/wecom';
import { RequestWith, TestApp, createTestApp } from './support/test-app';
import { PostView } from './support/views';

const BASE = 'https://go.example.com';
const SHORT = /https:\/\/go\.example\.com\/r\/([A-Za-z0-9_-]{34})/g;
const PRODUCT = exampleFields('product_pick') as { url: string; image: string };

describe('short links, clicks, orders and the funnel', () => {
  let t: TestApp;
  let planner: RequestWith;
  let viewer: RequestWith;
  let shop: RequestWith;
  const wecom = new FakeWecom();
  const pictures = new PictureServer();
  let runId: string;
  let posts: PostView[];
  let pieces: string[];
  const groups: { id: string }[] = [];
  const robotKeys: string[] = [];
  /** Each post's short-link codes, from what the fake robot received. */
  const codes = new Map<string, string[]>();

  beforeAll(async () => {
    t = await createTestApp({
      ROLE: 'all',
      SCHEDULER_TICK_MS: '100',
      PUBLIC_BASE_URL: `${BASE}/`,
      LINK_SIGNING_KEY: 'a-signing-key-of-at-least-32-characters',
      TRUST_PROXY: 'loopback',
    });
    await wecom.start();
    await pictures.start();
    pictures.files.set('/cup.png', { type: 'image/png', body: png(2048) });
    PRODUCT.image = `${pictures.url}/cup.png`;
    planner = t.as(await createKey(t, 'planner'));
    viewer = t.as(await createKey(t, 'viewer'));
    shop = t.as(await createKey(t, 'integration'));
    const editor = t.as(await createKey(t, 'editor'));
    const tracked = await ChannelFactory.create(t, 'wecom', { config: { baseUrl: wecom.url, trackLinks: true } });
    const plain = await ChannelFactory.create(t, 'wecom', { config: { baseUrl: wecom.url } });
    const tag = `links-${Date.now()}`;
    for (const [channel, memberCount] of [
      [tracked.id, 200],
      [tracked.id, 300],
      [plain.id, null],
    ] as const) {
      const key = `links-key-${groups.length}-${Date.now()}`;
      wecom.keys.add(key);
      robotKeys.push(key);
      groups.push(
        await GroupFactory.create(t, channel, {
          address: key,
          tags: [tag],
          quietHours: null,
          minGapMinutes: 'off',
          memberCount,
        }),
      );
    }
    const pick = await ContentFactory.create(editor, 'product_pick', { title: '好物', fields: PRODUCT });
    const signUp = await ContentFactory.create(editor, 'custom', {
      title: '报名',
      fields: { text: '报名入口 https://form.example.com/join?from=group ，名额有限。' },
    });
    pieces = [pick.id, signUp.id];
    for (const id of pieces) await editor.post(`/v1/content/${id}/publish`).send({}).expect(200);
    const campaign = await CampaignFactory.create(planner, pieces, [{ after: 'PT0S' }, { after: 'PT0S' }]);
    const run = await planner
      .post(`/v1/campaigns/${campaign.id}/runs`)
      .send({ audience: { tags: [tag] } })
      .expect(201);
    runId = run.body.id;
    posts = await waitForPosts<PostView>(
      planner,
      runId,
      (all) => all.length === 6 && all.every((p) => p.status === 'sent'),
    );
    for (const received of wecom.received) {
      const body = received.json as { markdown?: { content?: string } };
      if (!body.markdown) continue; // the product's picture, sent after the text
      const content = body.markdown.content ?? '';
      const group = groups.findIndex((_, i) => received.query.get('key') === robotKeys[i]);
      const step = content.includes('报名') ? 1 : 0;
      const post = posts.find((p) => p.groupId === groups[group].id && p.step === step)!;
      codes.set(
        post.id,
        [...content.matchAll(SHORT)].map((m) => m[1]),
      );
    }
  }, 60_000);

  afterAll(async () => {
    await t.close();
    await wecom.stop();
    await pictures.stop();
  });

  /** The run's funnel figures for its activate stage. */
  const activateStage = async () =>
    (
      (await viewer.get(`/v1/runs/${runId}/funnel`).expect(200)).body.stages as {
        stage: string;
        uniqueClicks: number;
        clicks: number;
      }[]
    ).find((s) => s.stage === 'activate')!;
  const postOf = (group: number, step: number) => posts.find((p) => p.groupId === groups[group].id && p.step === step)!;
  const codeOf = (group: number, step: number) => codes.get(postOf(group, step).id)![0];

  it('sends links as signed short links where the channel tracks them, and leaves pictures and other channels alone', () => {
    const contents = wecom.contents();
    const trackedPick = contents.filter((c) => c.includes('好物推荐') && c.includes(`${BASE}/r/`));
    expect(trackedPick).toHaveLength(2);
    for (const content of trackedPick) {
      expect(content).not.toContain(PRODUCT.url);
      // The robot's markdown shows no picture: it goes in the card, not as raw `![…](…)` text.
      expect(content).not.toContain(PRODUCT.image);
    }
    expect(contents.filter((c) => c.includes(PRODUCT.url))).toHaveLength(1);
    expect(contents.filter((c) => c.includes('https://form.example.com/join?from=group'))).toHaveLength(1);
    // One code per post and link: four tracked posts, four different codes.
    const all = [codeOf(0, 0), codeOf(0, 1), codeOf(1, 0), codeOf(1, 1)];
    expect(new Set(all).size).toBe(4);
    expect(codes.get(postOf(2, 0).id)).toEqual([]);
  });

  it('redirects a short link to the link it stands for, and answers 404 to a forged or altered one', async () => {
    const code = codeOf(0, 0);
    const response = await t.http.get(`/r/${code}`).set('User-Agent', 'Mozilla/5.0 MicroMessenger/8.0').expect(302);
    expect(response.headers.location).toBe(PRODUCT.url);
    expect(response.headers['cache-control']).toBe('no-store');
    await t.http
      .get(`/r/${codeOf(0, 1)}`)
      .expect(302)
      .expect('Location', 'https://form.example.com/join?from=group');
    const altered = code.slice(0, 10) + (code[10] === 'A' ? 'B' : 'A') + code.slice(11);
    await t.http.get(`/r/${altered}`).expect(404);
    await t.http.get(`/r/${'A'.repeat(34)}`).expect(404);
    await t.http.get('/r/not-a-code').expect(404);
    // Recorded: the first as a click (a phone's in-app browser), the second as a preview (no browser named).
    await eventually(async () => {
      const { totals } = (await viewer.get(`/v1/runs/${runId}/funnel`).expect(200)).body;
      return totals.clicks === 1 && totals.previews === 1 ? totals : undefined;
    });
  });

  it('shows a post as it went out, short links included', async () => {
    const post = postOf(1, 0);
    const preview = await viewer.get(`/v1/posts/${post.id}/preview`).expect(200);
    const short = `${BASE}/r/${codeOf(1, 0)}`;
    expect(preview.body).toMatchObject({
      trackLinks: true,
      links: [PRODUCT.url],
      link: short,
      pictures: [{ url: PRODUCT.image, bytes: 2048 }],
    });
    expect(preview.body.markdown).toContain(short);
    // The product's card leads to the same short link, so a tap on it counts like one on the text.
    expect(preview.body.parts.find((p: { type: string }) => p.type === 'news')).toMatchObject({ url: short });
    const plain = await viewer.get(`/v1/posts/${postOf(2, 0).id}/preview`).expect(200);
    expect(plain.body).toMatchObject({ trackLinks: false, links: [] });
    expect(plain.body.markdown).toContain(PRODUCT.url);
  });

  it('credits an order once to the post, stage, group and piece whose link the buyer followed', async () => {
    const order = { code: codeOf(1, 0), orderId: `order-${Date.now()}`, amount: 59.9, currency: 'CNY' };
    const first = await shop.post('/v1/conversions').send(order).expect(201);
    expect(first.body).toMatchObject({
      postId: postOf(1, 0).id,
      linkIndex: 0,
      runId,
      stage: 'activate',
      step: 0,
      groupId: groups[1].id,
      contentId: pieces[0],
      amount: 59.9,
    });
    const again = await shop.post('/v1/conversions').send(order).expect(200);
    expect(again.body.id).toBe(first.body.id);
    const changed = await shop
      .post('/v1/conversions')
      .send({ ...order, amount: 1 })
      .expect(409);
    expect(changed.body.details[0].field).toBe('orderId');
    await shop
      .post('/v1/conversions')
      .send({ postId: postOf(0, 1).id, orderId: `order-b-${Date.now()}`, amount: 100 })
      .expect(201);
  });

  it('refuses orders that name no post of its own, and keys other than a shop’s or an admin’s', async () => {
    const bad = async (body: object, status: number, field: string) => {
      const response = await shop.post('/v1/conversions').send(body).expect(status);
      expect(response.body.details.map((d: { field: string }) => d.field)).toContain(field);
    };
    await bad({ orderId: 'x1', amount: 1 }, 400, 'code');
    await bad({ code: codeOf(0, 0), postId: postOf(0, 0).id, orderId: 'x2', amount: 1 }, 400, 'postId');
    await bad({ code: 'A'.repeat(34), orderId: 'x3', amount: 1 }, 422, 'code');
    await bad({ postId: '00000000-0000-4000-8000-000000000000', orderId: 'x4', amount: 1 }, 422, 'postId');
    await bad({ code: codeOf(0, 0), orderId: 'x5', amount: -1 }, 400, 'amount');
    await bad({ code: codeOf(0, 0), orderId: 'x6', amount: 1.234 }, 400, 'amount');
    await bad({ code: codeOf(0, 0), orderId: 'x6', amount: 1e-7 }, 400, 'amount');
    await bad({ code: codeOf(0, 0), orderId: 'x7', amount: 1, currency: 'yuan' }, 400, 'currency');
    await viewer
      .post('/v1/conversions')
      .send({ code: codeOf(0, 0), orderId: 'x8', amount: 1 })
      .expect(403);
    await shop.get(`/v1/runs/${runId}/funnel`).expect(403);
  });

  it('counts link previews apart from clicks, and each person once per post', async () => {
    const educate = async () =>
      ((await viewer.get(`/v1/runs/${runId}/funnel`).expect(200)).body.stages as Record<string, number>[]).find(
        (s) => (s.stage as unknown) === 'educate',
      )!;
    const before = await educate();
    const code = codeOf(1, 1);
    for (const agent of [
      'Slackbot-LinkExpanding 1.0',
      'TelegramBot (like TwitterBot)',
      'Mozilla/5.0 (compatible; DingTalkBot-LinkService/1.0)',
    ]) {
      await t.http.get(`/r/${code}`).set('User-Agent', agent).expect(302);
    }
    await t.http.head(`/r/${code}`).set('User-Agent', 'Mozilla/5.0').expect(302);
    for (let i = 0; i < 3; i++) {
      await t.http.get(`/r/${code}`).set('User-Agent', 'Mozilla/5.0 wxwork/4.1 MicroMessenger/7.0').expect(302);
    }
    let last: Record<string, number> = {};
    const after = await eventually(
      async () => {
        const now = await educate();
        last = now;
        return now.previews === before.previews + 4 && now.clicks === before.clicks + 3 ? now : undefined;
      },
      15_000,
      50,
      () => JSON.stringify({ before, last }),
    );
    expect(after.uniqueClicks).toBe(before.uniqueClicks + 1);
  });

  it('tells apart people behind the service’s proxy by the address it forwards', async () => {
    const before = await activateStage();
    const code = codeOf(1, 0);
    for (const address of ['198.51.100.1', '198.51.100.2', '198.51.100.2']) {
      await t.http
        .get(`/r/${code}`)
        .set('User-Agent', 'Mozilla/5.0 MicroMessenger/8.0.40')
        .set('X-Forwarded-For', address)
        .expect(302);
    }
    const after = await eventually(async () => {
      const now = await activateStage();
      return now.clicks === before.clicks + 3 ? now : undefined;
    });
    expect(after.uniqueClicks).toBe(before.uniqueClicks + 2);
  });

  it('counts one address as one clicker of a link, whatever browser it names', async () => {
    const before = await activateStage();
    for (let i = 0; i < 20; i++) {
      await t.http
        .get(`/r/${codeOf(1, 0)}`)
        .set('User-Agent', `Mozilla/5.0 MicroMessenger/8.0.${i}`)
        .set('X-Forwarded-For', '198.51.100.77')
        .expect(302);
    }
    const after = await eventually(async () => {
      const now = await activateStage();
      return now.clicks === before.clicks + 20 ? now : undefined;
    });
    expect(after.uniqueClicks).toBe(before.uniqueClicks + 1);
  });

  it('adds up: per stage, per step and per group, sent → clicks → orders', async () => {
    const funnel = (await viewer.get(`/v1/runs/${runId}/funnel`).expect(200)).body;
    expect(funnel.breakdown).toBe('step');
    expect(funnel.totals).toMatchObject({ sent: 6, conversions: 2, amount: 159.9 });
    expect(funnel.stages.map((s: { stage: string }) => s.stage)).toEqual(['activate', 'educate']);
    const keys = ['sent', 'clicks', 'uniqueClicks', 'previews', 'members', 'conversions'] as const;
    for (const key of keys) {
      const sum = (rows: Record<string, number>[]) => rows.reduce((s, r) => s + r[key], 0);
      expect({ key, sum: sum(funnel.stages) }).toEqual({ key, sum: funnel.totals[key] });
      for (const stage of funnel.stages) expect({ key, sum: sum(stage.rows) }).toEqual({ key, sum: stage[key] });
      expect({ key, sum: sum(funnel.top) }).toEqual({ key, sum: funnel.totals[key] });
    }
    // Two tracked groups of 200 and 300 members, two posts each; the plain group has no member count.
    expect(funnel.totals.members).toBe(1000);
    expect(funnel.totals.clicksPer100Members).toBe(Math.round((funnel.totals.uniqueClicks / 1000) * 10_000) / 100);
    expect(funnel.groupCount).toBe(3);
    expect(funnel.top[0]).toMatchObject({ groupId: groups[0].id, amount: 100, conversions: 1 });
    expect(funnel.bottom[0]).toMatchObject({ groupId: groups[2].id, amount: 0, clicksPer100Members: null });

    const stats = (await viewer.get(`/v1/content/${pieces[0]}/stats`).expect(200)).body;
    expect(stats.breakdown).toBe('source');
    expect(stats.totals).toMatchObject({ sent: 3, conversions: 1, amount: 59.9 });
    expect(stats.stages[0].rows).toEqual([expect.objectContaining({ key: `run:${runId}`, sent: 3 })]);
    await viewer.get('/v1/routines/00000000-0000-4000-8000-000000000000/funnel').expect(404);
    await viewer.get('/v1/runs/00000000-0000-4000-8000-000000000000/funnel').expect(404);
  });

  it('records every one of 1,000 clicks made 50 at a time', async () => {
    const before = (await viewer.get(`/v1/runs/${runId}/funnel`).expect(200)).body.totals.clicks as number;
    const address = t.app.getHttpServer().address() as { port: number };
    const code = codeOf(0, 0);
    let next = 0;
    const statuses: number[] = [];
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        while (next < 1000) {
          const i = next++;
          const response = await httpRequest(`http://127.0.0.1:${address.port}/r/${code}`, {
            headers: { 'user-agent': `Mozilla/5.0 MicroMessenger reader-${i}` },
          });
          await response.body.dump();
          statuses.push(response.statusCode);
        }
      }),
    );
    expect(statuses.filter((s) => s === 302)).toHaveLength(1000);
    await eventually(async () => {
      const totals = (await viewer.get(`/v1/runs/${runId}/funnel`).expect(200)).body.totals;
      return totals.clicks === before + 1000 ? totals : undefined;
    });
  });
});
