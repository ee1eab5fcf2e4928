import { DateTime } from 'luxon';
import { eventually } from '../test/support/poll';
import { FakeWecom } from '../test/support/providers/wecom';
import { Figure, report } from './report';
import { Stack, percentile, round } from './support/stack';

const PER_KIND = 30;
const ZONES = ['Asia/Shanghai', 'UTC', 'America/New_York'];
const TOLERANCE_MS = 5000;

interface PlanEntry {
  groupId: string;
  step: number;
  dueAt: string;
  predictedAt: string | null;
  moves: string[];
}

interface PostRow {
  group_id: string;
  step: number;
  status: string;
  sent_at: Date | null;
  not_before: Date | null;
  defer_reason: string | null;
}

/**
 * Plan, then launch the same, against a fake WeCom robot per group, with the rules binding:
 * quiet hours that end in about three minutes, a one-minute gap after a post just sent by another
 * run, a daily cap of 2 that one post of that run already counts against, and groups no rule
 * touches, in three zones. Each post's predicted send time is compared with the real one: when
 * it was sent, or, for a post the worker holds until another day, the time the worker set for it.
 */
export async function accuracy(): Promise<Figure[]> {
  const robot = new FakeWecom();
  await robot.start();
  const stack = await Stack.start({ workers: 1, env: { SCHEDULER_TICK_MS: '200' } });
  try {
    const channel = await stack.channel('wecom', { baseUrl: robot.url, format: 'text' });
    const now = DateTime.utc();
    const quietFor = (zone: string) => {
      const local = now.setZone(zone);
      const end = local.startOf('minute').plus({ minutes: 3 });
      return `${local.minus({ hours: 1 }).toFormat('HH:mm')}-${end.toFormat('HH:mm')}`;
    };
    const kinds = {
      quiet: (zone: string) => ({ quietHours: quietFor(zone) }),
      gap: () => ({ minGapMinutes: 1 }),
      cap: () => ({ dailyCap: 2 }),
      free: () => ({}),
    };
    let serial = 0;
    const groupKinds: [string, string][] = [];
    for (const [kind, rules] of Object.entries(kinds)) {
      const rows = Array.from({ length: PER_KIND }, () => {
        const key = `accuracy-${++serial}`;
        robot.keys.add(key);
        const zone = ZONES[serial % ZONES.length];
        return {
          address: key,
          timezone: zone,
          tags: ['accuracy', kind],
          minGapMinutes: 'off',
          dailyCap: 'off',
          ...rules(zone),
        };
      });
      await stack.groups(channel, rows.length, (i) => rows[i]);
    }
    const [groupRows] = await stack.mysql.query(
      'SELECT g.id, t.tag FROM `groups` g JOIN group_tags t ON t.group_id = g.id',
    );
    for (const row of groupRows as { id: string; tag: string }[]) {
      if (row.tag !== 'accuracy') groupKinds.push([row.id, row.tag]);
    }
    // Another run sends one post to the gap and cap groups first.
    const earlier = await stack.launch(await stack.campaign([{ after: 'PT0S' }]), { tags: ['gap', 'cap'] }, new Date());
    await stack.until(
      "SELECT COUNT(*) AS n FROM posts WHERE run_id = ? AND status = 'sent'",
      [earlier],
      2 * PER_KIND,
      60_000,
    );

    const campaign = await stack.campaign([{ after: 'PT0S' }, { after: 'PT0S' }]);
    const audience = { tags: ['accuracy'] };
    const planned = performance.now();
    const plan = await stack.call<{ entries: PlanEntry[]; summary: Record<string, unknown> }>(
      'POST',
      `/v1/campaigns/${campaign}/plan`,
      { audience },
    );
    const planMs = performance.now() - planned;
    const runId = await stack.launch(campaign, audience, new Date());
    const total = 4 * PER_KIND * 2;
    const farAway = Date.now() + 10 * 60_000;
    // Settled: sent, or held by a rule of its own until later than the bench waits.
    const settled = (p: PostRow) =>
      p.status === 'sent' ||
      (p.not_before !== null && p.not_before.getTime() > farAway && !p.defer_reason?.startsWith('waits for post'));
    let posts: PostRow[] = [];
    await eventually(
      async () => {
        const [rows] = await stack.mysql.query(
          'SELECT group_id, step, status, sent_at, not_before, defer_reason FROM posts WHERE run_id = ?',
          [runId],
        );
        posts = rows as PostRow[];
        return posts.length === total && posts.every(settled) ? true : undefined;
      },
      8 * 60_000,
      500,
      () => `${posts.filter(settled).length} of ${total} settled`,
    );
    const entries = new Map(plan.entries.map((e) => [`${e.groupId}:${e.step}`, e]));
    const compared = posts.map((p) => {
      const entry = entries.get(`${p.group_id}:${p.step}`)!;
      const real = (p.sent_at ?? p.not_before)!.getTime();
      return {
        group: p.group_id,
        step: p.step,
        due: entry.dueAt,
        predicted: entry.predictedAt!,
        real: new Date(real).toISOString(),
        miss: Math.abs(real - Date.parse(entry.predictedAt!)),
        sent: p.sent_at !== null,
        moves: entry.moves,
      };
    });
    // Ten entries of the plan next to what happened: two or three of each kind of group.
    const kindOf = new Map(groupKinds);
    const sample = [...new Set(groupKinds.map(([, kind]) => kind))].flatMap((kind) =>
      compared.filter((c) => kindOf.get(c.group) === kind).slice(0, kind === 'free' ? 1 : 3),
    );
    console.table(
      sample.map((c) => ({
        group: `${kindOf.get(c.group)} ${c.group.slice(0, 8)}`,
        step: c.step,
        due: c.due.slice(11, 19),
        predicted: c.predicted.slice(0, 19).replace('T', ' '),
        real: c.real.slice(0, 19).replace('T', ' '),
        'miss ms': c.miss,
        why: c.moves.join('; '),
      })),
    );
    const misses = compared.map((c) => c.miss);
    const within = compared.filter((c) => c.miss <= TOLERANCE_MS).length;
    const share = round((within / compared.length) * 100, 1);
    const worst = Math.max(...misses);
    const movedUnnamed = compared.filter((c) => c.moves.length === 0 && c.miss > TOLERANCE_MS).length;
    return report(
      'accuracy',
      [
        {
          posts: compared.length,
          'compared at their send': compared.filter((c) => c.sent).length,
          'held to another day': compared.filter((c) => !c.sent).length,
          'within 5 s': `${share} %`,
          'median miss ms': round(percentile(misses, 50)),
          'worst miss ms': worst,
          'plan ms': round(planMs),
          'groups moved by': JSON.stringify(plan.summary.groupsMovedBy),
        },
      ],
      [
        {
          benchmark: 'accuracy',
          figure: `predicted vs real send time, ${compared.length} posts (quiet hours, gap, daily cap binding)`,
          value: share,
          unit: `% within 5 s (worst miss ${round(worst / 1000, 1)} s)`,
          target: '≥ 95 %',
          met: share >= 95 && movedUnnamed === 0,
        },
      ],
      { summary: plan.summary },
    );
  } finally {
    await stack.stop();
    await robot.stop();
  }
}
