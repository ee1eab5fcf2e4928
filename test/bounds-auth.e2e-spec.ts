import { createKey } from './support/factories';
import { TestApp, createTestApp } from './support/test-app';

describe('bounds: a client guessing keys never locks out valid ones from its address', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ AUTH_FAILURES_PER_MINUTE: '5' });
  });
  afterAll(() => t.close());

  it('answers 429 to the guesses past the budget and 200 to every valid key from the same address, used before or not', async () => {
    // Keys made before the guessing and never used since: this process has not seen them yet.
    const viewer = await createKey(t, 'viewer');
    const planner = await createKey(t, 'planner');
    const guesses: number[] = [];
    for (let i = 0; i < 8; i++) guesses.push((await t.as(`gck_guess_${i}`).get('/v1/groups')).status);
    expect(guesses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    await t.as(viewer).get('/v1/groups').expect(200);
    await t.as(planner).get('/v1/policies').expect(200);
    // A key made while the address is throttled gets in too.
    const editor = await createKey(t, 'editor');
    await t.as(editor).get('/v1/content').expect(200);
    await t.as('gck_guess_again').get('/v1/groups').expect(429);
    // A revoked key is unknown again, and refused like any guess.
    const keys = (await t.admin.get('/v1/api-keys').expect(200)).body as { id: string; role: string }[];
    await t.admin.delete(`/v1/api-keys/${keys.find((k) => k.role === 'editor')!.id}`).expect(204);
    await t.as(editor).get('/v1/content').expect(429);
  });
});
