import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';
import { createConnection } from 'mysql2/promise';
import { TEST_MYSQL_URL, TEST_REDIS_URL } from './test-env';

/**
 * A key in Redis database 0 and a database in MySQL that belong to nobody in the suite. The last
 * test file checks they are still there, so a test that flushes or restarts a shared server fails.
 * The row sits in a MEMORY table, which a server restart empties.
 */
export interface Canary {
  key: string;
  database: string;
  value: string;
}

const FILE = join(__dirname, '..', '..', '.jest-canary.json');

export async function plantCanary(): Promise<void> {
  const id = `${process.pid}_${randomBytes(4).toString('hex')}`;
  const canary: Canary = { key: `gccanary:${id}`, database: `gccanary_${id}`, value: randomBytes(8).toString('hex') };
  const redis = new Redis(TEST_REDIS_URL, { db: 0 });
  await redis.set(canary.key, canary.value);
  await redis.quit();
  const mysql = await createConnection({ uri: TEST_MYSQL_URL });
  await mysql.query(`CREATE DATABASE \`${canary.database}\``);
  await mysql.query(`CREATE TABLE \`${canary.database}\`.canary (value VARCHAR(32) NOT NULL) ENGINE=MEMORY`);
  await mysql.query(`INSERT INTO \`${canary.database}\`.canary VALUES (?)`, [canary.value]);
  await mysql.end();
  writeFileSync(FILE, JSON.stringify(canary));
}

export function plantedCanary(): Canary {
  return JSON.parse(readFileSync(FILE, 'utf8')) as Canary;
}

export async function removeCanary(): Promise<void> {
  let canary: Canary;
  try {
    canary = plantedCanary();
  } catch {
    return;
  }
  const redis = new Redis(TEST_REDIS_URL, { db: 0 });
  await redis.del(canary.key);
  await redis.quit();
  const mysql = await createConnection({ uri: TEST_MYSQL_URL });
  await mysql.query(`DROP DATABASE IF EXISTS \`${canary.database}\``);
  await mysql.end();
  rmSync(FILE, { force: true });
}
