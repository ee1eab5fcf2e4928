import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { deleteRedisPrefix, dropDatabase } from './support/cleanup';
import { isolatedEnv } from './support/test-env';

describe('npm run demo', () => {
  it('shows the five stages arrive in each of the three groups', async () => {
    const env = isolatedEnv();
    const child = spawn(process.execPath, [join(__dirname, '..', 'dist', 'demo.js')], {
      env: { PATH: process.env.PATH ?? '', TZ: 'UTC', DATABASE_URL: env.DATABASE_URL, QUEUE_PREFIX: env.QUEUE_PREFIX },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
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
    } finally {
      await dropDatabase(env.DATABASE_URL);
      await deleteRedisPrefix(env.QUEUE_PREFIX);
    }
  }, 90_000);
});
