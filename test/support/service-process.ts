import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deleteRedisPrefix, dropDatabase, removeMediaCache } from './cleanup';
import { eventually } from './poll';

export const MAIN = join(__dirname, '..', '..', 'dist', 'main.js');

/**
 * The home of every spawned process that names none: a service started without SECRETS_KEYS makes
 * its sealing key under its home, which must not be the home of the user running the tests.
 */
const TEST_HOME = join(tmpdir(), 'groupcast-test-home');

/** The built service (`npm run build`), or another Node script given by its arguments, as a child process with its output collected. */
export class ServiceProcess {
  readonly child: ChildProcess;
  private text = '';
  /** Standard output alone (the JSON log). */
  stdout = '';
  readonly exited: Promise<number | null>;

  constructor(env: Record<string, string>, args: string[] = [MAIN]) {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build first`);
    this.child = spawn(process.execPath, args, {
      env: { PATH: process.env.PATH ?? '', TZ: 'UTC', HOME: TEST_HOME, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.on('data', (chunk: Buffer) => {
      this.text += chunk.toString();
      this.stdout += chunk.toString();
    });
    this.child.stderr?.on('data', (chunk: Buffer) => (this.text += chunk.toString()));
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  get output(): string {
    return this.text;
  }

  /** Why the process refused to start: the message of its one fatal log line. */
  get refusal(): string | undefined {
    for (const line of this.text.split('\n')) {
      if (!line.startsWith('{')) continue;
      const entry = JSON.parse(line) as { level?: number; msg?: string };
      if (entry.level === 60) return entry.msg;
    }
    return undefined;
  }

  /** Resolves with the first match of `pattern` in the output; rejects at the deadline or on exit. */
  async waitFor(pattern: RegExp, timeoutMs = 20000): Promise<RegExpMatchArray> {
    let exited = false;
    void this.exited.then(() => (exited = true));
    return eventually(
      async () => {
        const match = this.text.match(pattern);
        if (!match && exited) throw new Error(`process exited before printing ${pattern}:\n${this.text}`);
        return match ?? undefined;
      },
      timeoutMs,
      50,
      () => `no ${pattern} in the output:\n${this.text}`,
    );
  }

  /** SIGTERM, and SIGKILL if the process has not stopped by the deadline. */
  async stop(timeoutMs = 15_000): Promise<number | null> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.exited;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * Service processes a test starts, each on its own database, prefix and key file: `stopAll` (in
 * an afterEach) stops them and removes what they made.
 */
export function startedServices() {
  const started: { process: ServiceProcess; env: Record<string, string> }[] = [];
  return {
    start(env: Record<string, string>): ServiceProcess {
      const process = new ServiceProcess(env);
      started.push({ process, env });
      return process;
    },
    async stopAll(): Promise<void> {
      for (const { process, env } of started.splice(0)) {
        await process.stop();
        await dropDatabase(env.DATABASE_URL);
        await deleteRedisPrefix(env.QUEUE_PREFIX);
        if (env.MEDIA_CACHE_DIR) await removeMediaCache(env.MEDIA_CACHE_DIR);
      }
    },
  };
}
