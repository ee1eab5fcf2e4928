import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, Repository } from 'typeorm';
import { batchLoader } from '../../common/batch-loader';
import { HoldCode } from '../../common/hold-codes';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { EntityColumns } from '../../database/entity-columns';
import { Post } from '../post.entity';
import { PostQueues } from '../post-queues';
import { LIVE, REQUEUED_STATUS, S } from './post-sql';
import { ClaimedPost, ClaimedRun, DueTogether, UnsureClaim } from './post-types';

/** A routine's slot on a blackout date is skipped: a brief for one day is stale the next. */
const ROUTINE_RULES: ClaimedRun = { blackoutMode: 'skip', catchUp: null };

/** A worker takes posts to send and gives back what it could not start; posts due together find each other. */
@Injectable()
export class PostClaims {
  /** A post's columns, as a claim reads them back. */
  private readonly postColumns: EntityColumns<Post>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(Post) private readonly posts: Repository<Post>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly queues: PostQueues,
  ) {
    this.postColumns = new EntityColumns(dataSource, Post, 'p');
  }

  /**
   * Takes a queued post of a live run for sending, or one whose claim lapsed (its worker died).
   * Null: leave it (sent, cancelled, or its run stopped). Claims made together are one UPDATE
   * and one SELECT, sent together.
   */
  claim(id: string): Promise<ClaimedPost | null> {
    return this.claims.load(id);
  }

  private readonly claims = batchLoader<string, ClaimedPost | null>(async (ids) => {
    const token = randomUUID();
    try {
      return await this.claimWith(token, ids);
    } catch (error) {
      // The database may have taken the claim and then gone away before it said so.
      throw new UnsureClaim(token, error as Error);
    }
  });

  private async claimWith(token: string, ids: readonly string[]): Promise<(ClaimedPost | null)[]> {
    const unique = [...new Set(ids)];
    // One round trip: the claim and what it took.
    const [, rows] = (await this.dataSource.query(
      `UPDATE posts p LEFT JOIN runs r ON r.id = p.run_id SET p.status = '${S.Sending}', p.claimed_at = NOW(3), p.claim_token = ?
       WHERE p.id IN (?) AND ${LIVE}
         AND (p.status = '${S.Queued}' OR (p.status = '${S.Sending}' AND p.claimed_at < NOW(3) - INTERVAL ? MICROSECOND));
       SELECT ${this.postColumns.select}, r.blackout_mode AS blackoutMode, r.catch_up AS catchUp, r.cap_mode AS capMode, r.keep_steps AS keepSteps
       FROM posts p LEFT JOIN runs r ON r.id = p.run_id WHERE p.id IN (?) AND p.claim_token = ?`,
      [token, unique, this.config.claimLeaseMs * 1000, unique, token],
    )) as [unknown, (Record<string, unknown> & Partial<Omit<ClaimedRun, 'keepSteps'>> & { keepSteps?: unknown })[]];
    const claimed = new Map(
      rows.map((row) => {
        const post = this.postColumns.read(row);
        const run: ClaimedRun =
          post.runId === null
            ? ROUTINE_RULES
            : {
                blackoutMode: row.blackoutMode!,
                catchUp: row.catchUp ?? null,
                capMode: row.capMode ?? 'wait',
                // MariaDB gives a JSON column as its text, MySQL as the parsed value.
                keepSteps: (typeof row.keepSteps === 'string' ? JSON.parse(row.keepSteps) : (row.keepSteps ?? null)) as
                  number[] | null,
              };
        // The token is not read back with the row: the claim knows it, and gives it back with it if it must.
        return [post.id, Object.assign(post, { claimToken: token, run })];
      }),
    );
    // A post asked for twice in one batch goes to the first caller only.
    return ids.map((id) => {
      const post = claimed.get(id) ?? null;
      claimed.delete(id);
      return post;
    });
  }

  /**
   * Posts due together with this one (same run or routine, step, piece and revision, same moment)
   * to active groups of the same owner on the same channel, unsent: the one with the smallest id
   * sends them all in one message, and how many of the others are being handled by their own jobs
   * right now (they step aside for it).
   */
  async dueTogether(post: Post, group: { owner: string; channelId: string }): Promise<DueTogether> {
    const rows = (await this.dataSource.query(
      `SELECT p.id, p.group_id AS groupId, p.status FROM posts p JOIN \`groups\` g ON g.id = p.group_id
       WHERE p.status IN ('${S.Queued}', '${S.Sending}') AND p.due_at = ? AND p.step <=> ? AND p.run_id <=> ?
         AND p.routine_id <=> ? AND p.content_id <=> ? AND p.revision <=> ?
         AND (p.status = '${S.Sending}' OR p.not_before IS NULL OR p.not_before <= NOW(3) OR p.hold_code = ?)
         AND g.owner = ? AND g.channel_id = ? AND g.status = 'active'
       ORDER BY p.id`,
      [
        post.dueAt,
        post.step,
        post.runId,
        post.routineId,
        post.contentId,
        post.revision,
        'goes_with' satisfies HoldCode,
        group.owner,
        group.channelId,
      ],
    )) as { id: string; groupId: string; status: string }[];
    const others = rows.filter((r) => r.id !== post.id);
    return {
      head: rows[0]?.id ?? post.id,
      sending: others.filter((r) => r.status === S.Sending).length,
      queued: others.filter((r) => r.status === S.Queued).map(({ id, groupId }) => ({ id, groupId })),
    };
  }

  /**
   * A claim given back by a worker that failed before anything reached the provider (its database
   * or Redis went away): the post may be taken again at once rather than when the lease runs out.
   * Only the claim of `token` is given back, so a later claim by another worker stays; without an
   * id, every post of that claim (one whose answer never came back).
   */
  /** A post claimed to go along in another's message that did not fit it: given back, its job woken to send it alone now. */
  async giveBack(post: ClaimedPost): Promise<void> {
    await this.release(post.claimToken, post.id);
    await this.queues.promote([post]);
  }

  async release(token: string, id?: string): Promise<void> {
    const update = this.posts
      .createQueryBuilder()
      .update()
      .set({ status: () => REQUEUED_STATUS, claimedAt: null })
      .where('status = :sending AND claim_token = :token', { sending: S.Sending, token });
    await (id === undefined ? update : update.andWhere('id = :id', { id })).execute();
  }
}
