import { join } from 'node:path';
import { databaseExists } from '../src/database/prepare-database';
import { deleteKeysUnder } from '../src/redis/redis-client';
import { deleteRedisPrefix, dropDatabase } from './support/cleanup';
import { ServiceProcess } from './support/service-process';
import { TEST_REDIS_TARGET } from './support/test-env';

const DEMO = join(__dirname, '..', 'dist', 'demo.js');

describe('npm run demo', () => {
  it('shows the five stages arrive in each of the three groups, then removes the database and keys it made', async () => {
    // As a new user runs it: nothing set, the local MySQL and Redis.
    const demo = new ServiceProcess({}, [DEMO]);
    const code = await demo.exited;
    const output = demo.output;
    const [, database, keys, prefix] =
      /removed the demo's database (\S+) and its (\d+) Redis keys under (\S+):/.exec(output) ?? [];
    const databaseUrl = `mysql://root@127.0.0.1:3306/${database}`;
    try {
      expect({ code, tail: code === 0 ? '' : output.slice(-2000) }).toEqual({ code: 0, tail: '' });
      for (const group of [
        '上海鲜食社 · Asia/Shanghai',
        '新加坡鲜食团 · Asia/Singapore',
        '柏林华人鲜食群 · Europe/Berlin',
      ]) {
        const stages = [...output.matchAll(new RegExp(`📣 ${group} · (\\w+)`, 'g'))].map((m) => m[1]);
        expect({ group, stages }).toEqual({
          group,
          stages: ['activate', 'educate', 'trigger_need', 'trigger_emotion', 'close'],
        });
      }
      expect(output).toContain('✔ every stage arrived in every group');
      expect({ database, keys: Number(keys) > 0 }).toEqual({
        database: expect.stringMatching(/^groupcast_demo_[0-9a-f]{8}$/),
        keys: true,
      });
      // Checked against the servers themselves.
      expect(await databaseExists(databaseUrl)).toBe(false);
      expect(await deleteKeysUnder(prefix, TEST_REDIS_TARGET)).toBe(0);
    } finally {
      if (database) await dropDatabase(databaseUrl);
      if (prefix) await deleteRedisPrefix(prefix);
    }
  }, 90_000);
});
