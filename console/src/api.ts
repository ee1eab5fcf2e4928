import { useQueries, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';

/** The console's only door to groupcast: the public /v1 API, with the key kept in session storage. */
const KEY = 'groupcast.key';

/** Why the console signed out by itself, for the sign-in page to say. */
export type SignOutReason = 'revoked';

const signOutListeners = new Set<(reason: SignOutReason) => void>();

export const session = {
  key: (): string | null => sessionStorage.getItem(KEY),
  save: (key: string) => sessionStorage.setItem(KEY, key),
  clear: () => sessionStorage.removeItem(KEY),
  /** Told when the key stops working: every page stops asking at once. */
  onSignOut(listener: (reason: SignOutReason) => void): () => void {
    signOutListeners.add(listener);
    return () => signOutListeners.delete(listener);
  },
};

/** Whether the server answers: any answer says yes, a failed connection says no. */
const reachListeners = new Set<() => void>();
let reachable = true;
function setReachable(value: boolean): void {
  if (reachable === value) return;
  reachable = value;
  reachListeners.forEach((listener) => listener());
}
export const reach = {
  ok: () => reachable,
  subscribe(listener: () => void): () => void {
    reachListeners.add(listener);
    return () => reachListeners.delete(listener);
  },
};

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body?: { details?: { field: string; message: string }[]; retryAfter?: number },
  ) {
    super(message);
  }
}

export interface ApiInit {
  method?: string;
  body?: unknown;
  /** The key to try (signing in); otherwise this tab's key. */
  key?: string;
  headers?: Record<string, string>;
}

export async function api<T>(path: string, init: ApiInit = {}): Promise<T> {
  const key = init.key ?? session.key();
  let response: Response;
  try {
    response = await fetch(path, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: {
        ...(key ? { Authorization: `Bearer ${key}` } : {}),
        ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...init.headers,
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  } catch {
    setReachable(false);
    throw new ApiError(0, 'network');
  }
  setReachable(response.status !== 502 && response.status !== 503 && response.status !== 504);
  const text = await response.text();
  let data: unknown;
  try {
    data = text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    data = undefined;
  }
  if (!response.ok) {
    const body = data as { message?: string; details?: { field: string; message: string }[] } | undefined;
    const retryAfter = Number(response.headers.get('Retry-After')) || undefined;
    // A key that stops working mid-session (revoked): sign out everywhere, not only where it was seen.
    if (response.status === 401 && init.key === undefined && key) {
      session.clear();
      signOutListeners.forEach((listener) => listener('revoked'));
    }
    throw new ApiError(response.status, body?.message ?? response.statusText, { ...body, retryAfter });
  }
  return data as T;
}

export const post = <T>(path: string, body: unknown = {}, headers?: Record<string, string>) =>
  api<T>(path, { method: 'POST', body, headers });

/** Fetches a file the API makes (an export) with this tab's key and hands it to the browser to save. */
export async function download(path: string, fallbackName: string): Promise<void> {
  const key = session.key();
  const response = await fetch(path, { headers: key ? { Authorization: `Bearer ${key}` } : {} });
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { message?: string };
    throw new ApiError(response.status, body.message ?? response.statusText);
  }
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const named = /filename\*=UTF-8''([^;]+)/.exec(disposition)?.[1];
  const link = document.createElement('a');
  link.href = URL.createObjectURL(await response.blob());
  link.download = named ? decodeURIComponent(named) : fallbackName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

/** One key per intended action: a second click of the same launch is the same launch. */
export const idempotencyKey = () => crypto.randomUUID();

/** The tags groups carry, with how many groups each. */
export const useTags = (enabled = true) =>
  useQuery({
    queryKey: ['tags'],
    queryFn: () => api<{ tag: string; groups: number }[]>('/v1/groups/tags'),
    enabled,
  });

/** Groups whose name holds `q` (the first 20 by name): what a picker offers while the operator types. */
export const useGroupSearch = (q: string, enabled = true) =>
  useQuery({
    queryKey: ['groups', 'search', q],
    queryFn: () => api<Page<Group>>(`/v1/groups?pageSize=20${q.trim() ? `&q=${encodeURIComponent(q.trim())}` : ''}`),
    enabled,
    placeholderData: (previous) => previous,
  });

/** The named groups, however many: asked 100 ids at a time and kept, so a page names every group it shows. */
export function useGroupsById(ids: readonly string[], enabled = true): Map<string, Group> {
  const chunks = useMemo(() => {
    const unique = [...new Set(ids)].sort();
    return Array.from({ length: Math.ceil(unique.length / 100) }, (_, i) => unique.slice(i * 100, i * 100 + 100));
  }, [ids]);
  const answers = useQueries({
    queries: chunks.map((chunk) => ({
      queryKey: ['groups', 'ids', chunk],
      queryFn: () => api<Page<Group>>(`/v1/groups?pageSize=100&ids=${chunk.join(',')}`),
      enabled,
      staleTime: 60_000,
    })),
  });
  return useMemo(
    () => new Map(answers.flatMap((a) => a.data?.items ?? []).map((g) => [g.id, g])),
    [answers.map((a) => a.dataUpdatedAt).join()],
  );
}

export type Role = 'admin' | 'editor' | 'planner' | 'viewer' | 'integration';

export interface Post {
  id: string;
  runId: string | null;
  routineId: string | null;
  step: number | null;
  stage: string;
  groupId: string;
  channelType: string;
  contentId: string | null;
  dueAt: string;
  status: string;
  notBefore: string | null;
  deferReason: string | null;
  attempts: number;
  sentAt: string | null;
  errorCode: string | null;
  error: string | null;
  awaitingSince: string | null;
  remindedAt: string | null;
}

export interface Attempt {
  attemptedAt: string;
  latencyMs: number;
  outcome: string;
  code: string | null;
  error: string | null;
}

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  /** Null on a page of posts asked for with `after`. */
  total: number | null;
  /** Posts only: the `after` of the page that follows, null on the last. */
  next?: string | null;
}

export interface Group {
  id: string;
  name: string;
  channelId: string;
  timezone: string;
  status: string;
  pausedReason: string | null;
  consecutiveFailures: number;
  tags: string[];
  quietHours: string | null;
  minGapMinutes: number | 'off' | null;
  dailyCap: number | 'off' | null;
  promoCap: number | 'off' | null;
}
