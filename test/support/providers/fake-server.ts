import { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { AddressInfo, Socket } from 'node:net';

export interface Received {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  /** The body's bytes, for uploads. */
  raw: Buffer;
  json?: unknown;
}

export interface Answer {
  status?: number;
  headers?: Record<string, string>;
  /** An object is sent as JSON, a string as plain text. */
  body?: unknown;
}

/** What the next request gets instead of the provider's normal behaviour. */
export type Override = Answer | { drop: true } | { delayMs: number } | { normal: true };

/**
 * A local HTTP server that plays a provider: the subclass decides each answer as the provider
 * would (status codes, error bodies, rate limits); tests can force the next answers (a 5xx, a
 * slow reply, a dropped connection).
 */
export abstract class FakeServer {
  readonly received: Received[] = [];
  /** When each request arrived (ms since epoch), in the order of `received`. */
  readonly arrivals: number[] = [];
  private readonly overrides: Override[] = [];
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  url = '';

  protected abstract answer(request: Received): Answer;

  /** The next requests get these, in order, before normal behaviour resumes. */
  next(...overrides: Override[]): this {
    this.overrides.push(...overrides);
    return this;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const body = raw.toString('utf8');
    const url = new URL(req.url ?? '/', 'http://fake');
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      json = undefined;
    }
    const request: Received = {
      method: req.method ?? '',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body,
      raw,
      json,
    };
    this.received.push(request);
    this.arrivals.push(Date.now());
    const override = this.overrides.shift();
    if (override && 'drop' in override) {
      req.socket.destroy();
      return;
    }
    if (override && 'delayMs' in override) await new Promise((resolve) => setTimeout(resolve, override.delayMs));
    const answer = override && !('delayMs' in override) && !('normal' in override) ? override : this.answer(request);
    if (res.destroyed) return;
    const status = answer.status ?? 200;
    const isText = typeof answer.body === 'string';
    res.writeHead(status, {
      'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
      ...answer.headers,
    });
    if (status === 204 || answer.body === undefined) res.end();
    else res.end(isText ? answer.body : JSON.stringify(answer.body));
  }
}

/** Counts requests per key in a sliding window, as providers do for their rate limits. */
export class WindowCounter {
  private readonly hits = new Map<string, number[]>();
  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Records a request; false when it goes over the limit. */
  allow(key: string, now = Date.now()): boolean {
    const recent = (this.hits.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (recent.length >= this.limit) {
      this.hits.set(key, recent);
      return false;
    }
    recent.push(now);
    this.hits.set(key, recent);
    return true;
  }

  /** Forgets every request: the next test starts with a full window, however soon it runs. */
  clear(): void {
    this.hits.clear();
  }
}

/** The fields and files of a multipart/form-data body, as the provider would read them. */
export function multipart(request: Received): Map<string, Buffer> {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(String(request.headers['content-type']));
  const fields = new Map<string, Buffer>();
  if (!boundary) return fields;
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  let at = request.raw.indexOf(delimiter);
  while (at !== -1) {
    const next = request.raw.indexOf(delimiter, at + delimiter.length);
    if (next === -1) break;
    const part = request.raw.subarray(at + delimiter.length + 2, next - 2);
    const headerEnd = part.indexOf('\r\n\r\n');
    const name = /name="([^"]+)"/.exec(part.subarray(0, headerEnd).toString('utf8'));
    if (name) fields.set(name[1], part.subarray(headerEnd + 4));
    at = next;
  }
  return fields;
}
