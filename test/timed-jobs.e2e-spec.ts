import { SchedulerRegistry } from '@nestjs/schedule';
import Redis from 'ioredis';
import { eventually } from './support/poll';
import { createTestApp } from './support/test-app';
import { TEST_REDIS_URL } from './support/test-env';

describe('the worker’s timed jobs', () => {
  const redis = new Redis(TEST_REDIS_URL);
  afterAll(() => redis.quit());

  it('registers each job with the scheduler registry, leads, and at a stop clears them and gives the lease back', async () => {
    const t = await createTestApp({ ROLE: 'all', SCHEDULER_TICK_MS: '100' });
    const registry = t.app.get(SchedulerRegistry);
    const leaderKey = `${t.config.queuePrefix}:scheduler:leader`;
    try {
      expect(registry.getIntervals().sort()).toEqual([
        'confirmations',
        'external-outcomes',
        'group-syncs',
        'owed-writes',
        'retention',
        'scheduler-tick',
      ]);
      await eventually(async () => ((await redis.exists(leaderKey)) === 1 ? true : undefined), 5000);
    } finally {
      await t.close();
    }
    expect(registry.getIntervals()).toEqual([]);
    expect(await redis.exists(leaderKey)).toBe(0);
  });

  it('has no retention job when retention is off', async () => {
    const t = await createTestApp({ ROLE: 'all', RETENTION_DAYS: '0' });
    try {
      expect(t.app.get(SchedulerRegistry).getIntervals()).not.toContain('retention');
      expect(t.app.get(SchedulerRegistry).getIntervals()).toContain('scheduler-tick');
    } finally {
      await t.close();
    }
  });
});
