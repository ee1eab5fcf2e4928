import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * The far end of a delivery benchmark, in a process of its own so that it does not share the
 * service's CPU time slices: `webhook` answers 204 and records lateness from the body's dueAt;
 * `wecom` plays a robot that allows 20 messages in any rolling minute per key and refuses the
 * 21st with errcode 45009, as WeCom does.
 */
const mode = process.argv[2] === 'wecom' ? 'wecom' : 'webhook';
const WECOM_LIMIT = 20;
const WECOM_WINDOW_MS = 60_000;

let lateness: number[] = [];
let arrivals: number[] = [];
let refused = 0;
let byKey = new Map<string, number[]>();
/** webhook: arrival times per path (one path per group), and the webhook-ids seen. */
let byPath = new Map<string, number[]>();
let ids = new Set<string>();
let repeats = 0;

function reset(): void {
  lateness = [];
  arrivals = [];
  refused = 0;
  byKey = new Map();
  byPath = new Map();
  ids = new Set();
  repeats = 0;
}

/** The shortest time between two arrivals at one path: a group's minimum gap, as kept. */
function closest(): number | null {
  let least: number | null = null;
  for (const times of byPath.values()) {
    for (let i = 1; i < times.length; i++) least = Math.min(least ?? Infinity, times[i] - times[i - 1]);
  }
  return least;
}

/** The most messages one key got inside any window of `windowMs`. */
function busiestWindow(times: number[], windowMs: number): number {
  let most = 0;
  for (let start = 0, end = 0; end < times.length; end++) {
    while (times[end] - times[start] >= windowMs) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const now = Date.now();
    const url = new URL(req.url ?? '/', 'http://sink');
    if (url.pathname === '/__reset') {
      reset();
      return res.writeHead(204).end();
    }
    if (url.pathname === '/__stats') {
      const busiest = Math.max(0, ...[...byKey.values()].map((times) => busiestWindow(times, WECOM_WINDOW_MS)));
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(
        JSON.stringify({
          count: arrivals.length,
          lateness,
          firstAt: arrivals[0] ?? null,
          lastAt: arrivals.at(-1) ?? null,
          refused,
          keys: byKey.size,
          busiestMinute: busiest,
          repeats,
          closestMs: closest(),
        }),
      );
    }
    if (mode === 'wecom') {
      const key = url.searchParams.get('key') ?? '';
      const times = byKey.get(key) ?? byKey.set(key, []).get(key)!;
      const recent = times.filter((t) => now - t < WECOM_WINDOW_MS).length;
      res.writeHead(200, { 'content-type': 'application/json' });
      if (recent >= WECOM_LIMIT) {
        refused++;
        return res.end(JSON.stringify({ errcode: 45009, errmsg: 'api freq out of limit' }));
      }
      times.push(now);
      arrivals.push(now);
      return res.end(JSON.stringify({ errcode: 0, errmsg: 'ok' }));
    }
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data?: { dueAt?: string } };
    arrivals.push(now);
    const id = String(req.headers['webhook-id'] ?? '');
    if (ids.has(id)) repeats++;
    ids.add(id);
    (byPath.get(url.pathname) ?? byPath.set(url.pathname, []).get(url.pathname)!).push(now);
    if (body.data?.dueAt) lateness.push(now - Date.parse(body.data.dueAt));
    res.writeHead(204).end();
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => console.log(`sink listening on port ${(server.address() as AddressInfo).port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
