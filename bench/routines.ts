import { randomUUID } from 'node:crypto';
import { ContentService } from '../src/content/content.service';
import { ChannelsService } from '../src/groups/channels.service';
import { GroupImportService } from '../src/groups/group-import.service';
import { RoutineMaterializer } from '../src/routines/routine-materializer.service';
import { RoutinesService } from '../src/routines/routines.service';
import { exampleFields } from '../test/support/factories';
import { MediumContext, createMediumContext } from '../test/support/medium-context';
import { Figure, report } from './report';
import { round } from './support/stack';

const GROUPS = 10_000;
const IMPORT_ROWS = 5000;
const POOL = 20;
const INSERT_ROWS = 1000;
const EDITOR = { keyId: 'bench', role: 'editor' as const };

/** Counts the statements a piece of work sends through the service's connection pool. */
function countStatements(ctx: MediumContext): { reset(): void; count(): number } {
  let statements = 0;
  const logger = ctx.db.logger;
  const original = logger.logQuery.bind(logger);
  logger.logQuery = (...args: Parameters<typeof logger.logQuery>) => {
    statements++;
    return original(...args);
  };
  return { reset: () => (statements = 0), count: () => statements };
}

/**
 * The materialiser's cost per tick for 10,000 groups × 2 routines (a morning brief by date and a
 * good-night pool), all groups in one zone so that every slot of both routines falls in one tick:
 * the worst tick. Also a tick with no slot due (the other 99.9 % of ticks). Baseline: the same
 * 20,000 post rows by mysql2 multi-row INSERT.
 */
export async function routines(): Promise<Figure[]> {
  const ctx = await createMediumContext({ SCHEDULER_HORIZON_MS: String(10 * 60_000) });
  try {
    const channelId = (await ctx.get(ChannelsService).create({ name: 'bench', type: 'webhook' })).id;
    const importer = ctx.get(GroupImportService);
    for (let start = 0; start < GROUPS; start += IMPORT_ROWS) {
      await importer.import({
        groups: Array.from({ length: IMPORT_ROWS }, (_, i) => ({
          name: `群 ${start + i}`,
          channelId,
          address: { url: `https://hooks.example.com/g/${start + i}` },
          timezone: 'Asia/Shanghai',
          tags: ['bench'],
        })),
      });
    }
    const content = ctx.get(ContentService);
    const publish = async (kind: string, fields: Record<string, unknown>, tags: string[]) => {
      const piece = await content.create({ kind, title: kind, fields, tags }, EDITOR);
      await content.publish(piece.id, {}, undefined);
    };
    await publish('morning_brief', { ...exampleFields('morning_brief'), date: '2030-05-01' }, []);
    for (let i = 0; i < POOL; i++) await publish('goodnight_poster', exampleFields('goodnight_poster'), ['晚安']);
    const service = ctx.get(RoutinesService);
    // Both at 08:00 in Shanghai: one tick makes 20,000 posts.
    for (const source of [
      { mode: 'current' as const, kind: 'morning_brief' },
      { mode: 'pool' as const, tag: '晚安', noRepeatDays: 14 },
    ]) {
      await service.create({
        name: source.mode,
        audience: { tags: ['bench'] },
        schedule: { every: 'day', at: '08:00' },
        source,
      });
    }
    const materializer = ctx.get(RoutineMaterializer);
    const statements = countStatements(ctx);
    const idle = new Date('2030-04-30T12:00:00Z'); // 20:00 in Shanghai: no slot within ten minutes
    await materializer.materialize(idle);
    statements.reset();
    const idleStarted = performance.now();
    const idleMade = await materializer.materialize(new Date(idle.getTime() + 1000));
    const idleMs = performance.now() - idleStarted;
    const idleStatements = statements.count();

    const due = new Date('2030-04-30T23:55:00Z'); // 07:55 on 1 May in Shanghai
    statements.reset();
    const started = performance.now();
    const made = await materializer.materialize(due);
    const ms = performance.now() - started;
    const busyStatements = statements.count();
    if (made !== 2 * GROUPS || idleMade !== 0) throw new Error(`made ${made} and ${idleMade} slots`);

    const posts = (await ctx.db.query(`SELECT * FROM posts WHERE routine_id IS NOT NULL`)) as Record<string, unknown>[];
    const columns = Object.keys(posts[0]);
    await ctx.db.query(`CREATE TABLE posts_baseline LIKE posts`);
    const baselineStarted = performance.now();
    for (let i = 0; i < posts.length; i += INSERT_ROWS) {
      const chunk = posts.slice(i, i + INSERT_ROWS).map((p) => columns.map((c) => (c === 'id' ? randomUUID() : p[c])));
      await ctx.db.query(`INSERT INTO posts_baseline (${columns.map((c) => `\`${c}\``).join(', ')}) VALUES ?`, [chunk]);
    }
    const baseline = performance.now() - baselineStarted;
    const ratio = ms / baseline;
    return report(
      'routines',
      [
        { tick: 'both routines due: 20,000 slots', ms: round(ms), statements: busyStatements, slots: made },
        { tick: 'nothing due', ms: round(idleMs, 1), statements: idleStatements, slots: idleMade },
        {
          tick: 'baseline: INSERT of the same 20,000 rows',
          ms: round(baseline),
          statements: Math.ceil(posts.length / INSERT_ROWS),
        },
      ],
      [
        {
          benchmark: 'routines',
          figure: `tick making ${made} slots (${GROUPS} groups × 2 routines)`,
          value: round(ms),
          unit: `ms (${busyStatements} statements)`,
          baseline: round(baseline),
          ratio: round(ratio, 2),
          target: 'reported',
          met: true,
        },
        {
          benchmark: 'routines',
          figure: 'tick with nothing due',
          value: round(idleMs, 1),
          unit: `ms (${idleStatements} statements)`,
          target: 'reported',
          met: true,
        },
      ],
      { groups: GROUPS },
    );
  } finally {
    await ctx.close();
  }
}
