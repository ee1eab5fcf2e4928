import { redisEnv } from './support/test-env';
import { join } from 'node:path';
import {
  CampaignFactory,
  ChannelFactory,
  ContentFactory,
  GroupFactory,
  createKey,
  publishedPieces,
} from './support/factories';
import { eventually, waitForPosts } from './support/poll';
import { PictureServer, png } from './support/providers/pictures';
import { ServiceProcess } from './support/service-process';
import { RequestWith, TestApp, createTestApp } from './support/test-app';

const GATEWAY = join(__dirname, '..', 'gateways', 'wechaty', 'src', 'main.mjs');
const QUOTA = 3;
const WINDOW_MS = 4000;

/** A gateway process on the mock puppet; what its rooms hear is pushed to `said`. */
function startGateway(t: TestApp, channel: string, env: Record<string, string>, said: Said[]): ServiceProcess {
  const gateway = new ServiceProcess(
    {
      ...redisEnv(t.config),
      CHANNEL: channel,
      WECHATY_PUPPET: 'mock',
      WECHATY_MOCK_ROOMS: '杭州宝妈群',
      WECHATY_JITTER_MS: '100-300',
      ...env,
    },
    [GATEWAY],
  );
  gateway.child.stdout?.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      if (line.startsWith('{"said"')) said.push({ ...(JSON.parse(line) as { said: Said }).said, at: Date.now() });
    }
  });
  return gateway;
}

interface Said {
  room: string;
  type: 'text' | 'file';
  text: string;
  at: number;
}

describe('personal WeChat groups through the Wechaty gateway', () => {
  let t: TestApp;
  let planner: RequestWith;
  let gateway: ServiceProcess;
  const pictures = new PictureServer();
  const said: Said[] = [];
  const channelName = `wechat-${Date.now()}`;
  let channelId: string;

  beforeAll(async () => {
    t = await createTestApp({ ROLE: 'all', SCHEDULER_TICK_MS: '100' });
    planner = t.as(await createKey(t, 'planner'));
    await pictures.start();
    pictures.files.set('/moon.png', { type: 'image/png', body: png(4096) });
    channelId = (await ChannelFactory.create(t, 'external', { name: channelName })).id;
    gateway = startGateway(
      t,
      channelName,
      { WECHATY_DAILY_QUOTA: String(QUOTA), WECHATY_QUOTA_WINDOW_MS: String(WINDOW_MS) },
      said,
    );
    await gateway.waitFor(/consuming posts\.external\./, 60_000);
  }, 90_000);
  afterAll(async () => {
    await gateway?.stop();
    await t.close();
    await pictures.stop();
  });

  /** A campaign of these pieces, one step each at once, launched to the group; its posts once all are sent. */
  const sendAll = async (groupId: string, pieces: string[]) => {
    const campaign = await CampaignFactory.create(planner, pieces, Array(pieces.length).fill({ after: 'PT0S' }));
    const run = await planner
      .post(`/v1/campaigns/${campaign.id}/runs`)
      .send({ audience: { groupIds: [groupId] } })
      .expect(201);
    return waitForPosts<{ id: string; step: number; status: string }>(
      planner,
      run.body.id,
      (all) => all.length === pieces.length && all.every((p) => p.status === 'sent'),
      60_000,
    );
  };

  it('shows the gateway’s account on the channel', async () => {
    const channel = await eventually(async () => {
      const body = (await planner.get(`/v1/channels/${channelId}`).expect(200)).body;
      return body.gateway?.loggedInAs ? body : undefined;
    });
    expect(channel.gateway).toMatchObject({ loggedInAs: '小助手', quota: QUOTA, sentInWindow: 0 });
  });

  it('says a five-stage run in the room in order, text then picture, and holds the account at its quota until the window passes', async () => {
    const editor = t.as(await createKey(t, 'editor'));
    const texts = await publishedPieces(editor, ['第一步 破冰', '第二步 种草', '第三步 需求', '第四步 情绪']);
    const poster = await ContentFactory.create(editor, 'goodnight_poster', {
      title: '晚安',
      fields: { image: `${pictures.url}/moon.png`, line: '第五步 晚安好梦' },
    });
    await editor.post(`/v1/content/${poster.id}/publish`).send({}).expect(200);
    const group = await GroupFactory.create(t, channelId, {
      address: '杭州宝妈群',
      tags: [channelName],
      quietHours: null,
      minGapMinutes: 'off',
    });
    const posts = await sendAll(group.id, [...texts, poster.id]);
    expect(said.map((s) => [s.type, s.text.split('\n')[0]])).toEqual([
      ['text', '第一步 破冰'],
      ['text', '第二步 种草'],
      ['text', '第三步 需求'],
      ['text', '第四步 情绪'],
      ['text', '🌙 第五步 晚安好梦'],
      ['file', expect.any(String)],
    ]);
    // The fourth waited for the quota window: the gateway said when to try again, and groupcast did.
    const fourth = posts.find((p) => p.step === 3)!;
    const log = (await planner.get(`/v1/posts/${fourth.id}`).expect(200)).body.attemptLog as {
      outcome: string;
      error: string;
    }[];
    expect(log[0]).toMatchObject({ outcome: 'rate', error: expect.stringContaining(`quota of ${QUOTA} sends`) });
    const gap = said[3].at - said[2].at;
    expect(gap).toBeGreaterThan(1000);
    expect(gap).toBeLessThan(WINDOW_MS + 5000);
    console.log(
      `Wechaty gateway pacing: gaps between sends ${said
        .slice(1)
        .map((s, i) => s.at - said[i].at)
        .join(', ')} ms (quota ${QUOTA} per ${WINDOW_MS} ms, jitter 100-300 ms)`,
    );
  }, 90_000);

  it('pauses the account when WeChat says too frequent, and sends again when the pause is over', async () => {
    const name = `wechat-busy-${Date.now()}`;
    const busyChannel = (await ChannelFactory.create(t, 'external', { name })).id;
    const heard: Said[] = [];
    const busy = startGateway(t, name, { WECHATY_MOCK_TOO_FREQUENT: '2', WECHATY_PAUSE_MS: '1500' }, heard);
    try {
      await busy.waitFor(/consuming posts\.external\./, 60_000);
      const group = await GroupFactory.create(t, busyChannel, {
        address: '杭州宝妈群',
        tags: [name],
        quietHours: null,
        minGapMinutes: 'off',
      });
      const pieces = await publishedPieces(t.as(await createKey(t, 'editor')), ['甲', '乙', '丙']);
      const posts = await sendAll(group.id, pieces);
      expect(heard.map((s) => s.text)).toEqual(['甲', '乙', '丙']);
      const second = posts.find((p) => p.step === 1)!;
      const log = (await planner.get(`/v1/posts/${second.id}`).expect(200)).body.attemptLog as {
        outcome: string;
        error: string;
      }[];
      expect(log[0]).toMatchObject({ outcome: 'rate', error: expect.stringContaining('too frequent') });
      expect(heard[1].at - heard[0].at).toBeGreaterThanOrEqual(1500);
    } finally {
      await busy.stop();
    }
  }, 90_000);
});
