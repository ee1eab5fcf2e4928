import { api } from './api';
import type { RequestWith } from './test-app';
import type { PostView } from './views';

/**
 * The one way tests wait: polls `probe` until it returns a value other than undefined, or fails
 * at the deadline with what `explain` says of the last state.
 */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs = 15_000,
  intervalMs = 50,
  explain: () => string = () => '',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms${explain() ? `: ${explain()}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Every post of a run, all pages. */
export async function postsOf<T = PostView>(as: RequestWith, runId: string): Promise<T[]> {
  let all: T[] = [];
  for (let next: string | null = ''; next !== null;) {
    const page = await api(as).posts.list({ runId, pageSize: 100, after: next || undefined });
    all = [...all, ...(page.items as T[])];
    next = page.next;
  }
  return all;
}

/** Polls the posts of a run until `done` holds for them, or fails at the deadline. */
export async function waitForPosts<T extends { status: string } = PostView>(
  as: RequestWith,
  runId: string,
  done: (posts: T[]) => boolean,
  timeoutMs = 30_000,
): Promise<T[]> {
  let posts: T[] = [];
  return eventually(
    async () => {
      posts = await postsOf<T>(as, runId);
      return done(posts) ? posts : undefined;
    },
    timeoutMs,
    100,
    () => {
      const counts = posts.reduce<Record<string, number>>(
        (acc, p) => ({ ...acc, [p.status]: (acc[p.status] ?? 0) + 1 }),
        {},
      );
      return `posts of run ${runId}: ${JSON.stringify(counts)}`;
    },
  );
}
