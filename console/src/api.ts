import { useQuery } from '@tanstack/react-query';

/** The console's only door to groupcast: the public /v1 API, with the key kept in session storage. */
const KEY = 'groupcast.key';

export const session = {
  key: (): string | null => sessionStorage.getItem(KEY),
  save: (key: string) => sessionStorage.setItem(KEY, key),
  clear: () => sessionStorage.removeItem(KEY),
};

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function api<T>(path: string, init: { method?: string; body?: unknown; key?: string } = {}): Promise<T> {
  const key = init.key ?? session.key();
  const response = await fetch(path, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: {
      ...(key ? { Authorization: `Bearer ${key}` } : {}),
      ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  const data = text ? (JSON.parse(text) as unknown) : undefined;
  if (!response.ok) {
    const message = (data as { message?: string } | undefined)?.message ?? response.statusText;
    throw new ApiError(response.status, message);
  }
  return data as T;
}

export const post = <T>(path: string, body: unknown = {}) => api<T>(path, { method: 'POST', body });

/** The groups (the first 100 by name), shared by every page that names or picks one. */
export const useGroups = (enabled = true) =>
  useQuery({
    queryKey: ['groups', 'all'],
    queryFn: () => api<Page<Group>>('/v1/groups?pageSize=100'),
    enabled,
    retry: false,
  });

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
  minGapMinutes: number | null;
  dailyCap: number | null;
  promoCap: number | null;
}
