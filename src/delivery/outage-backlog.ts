import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { PostClaims } from '../posts/lifecycle/post-claims.service';

/**
 * Writes a worker owes the database when it went away mid-delivery: claims to give back (nothing
 * reached the provider, so the post may go again) and outcomes to record (the provider has it).
 * Each is tried at once and, while the database is away, again every second (a timed job of the
 * worker, worker/timed-jobs.ts) until it answers, so that
 * posts move again seconds after an outage rather than when their claim's lease runs out. A write
 * still owed when the lease has run out is dropped: the lease's recovery has taken over.
 */
@Injectable()
export class OutageBacklog {
  private readonly owed: { write: () => Promise<void>; until: number }[] = [];

  constructor(
    private readonly claims: PostClaims,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Gives back a claim (one post's, or every post of a claim whose answer never came). */
  release(token: string, postId?: string): Promise<void> {
    return this.owe(() => this.claims.release(token, postId));
  }

  /** Makes a write now, or as soon as the database answers again. */
  async owe(write: () => Promise<void>): Promise<void> {
    try {
      await write();
    } catch {
      this.owed.push({ write, until: Date.now() + this.config.claimLeaseMs });
    }
  }

  /** Offers the owed writes again, oldest first; stops at the first the database still refuses. */
  async retry(): Promise<void> {
    while (this.owed.length > 0) {
      const { write, until } = this.owed[0];
      if (Date.now() <= until) await write();
      this.owed.shift();
    }
  }
}
