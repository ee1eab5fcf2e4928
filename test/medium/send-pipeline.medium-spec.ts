import { getQueueToken } from '@nestjs/bullmq';
import { DelayedError, Job, Queue, Worker } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContentService } from '../../src/content/content.service';
import { DeliveryService } from '../../src/delivery/delivery.service';
import { ChannelsService } from '../../src/groups/channels.service';
import { GroupDirectory } from '../../src/groups/group-directory.service';
import { CreateGroupDto } from '../../src/groups/dto/group.dto';
import { GroupsService } from '../../src/groups/groups.service';
import { PoliciesService } from '../../src/policy/policies.service';
import { PolicyGate } from '../../src/policy/policy-gate.service';
import { PostClaims } from '../../src/posts/lifecycle/post-claims.service';
import { PostOutcomes } from '../../src/posts/lifecycle/post-outcomes.service';
import { PostsService } from '../../src/posts/posts.service';
import { AdapterRegistry } from '../../src/providers/adapter-registry';
import { DeliverJob, POST_QUEUES } from '../../src/queues/queue-names';
import { exampleFields } from '../support/factories';
import { MediumContext, createMediumContext } from '../support/medium-context';
import { postRows, seedRun } from '../support/medium-seed';
import { NO_GLOBAL_POLICY } from '../support/test-env';

const MINUTE = 60_000;
const hhmm = (date: Date) => date.toISOString().slice(11, 16);

describe('the send pipeline and the policy gate against MariaDB and Redis', () => {
  const printed = mkdtempSync(join(tmpdir(), 'gc-console-'));
  const output = join(printed, 'posts.txt');
  let ctx: MediumContext;
  let channelId: string;
  let piece: { id: string; revision: number };
  let worker: Worker<DeliverJob>;

  beforeAll(async () => {
    ctx = await createMediumContext({ CONSOLE_OUTPUT: output });
    await ctx.get(PoliciesService).replace(NO_GLOBAL_POLICY);
    channelId = (await ctx.get(ChannelsService).create({ name: 'console', type: 'console' })).id;
    const content = ctx.get(ContentService);
    const created = await content.create(
      { kind: 'morning_brief', title: '早报', fields: exampleFields('morning_brief') },
      { keyId: 'medium', role: 'editor' },
    );
    await content.publish(created.id, {}, undefined);
    piece = { id: created.id, revision: 1 };
    const queue = ctx.app.get<Queue<DeliverJob>>(getQueueToken(POST_QUEUES.console), { strict: false });
    worker = new Worker<DeliverJob>(queue.name, null, {
      connection: queue.opts.connection,
      prefix: queue.opts.prefix,
      autorun: false,
    });
  });
  afterAll(async () => {
    await worker.close();
    await ctx.close();
    rmSync(printed, { recursive: true, force: true });
  });

  /** A group on the console channel in UTC, with the policy given. */
  const group = (policy: Partial<CreateGroupDto> = {}) =>
    ctx.get(GroupsService).create({
      name: `群 ${randomUUID().slice(0, 6)}`,
      channelId,
      address: randomUUID(),
      timezone: 'Etc/UTC',
      ...policy,
    });

  /** Posts of a run to one group, queued now with their jobs. */
  const postsTo = async (groupId: string, rows: { dueAt: Date; messages?: number }[]) => {
    const run = await seedRun(ctx);
    return run.posts(
      rows.map(({ dueAt }) => ({
        dueAt,
        groupId,
        channelType: 'console',
        contentId: piece.id,
        revision: piece.revision,
      })),
      new Date(Date.now() + 10 * MINUTE),
    );
  };

  /** The next job of the console queue, taken as a worker takes it (active, under this token). */
  const nextJob = async (token: string) => {
    const job = (await worker.getNextJob(token)) as Job<DeliverJob> | undefined;
    if (!job) throw new Error('no job waiting');
    return job;
  };

  it('sends a post through prepare, send and settle: the group gets it, the post is sent with its attempt', async () => {
    const { id: groupId, name } = await group();
    const [post] = await postsTo(groupId, [{ dueAt: new Date() }]);
    const token = randomUUID();
    await ctx.get(DeliveryService).deliver(await nextJob(token), token);
    const [row] = await postRows(ctx, [post.id]);
    expect(row).toMatchObject({ status: 'sent', attempts: 1, holdCode: null, error: null });
    expect((await ctx.get(PostsService).get(post.id)).attemptLog.map((a) => a.outcome)).toEqual(['ok']);
    expect(readFileSync(output, 'utf8')).toContain(name);
  });

  it('holds a post in quiet hours without spending an attempt: its job is delayed to their end, the hold code kept', async () => {
    const now = new Date();
    const quietHours = `${hhmm(new Date(now.getTime() - 60 * MINUTE))}-${hhmm(new Date(now.getTime() + 60 * MINUTE))}`;
    const { id: groupId } = await group({ quietHours });
    const [post] = await postsTo(groupId, [{ dueAt: now }]);
    const token = randomUUID();
    const job = await nextJob(token);
    await expect(ctx.get(DeliveryService).deliver(job, token)).rejects.toBeInstanceOf(DelayedError);
    const [row] = await postRows(ctx, [post.id]);
    expect(row).toMatchObject({ status: 'queued', attempts: 0, holdCode: 'quiet_hours' });
    expect(await job.getState()).toBe('delayed');
    // The job waits until the window's end (to the minute, plus up to a second of jitter).
    const end = new Date(now.getTime() + 60 * MINUTE);
    end.setUTCSeconds(0, 0);
    expect(row.notBefore!.getTime() - end.getTime()).toBeGreaterThanOrEqual(0);
    expect(row.notBefore!.getTime() - end.getTime()).toBeLessThan(1000);
  });

  describe('the gate gathers only the facts its policy reads', () => {
    const ask = async (postId: string, now = new Date()) => {
      const post = await ctx.get(PostsService).find(postId);
      const { group: target, channel, target: address } = await ctx.get(GroupDirectory).deliveryTarget(post.groupId);
      const definition = ctx.get(AdapterRegistry).definition(channel.type);
      return ctx
        .get(PolicyGate)
        .decide(post, { blackoutMode: 'shift', catchUp: null }, target, definition, address, now);
    };
    const sent = (id: string, sentAt: Date, messages = 1) =>
      ctx.get(PostOutcomes).markSent({ id, sentAt, externalId: null, attempts: 1, messages });

    it('the gap from the group’s last send', async () => {
      const { id: groupId } = await group({ minGapMinutes: 10 });
      const lastAt = new Date(Date.now() - 2 * MINUTE);
      const [earlier, next] = await postsTo(groupId, [{ dueAt: lastAt }, { dueAt: new Date() }]);
      await sent(earlier.id, lastAt);
      const decision = await ask(next.id);
      expect(decision).toMatchObject({ action: 'defer', code: 'min_gap', reason: 'minimum gap of 10 min' });
      expect(decision.action === 'defer' && decision.until.getTime() - lastAt.getTime()).toBeGreaterThanOrEqual(
        10 * MINUTE,
      );
    });

    it('the messages sent since the group’s local midnight, against its daily cap', async () => {
      const { id: groupId } = await group({ dailyCap: 3 });
      const [split, next] = await postsTo(groupId, [{ dueAt: new Date() }, { dueAt: new Date() }]);
      // One post that became three messages fills a cap of three.
      await sent(split.id, new Date(), 3);
      expect(await ask(next.id)).toMatchObject({ action: 'defer', code: 'daily_cap' });
    });

    it('the post ahead of it to the group, and what holds that one', async () => {
      const now = new Date();
      const { id: groupId } = await group();
      const [ahead, next] = await postsTo(groupId, [{ dueAt: new Date(now.getTime() - MINUTE) }, { dueAt: now }]);
      await ctx.get(PostClaims).claim(ahead.id);
      await ctx.get(PostOutcomes).hold(ahead.id, new Date(now.getTime() + 5 * MINUTE), {
        code: 'quiet_hours',
        reason: 'quiet hours 22:00-08:00',
      });
      expect(await ask(next.id, now)).toMatchObject({
        action: 'defer',
        code: 'order',
        blocker: ahead.id,
        reason: `waits for post ${ahead.id}, due earlier to the same group, held by quiet hours 22:00-08:00`,
      });
    });

    it('nothing when the policy reads nothing: the post may go', async () => {
      const { id: groupId } = await group();
      const [post] = await postsTo(groupId, [{ dueAt: new Date() }]);
      expect(await ask(post.id)).toEqual({ action: 'send' });
    });
  });
});
