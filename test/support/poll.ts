import { RequestWith } from './test-app';

/** Polls the posts of a run until `done` holds for them, or fails at the deadline. */
export async function waitForPosts<T extends { status: string }>(
  as: RequestWith,
  runId: string,
  done: (posts: T[]) => boolean,
  timeoutMs = 30_000,
): Promise<T[]> {
  const deadline = Date.now() + timeoutMs;
  let posts: T[] = [];
  for (;;) {
    const page = await as.get(`/v1/posts?runId=${runId}&pageSize=100`).expect(200);
    posts = page.body.items as T[];
    let all = posts;
    for (let p = 2; all.length < page.body.total; p++) {
      all = [
        ...all,
        ...((await as.get(`/v1/posts?runId=${runId}&pageSize=100&page=${p}`).expect(200)).body.items as T[]),
      ];
    }
    if (done(all)) return all;
    if (Date.now() > deadline) {
      const counts = all.reduce<Record<string, number>>(
        (acc, p) => ({ ...acc, [p.status]: (acc[p.status] ?? 0) + 1 }),
        {},
      );
      throw new Error(`posts of run ${runId} not done within ${timeoutMs} ms: ${JSON.stringify(counts)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
