import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { DomainError } from '../common/domain-error';
import { GroupDirectory } from '../groups/group-directory.service';
import { PoliciesService } from '../policy/policies.service';
import { effectivePolicy, localDay, quietHoursEnd } from '../policy/policy';
import { PostOperatorActs } from '../posts/lifecycle/operator-acts.service';
import { Post } from '../posts/post.entity';
import { PostStatus } from '../posts/post-status';
import { PostsService } from '../posts/posts.service';
import { RescheduleWarningDto, RescheduledDto } from './dto/reschedule.dto';

/** The most groups a refusal names; the count says how many more. */
const NAMED = 20;

/**
 * An operator moves a post, or one step of a run for all its groups, to another time (dragged on
 * the calendar). A time in a group's quiet hours or on its blackout date is refused with the
 * reason unless forced; a time in the past never goes; a post already on its way stays.
 */
@Injectable()
export class Reschedules {
  constructor(
    private readonly posts: PostsService,
    private readonly acts: PostOperatorActs,
    private readonly directory: GroupDirectory,
    private readonly policies: PoliciesService,
  ) {}

  async post(id: string, dueAt: Date, force: boolean, now = new Date()): Promise<RescheduledDto> {
    const post = await this.posts.find(id);
    if (post.status !== PostStatus.Scheduled && post.status !== PostStatus.Queued) {
      throw DomainError.conflict(`post ${id} is ${post.status}: only a scheduled or queued post can move`);
    }
    return this.move([{ post, dueAt }], force, now);
  }

  async step(
    runId: string,
    step: number,
    byMinutes: number,
    force: boolean,
    now = new Date(),
  ): Promise<RescheduledDto> {
    const posts = await this.posts.unsentOfStep(runId, step);
    if (posts.length === 0) {
      throw DomainError.conflict(
        `step ${step} of run ${runId} has no post left to move (none, or all sent or on their way)`,
      );
    }
    return this.move(
      posts.map((post) => ({ post, dueAt: new Date(post.dueAt.getTime() + byMinutes * 60_000) })),
      force,
      now,
    );
  }

  private async move(moves: { post: Post; dueAt: Date }[], force: boolean, now: Date): Promise<RescheduledDto> {
    const past = moves.filter((m) => m.dueAt <= now);
    if (past.length > 0) {
      throw DomainError.invalid([
        { field: 'dueAt', message: `${past.length} post(s) would be due in the past (${past[0].dueAt.toISOString()})` },
      ]);
    }
    const global = await this.policies.current();
    // Asked together, the groups of a step of 1,000 are read in one batch, not one query each.
    const targets = await Promise.all(moves.map(({ post }) => this.directory.deliveryTarget(post.groupId)));
    const warnings: RescheduleWarningDto[] = moves.flatMap(({ dueAt }, i) => {
      const { group } = targets[i];
      const reason = ruleBroken(effectivePolicy(group, global), group.timezone, dueAt);
      return reason ? [{ groupId: group.id, groupName: group.name, reason }] : [];
    });
    if (warnings.length > 0 && !force) {
      throw new DomainError(
        'unprocessable',
        `the new time breaks the rules of ${warnings.length} group(s); send force: true to keep it (the rules still hold it when it is sent)`,
        warnings.slice(0, NAMED).map((w) => ({ field: 'dueAt', message: `${w.groupName}: ${w.reason}` })),
      );
    }
    const moved = new Set(
      (await this.acts.move(moves.map((m) => ({ id: m.post.id, dueAt: m.dueAt })))).map((p) => p.id),
    );
    const posts = moves
      .filter((m) => moved.has(m.post.id))
      .map((m) => ({ id: m.post.id, groupId: m.post.groupId, dueAt: m.dueAt }));
    return { moved: posts.length, posts, warnings };
  }
}

/** The group rule a due time breaks, said with the group's local time; null when it breaks none. */
function ruleBroken(policy: ReturnType<typeof effectivePolicy>, zone: string, at: Date): string | null {
  const local = DateTime.fromJSDate(at, { zone }).toFormat('yyyy-MM-dd HH:mm');
  const quietEnd = quietHoursEnd(policy.quietHours, at, zone);
  if (quietEnd) {
    const until = DateTime.fromJSDate(quietEnd, { zone }).toFormat('HH:mm');
    return `${local} (${zone}) is in quiet hours ${policy.quietHours}; it would wait until ${until}`;
  }
  if (policy.blackoutDates.has(localDay(at, zone).date)) return `${local.slice(0, 10)} is a blackout date`;
  return null;
}
