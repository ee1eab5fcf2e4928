import { Inject, Injectable } from '@nestjs/common';
import { RedisClient } from '../redis/redis-client';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { REDIS } from '../redis/redis.module';

const LEADER_KEY = 'scheduler:leader';
/** Extends the lease only while this process still holds it. */
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

/**
 * One worker process at a time leads: it runs the scheduler's tick and reads back outcomes that
 * others must not read twice (external consumers', WeCom confirmations). The lease lives in Redis
 * and is taken or extended on every tick.
 */
@Injectable()
export class Leadership {
  private readonly instance = randomUUID();
  private heldUntil = 0;

  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Takes the lease or extends it; true while this process leads. */
  async lead(): Promise<boolean> {
    const leaseMs = Math.max(3000, this.config.schedulerTickMs * 3);
    const asked = Date.now();
    const held =
      (await this.redis.set(LEADER_KEY, this.instance, 'PX', leaseMs, 'NX')) === 'OK' ||
      Number(await this.redis.eval(RENEW, 1, LEADER_KEY, this.instance, String(leaseMs))) === 1;
    // Counted from before the ask: this process never believes it leads longer than Redis does.
    this.heldUntil = held ? asked + leaseMs : 0;
    return held;
  }

  /** Whether this process led at its last look and that lease has not run out. */
  holds(): boolean {
    return Date.now() < this.heldUntil;
  }

  async release(): Promise<void> {
    this.heldUntil = 0;
    await this.redis.eval(RELEASE, 1, LEADER_KEY, this.instance).catch(() => 0);
  }
}
