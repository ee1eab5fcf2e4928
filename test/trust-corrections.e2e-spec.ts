import {
  CampaignFactory,
  ChannelFactory,
  ContentFactory,
  GroupFactory,
  createKey,
  publishedPieces,
} from './support/factories';
import { waitForPosts } from './support/poll';
import { RequestWith, TestApp, createTestApp } from './support/test-app';
import { PostView } from './support/views';

describe('trust: a scheduled post can still be corrected or pulled', () => {
  let t: TestApp;
  let editor: RequestWith;
  let planner: RequestWith;
  let channelId: string;
  let serial = 0;

  beforeAll(async () => {
    // The api role alone: posts wait, nothing is sent.
    t = await createTestApp({ ROLE: 'api' });
    editor = t.as(await createKey(t, 'editor'));
    planner = t.as(await createKey(t, 'planner'));
    channelId = (await ChannelFactory.create(t, 'console')).id;
  });
  afterAll(() => t.close());

  /** Two groups and a run of `pieces` starting in an hour. */
  async function launch(pieces: string[], body: Record<string, unknown> = {}) {
    const tag = `fix-${++serial}`;
    for (let i = 0; i < 2; i++) await GroupFactory.create(t, channelId, { tags: [tag] });
    const campaign = await CampaignFactory.create(planner, pieces, Array(pieces.length).fill({ after: 'PT1H' }));
    const run = await planner
      .post(`/v1/campaigns/${campaign.id}/runs`)
      .send({ audience: { tags: [tag] }, ...body })
      .expect(201);
    return { campaignId: campaign.id, runId: run.body.id as string };
  }

  const postsOf = (runId: string) => waitForPosts<PostView>(planner, runId, () => true);

  async function publishFix(pieceId: string) {
    await editor
      .patch(`/v1/content/${pieceId}`)
      .send({ fields: { text: '修正后的内容' } })
      .expect(200);
    return (await editor.post(`/v1/content/${pieceId}/publish`).send({}).expect(200)).body as {
      publishedRevision: number;
    };
  }

  it('sends a correction published after launch to the posts not yet sent; a run that pins keeps the launch revision', async () => {
    const [piece] = await publishedPieces(editor, ['有错字的早报']);
    const following = await launch([piece]);
    const pinned = await launch([piece], { pinRevisions: true });
    expect((await postsOf(following.runId)).map((p) => p.revision)).toEqual([1, 1]);
    expect((await publishFix(piece)).publishedRevision).toBe(2);
    expect((await postsOf(following.runId)).map((p) => p.revision)).toEqual([2, 2]);
    expect((await postsOf(pinned.runId)).map((p) => p.revision)).toEqual([1, 1]);
    expect((await planner.get(`/v1/runs/${pinned.runId}`).expect(200)).body.pinRevisions).toBe(true);
  });

  it('skips the unsent posts of an archived piece, with the reason, and leaves the other steps', async () => {
    const pieces = await publishedPieces(editor, ['留下', '撤回']);
    const { runId } = await launch(pieces);
    const archived = await editor.post(`/v1/content/${pieces[1]}/archive`).send({}).expect(200);
    const posts = await postsOf(runId);
    expect(posts.filter((p) => p.step === 0).map((p) => p.status)).toEqual(['scheduled', 'scheduled']);
    expect(posts.filter((p) => p.step === 1).map((p) => [p.status, p.error])).toEqual(
      Array(2).fill(['skipped', `content ${archived.body.slug} was archived`]),
    );
  });

  it('refuses to archive a campaign whose runs are live (409 naming them) until they are cancelled', async () => {
    const pieces = await publishedPieces(editor, ['活动']);
    const { campaignId, runId } = await launch(pieces);
    const refused = await planner.post(`/v1/campaigns/${campaignId}/archive`).expect(409);
    expect(refused.body.details).toEqual([{ field: 'runs', message: `run ${runId} is running` }]);
    await planner.post(`/v1/runs/${runId}/cancel`).expect(200);
    await planner.post(`/v1/campaigns/${campaignId}/archive`).expect(200);
  });

  it('makes no revision for a PATCH that changes nothing', async () => {
    const piece = await ContentFactory.create(editor, 'custom', { fields: { text: '原文' }, tags: ['a'] });
    const same = await editor
      .patch(`/v1/content/${piece.id}`)
      .send({ fields: { text: '原文' }, tags: [' a '] })
      .expect(200);
    expect({ revision: same.body.revision, version: same.body.version }).toEqual({
      revision: piece.revision,
      version: piece.version,
    });
    expect((await editor.get(`/v1/content/${piece.id}/revisions`).expect(200)).body.total).toBe(1);
  });

  it('applies concurrent edits and publishes that name no version one after the other, without a 409', async () => {
    const piece = await ContentFactory.create(editor, 'custom', { fields: { text: '0' } });
    const edits = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        editor.patch(`/v1/content/${piece.id}`).send({ fields: { text: `第 ${i + 1} 版` } }),
      ),
    );
    expect(edits.map((r) => r.status)).toEqual(Array(8).fill(200));
    const publishes = await Promise.all(
      Array.from({ length: 8 }, () => editor.post(`/v1/content/${piece.id}/publish`).send({})),
    );
    expect(publishes.map((r) => r.status)).toEqual(Array(8).fill(200));
    const current = (await editor.get(`/v1/content/${piece.id}`).expect(200)).body;
    expect({ revision: current.revision, version: current.version }).toEqual({ revision: 9, version: 17 });
    // Naming a stale version is still a 409.
    await editor.patch(`/v1/content/${piece.id}`).set('If-Match', '"1"').send({ title: 'stale' }).expect(409);
  });
});
