import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import request from 'supertest';
import { databaseExists } from '../src/database/prepare-database';
import { freePort } from './support/own-servers';
import { ServiceProcess, startedServices } from './support/service-process';
import { ADMIN_KEY, isolatedEnv } from './support/test-env';

const BUILD_IF_STALE = join(__dirname, '..', 'scripts', 'build-if-stale.mjs');

/** Every line a process wrote, parsed: a line that is not JSON fails the test. */
const logLines = (output: string) =>
  output
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { level: number; msg: string });

describe('a new user’s first runs', () => {
  const services = startedServices();
  const service = services.start;
  afterEach(() => services.stopAll());

  describe('npm start builds only when a source is newer than the build', () => {
    let root: string;
    const run = () => spawnSync(process.execPath, [BUILD_IF_STALE], { cwd: root, encoding: 'utf8' });
    const age = (path: string, seconds: number) => {
      const at = new Date(Date.now() - seconds * 1000);
      utimesSync(join(root, path), at, at);
    };

    beforeAll(() => {
      // A checkout in miniature whose build writes a mark instead of compiling.
      root = mkdtempSync(join(tmpdir(), 'gc-start-'));
      for (const dir of ['src', 'console/src', 'dist', 'console/dist']) mkdirSync(join(root, dir), { recursive: true });
      writeFileSync(join(root, 'package.json'), JSON.stringify({ scripts: { build: 'echo built >> built.txt' } }));
      writeFileSync(join(root, 'src/main.ts'), '');
      writeFileSync(join(root, 'console/src/app.tsx'), '');
      writeFileSync(join(root, 'dist/main.js'), '');
      writeFileSync(join(root, 'console/dist/index.html'), '');
      for (const source of ['src/main.ts', 'console/src/app.tsx', 'src', 'console/src', 'package.json'])
        age(source, 60);
    });
    afterAll(() => rmSync(root, { recursive: true, force: true }));

    it('starts without building when nothing changed', () => {
      const result = run();
      expect({ status: result.status, out: result.stdout }).toEqual({ status: 0, out: '' });
      expect(existsSync(join(root, 'built.txt'))).toBe(false);
    });

    it('builds when a server or console source changed since', () => {
      writeFileSync(join(root, 'console/src/app.tsx'), 'changed');
      const result = run();
      expect(result.status).toBe(0);
      expect(result.stdout).toContain('building (sources changed since the last build)');
      expect(readFileSync(join(root, 'built.txt'), 'utf8')).toBe('built\n');
    });

    it('builds when there is no build yet', () => {
      rmSync(join(root, 'dist/main.js'));
      expect(run().stdout).toContain('building (no build yet)');
    });
  });

  it('refuses a port in use before making a database, in one JSON line', async () => {
    const port = await freePort();
    const holder: Server = createServer();
    await new Promise<void>((resolve) => holder.listen(port, '0.0.0.0', resolve));
    try {
      const env = isolatedEnv({ PORT: String(port), LOG_LEVEL: 'info' });
      const process = service(env);
      expect(await process.exited).toBe(1);
      expect(process.refusal).toBe(
        `groupcast cannot start: PORT: ${port} is in use by another process; stop it or set PORT`,
      );
      expect(await databaseExists(env.DATABASE_URL)).toBe(false);
    } finally {
      holder.close();
    }
  });

  it('says in one JSON line, without a stack trace, that MySQL cannot be reached', async () => {
    const port = await freePort();
    const env = isolatedEnv({ DATABASE_URL: `mysql://root@127.0.0.1:${port}/gc_test_unreachable`, LOG_LEVEL: 'info' });
    // Not through service(): there is no database to drop afterwards.
    const process = new ServiceProcess(env);
    expect(await process.exited).toBe(1);
    const lines = logLines(process.output);
    expect(lines.filter((line) => line.level >= 50)).toEqual([
      expect.objectContaining({
        level: 60,
        msg: expect.stringMatching(
          new RegExp(
            `^groupcast cannot start: DATABASE_URL: MySQL at 127\\.0\\.0\\.1:${port} cannot be used: .*ECONNREFUSED`,
          ),
        ),
      }),
    ]);
    expect(process.output).not.toMatch(/\n\s+at /);
  }, 30_000);

  it('stops on SIGTERM without logging an error', async () => {
    const process = service(isolatedEnv({ ROLE: 'all', LOG_LEVEL: 'info' }));
    await process.waitFor(/listening on port \d+/);
    expect(await process.stop()).toBe(0);
    expect(logLines(process.output).filter((line) => line.level >= 50)).toEqual([]);
  });

  it('seals secrets by default with a key it makes once in a file of the user’s, which SECRETS_KEYS overrides', async () => {
    const env = isolatedEnv({ LOG_LEVEL: 'info' });
    const first = service(env);
    const port = (await first.waitFor(/listening on port (\d+)/))[1];
    expect(first.output).toContain(`sealed with a key made for this machine in ${env.SECRETS_KEY_FILE}`);
    expect(statSync(env.SECRETS_KEY_FILE).mode & 0o777).toBe(0o600);
    const token = `123456:${randomBytes(12).toString('hex')}`;
    const channel = await request(`http://127.0.0.1:${port}`)
      .post('/v1/channels')
      .set('Authorization', `Bearer ${ADMIN_KEY}`)
      .send({ name: '电报', type: 'telegram', credentials: { botToken: token } })
      .expect(201);
    const mysql = await createConnection({ uri: env.DATABASE_URL });
    try {
      const [rows] = await mysql.query('SELECT credentials FROM channels WHERE id = ?', [channel.body.id]);
      expect(JSON.stringify(rows)).toMatch(/sealed:v1:k1:/);
      expect(JSON.stringify(rows)).not.toContain(token.split(':')[1]);
    } finally {
      await mysql.end();
    }
    await first.stop();
    // The second start reads the same key and says nothing about it.
    const again = service({ ...env, PORT: '0' });
    await again.waitFor(/listening on port \d+/);
    expect(again.output).not.toContain('made for this machine');
    // SECRETS_KEYS, when set, is used instead: the file's key is not.
    const given = service({ ...env, PORT: '0', SECRETS_KEYS: `k9:${randomBytes(32).toString('base64')}` });
    await given.waitFor(/listening on port \d+/);
    expect(given.output).not.toContain('made for this machine');
  });
});
