import Redis from 'ioredis';
import { createConnection } from 'mysql2/promise';
import { plantedCanary } from './support/canary';
import { TEST_MYSQL_URL, TEST_REDIS_URL } from './support/test-env';

// Runs after every other test file (see support/sequencer.js).
describe('the shared MySQL and Redis after the whole suite', () => {
  const canary = plantedCanary();

  it('still hold the Redis key in database 0 that was planted before the first test', async () => {
    const redis = new Redis(TEST_REDIS_URL, { db: 0 });
    try {
      expect(await redis.get(canary.key)).toBe(canary.value);
    } finally {
      await redis.quit();
    }
  });

  it('still hold the canary database, and its MEMORY table was not emptied by a restart', async () => {
    const mysql = await createConnection({ uri: TEST_MYSQL_URL });
    try {
      const [rows] = await mysql.query(`SELECT value FROM \`${canary.database}\`.canary`);
      expect(rows).toEqual([{ value: canary.value }]);
    } finally {
      await mysql.end();
    }
  });
});
