import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { createConnection } from 'mysql2/promise';
import { eventually } from './poll';

/** A port nothing listens on right now, on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * A database or Redis server that a test starts for itself, in a temporary directory on a free
 * port, so that it may kill, flush or restart it without touching anyone else's server.
 */
abstract class OwnServer {
  readonly dir = mkdtempSync(join(tmpdir(), 'groupcast-own-'));
  port = 0;
  private child?: ChildProcess;
  private exited?: Promise<unknown>;
  private log = '';

  protected abstract command(): [string, string[]];
  protected abstract ping(): Promise<boolean>;
  abstract get url(): string;

  async start(): Promise<this> {
    if (!this.port) this.port = await freePort();
    const [file, args] = this.command();
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (chunk: Buffer) => (this.log += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.log += chunk.toString()));
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', resolve));
    let gone = false;
    void this.exited.then(() => (gone = true));
    await eventually(
      async () => {
        if (gone) throw new Error(`${file} exited at start:\n${this.log}`);
        return (await this.ping()) ? true : undefined;
      },
      60_000,
      100,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${this.log}`);
    });
    return this;
  }

  /** Kills the server as a crash would (SIGKILL) and waits until it is gone. */
  async kill(): Promise<void> {
    this.child?.kill('SIGKILL');
    await this.exited;
  }

  /** Stops the server and removes its directory. */
  async stop(): Promise<void> {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child?.kill('SIGKILL'), 20_000);
      await this.exited;
      clearTimeout(timer);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export class OwnRedis extends OwnServer {
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get env(): Record<string, string> {
    return { REDIS_URL: this.url };
  }

  /** Empties every database of this server (and only this one: it is ours). */
  async flush(): Promise<void> {
    const redis = new Redis({ host: '127.0.0.1', port: this.port });
    await redis.flushall().finally(() => redis.quit()); // port: this.port, the server this test started
  }

  protected command(): [string, string[]] {
    return [
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.dir],
    ];
  }

  protected async ping(): Promise<boolean> {
    const redis = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    try {
      await redis.connect();
      return (await redis.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      redis.disconnect();
    }
  }
}

/**
 * A Redis Cluster of three masters this test starts for itself (scripts/redis-cluster.mjs), for the
 * fault tests when the suite runs on a cluster; flushing empties every master of this cluster.
 */
export class OwnRedisCluster {
  readonly dir = mkdtempSync(join(tmpdir(), 'groupcast-own-cluster-'));
  nodes = '';

  get url(): string {
    return `redis://${this.nodes.split(',')[0]}`;
  }

  /** What a process needs besides REDIS_URL to use this cluster. */
  get env(): Record<string, string> {
    return { REDIS_URL: this.url, REDIS_CLUSTER_NODES: this.nodes };
  }

  async start(): Promise<this> {
    this.nodes = execFileSync(
      'node',
      [join(__dirname, '..', '..', 'scripts', 'redis-cluster.mjs'), 'start', this.dir],
      {
        encoding: 'utf8',
      },
    ).trim();
    return this;
  }

  async flush(): Promise<void> {
    for (const node of this.nodes.split(',')) {
      const [host, port] = node.split(':');
      const redis = new Redis({ host, port: Number(port) });
      await redis.flushall().finally(() => redis.quit()); // a master of the cluster this test started
    }
  }

  async stop(): Promise<void> {
    execFileSync('node', [join(__dirname, '..', '..', 'scripts', 'redis-cluster.mjs'), 'stop', this.dir]);
  }
}

export class OwnMariadb extends OwnServer {
  private readonly data = join(this.dir, 'data');

  /** `bufferPool`: InnoDB's buffer pool, for a benchmark whose tables are larger than the default's 128 MB. */
  constructor(private readonly options: { bufferPool?: string } = {}) {
    super();
  }

  get url(): string {
    return `mysql://root@127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    if (!this.port) {
      execFileSync(
        'mariadb-install-db',
        [
          '--no-defaults',
          `--datadir=${this.data}`,
          '--user=root',
          '--auth-root-authentication-method=normal',
          '--skip-test-db',
        ],
        {
          stdio: 'ignore',
        },
      );
    }
    return super.start();
  }

  protected command(): [string, string[]] {
    return [
      'mariadbd',
      [
        '--no-defaults',
        `--datadir=${this.data}`,
        '--user=root',
        `--port=${this.port}`,
        '--bind-address=127.0.0.1',
        `--socket=${join(this.dir, 'mysqld.sock')}`,
        `--pid-file=${join(this.dir, 'mysqld.pid')}`,
        `--innodb-buffer-pool-size=${this.options.bufferPool ?? '128M'}`,
        '--max-connections=500',
      ],
    ];
  }

  protected async ping(): Promise<boolean> {
    try {
      const connection = await createConnection({ uri: this.url, connectTimeout: 1000 });
      await connection.end();
      return true;
    } catch {
      return false;
    }
  }
}
