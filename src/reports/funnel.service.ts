import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { STAGES } from '../common/stages';
import { GroupDirectory } from '../groups/group-directory.service';
import { PostStatus } from '../posts/post-status';
import { FunnelDto, FunnelGroupDto, FunnelRowDto, FunnelStageDto } from './dto/funnel.dto';

/** Whose posts a funnel counts. */
export type FunnelScope = { runId: string } | { routineId: string } | { contentId: string };

/** What the rows under each stage are: a run's steps, a routine's pieces, a piece's runs and routines. */
export type Breakdown = 'step' | 'piece' | 'source';

const GROUPS_SHOWN = 20;

interface Measures {
  sent: number;
  /** Σ memberCount over sent posts whose group has one. */
  members: number;
  clicks: number;
  uniqueClicks: number;
  /** Unique clicks on posts whose group has a member count: the numerator of clicks per 100 members. */
  countedClicks: number;
  previews: number;
  conversions: number;
  amount: number;
}

const ZERO: Measures = {
  sent: 0,
  members: 0,
  clicks: 0,
  uniqueClicks: 0,
  countedClicks: 0,
  previews: 0,
  conversions: 0,
  amount: 0,
};

const SCOPE_COLUMN = { runId: 'run_id', routineId: 'routine_id', contentId: 'content_id' } as const;
/** The breakdown row of a post (`p`) or of a conversion (`c`), which carries the same columns. */
const breakdownOf = (row: 'p' | 'c', breakdown: Breakdown): string =>
  ({
    step: `CAST(${row}.step AS CHAR)`,
    piece: `COALESCE(${row}.content_id, '')`,
    source: `CONCAT(IF(${row}.run_id IS NULL, 'routine:', 'run:'), COALESCE(${row}.run_id, ${row}.routine_id))`,
  })[breakdown];

/**
 * Sent → clicks → orders, counted from the posts, the clicks on their short links and the orders
 * shops reported (with what posts past retention counted, from post_rollups): per stage, per
 * breakdown row, per group. A unique click is one address (hashed) on one post; clicks per 100
 * members divide unique clicks by the member impressions of the sent posts; reach counts each
 * group's members once.
 */
@Injectable()
export class FunnelService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly groups: GroupDirectory,
  ) {}

  async funnel(scope: FunnelScope, breakdown: Breakdown): Promise<FunnelDto> {
    const [key, id] = Object.entries(scope)[0] as [keyof typeof SCOPE_COLUMN, string];
    const column = SCOPE_COLUMN[key];
    const byRow = await this.measure(
      column,
      id,
      ['p.stage', breakdownOf('p', breakdown)],
      ['c.stage', breakdownOf('c', breakdown)],
    );
    const byGroup = await this.measure(column, id, ['p.group_id'], ['c.group_id']);
    const [rowReach, stageReach, totalReach, groupReach] = await Promise.all([
      this.reach(column, id, ['p.stage', breakdownOf('p', breakdown)]),
      this.reach(column, id, ['p.stage']),
      this.reach(column, id, []),
      this.reach(column, id, ['p.group_id']),
    ]);

    const stages: FunnelStageDto[] = [];
    for (const stage of STAGES) {
      const rows = [...byRow].filter(([k]) => k.split('\u0000')[0] === stage);
      if (rows.length === 0) continue;
      const total = rows.reduce((sum, [, m]) => add(sum, m), ZERO);
      stages.push({
        stage,
        ...view(total, stageReach.get(stage) ?? 0),
        rows: rows
          .map(([k, m]) => ({ key: k.split('\u0000')[1], ...view(m, rowReach.get(k) ?? 0) }))
          .sort((a, b) =>
            breakdown === 'step' ? Number(a.key) - Number(b.key) : b.sent - a.sent || a.key.localeCompare(b.key),
          ),
      });
    }
    const totals = [...byRow.values()].reduce(add, ZERO);
    const groups = await this.rankGroups(byGroup, groupReach);
    return {
      breakdown,
      totals: view(totals, totalReach.get('') ?? 0),
      stages,
      groupCount: byGroup.size,
      top: groups.slice(0, GROUPS_SHOWN),
      bottom: groups.slice(-GROUPS_SHOWN).reverse(),
    };
  }

  /** Each row's measures, keyed by the grouping columns joined with NUL. */
  private async measure(
    column: string,
    id: string,
    by: string[],
    conversionsBy: string[],
  ): Promise<Map<string, Measures>> {
    const key = (row: { k0: string; k1?: string }) => (row.k1 === undefined ? row.k0 : `${row.k0}\u0000${row.k1}`);
    const aliases = (expressions: string[]) => expressions.map((expression, i) => `${expression} AS k${i}`).join(', ');
    // Posts past retention count from post_rollups, aliased p too: it has the columns the breakdown reads.
    const [sent, clicks, orders, sentBefore, clicksBefore] = await Promise.all([
      this.dataSource.query(
        `SELECT ${aliases(by)}, COUNT(*) AS sent, COALESCE(SUM(g.member_count), 0) AS members
         FROM posts p JOIN \`groups\` g ON g.id = p.group_id
         WHERE p.${column} = ? AND p.status = ? GROUP BY ${by.join(', ')}`,
        [id, PostStatus.Sent],
      ),
      this.dataSource.query(
        `SELECT ${aliases(by)}, SUM(c.preview = 0) AS clicks, SUM(c.preview) AS previews,
           COUNT(DISTINCT IF(c.preview = 0, CONCAT(c.post_id, c.visitor), NULL)) AS uniqueClicks,
           COUNT(DISTINCT IF(c.preview = 0 AND g.member_count IS NOT NULL, CONCAT(c.post_id, c.visitor), NULL)) AS countedClicks
         FROM clicks c JOIN posts p ON p.id = c.post_id JOIN \`groups\` g ON g.id = p.group_id
         WHERE p.${column} = ? GROUP BY ${by.join(', ')}`,
        [id],
      ),
      this.dataSource.query(
        `SELECT ${aliases(conversionsBy)}, COUNT(*) AS conversions, SUM(c.amount) AS amount
         FROM conversions c WHERE c.${column} = ? GROUP BY ${conversionsBy.join(', ')}`,
        [id],
      ),
      this.dataSource.query(
        `SELECT ${aliases(by)}, SUM(p.post_count) AS sent, COALESCE(SUM(p.post_count * g.member_count), 0) AS members
         FROM post_rollups p JOIN \`groups\` g ON g.id = p.group_id
         WHERE p.${column} = ? AND p.status = ? GROUP BY ${by.join(', ')}`,
        [id, PostStatus.Sent],
      ),
      this.dataSource.query(
        `SELECT ${aliases(by)}, SUM(p.clicks) AS clicks, SUM(p.previews) AS previews, SUM(p.unique_clicks) AS uniqueClicks,
           SUM(IF(g.member_count IS NOT NULL, p.unique_clicks, 0)) AS countedClicks
         FROM post_rollups p JOIN \`groups\` g ON g.id = p.group_id
         WHERE p.${column} = ? GROUP BY ${by.join(', ')} HAVING SUM(p.clicks) + SUM(p.previews) > 0`,
        [id],
      ),
    ]);
    const measures = new Map<string, Measures>();
    const merge = (rows: Record<string, unknown>[]) => {
      for (const row of rows) {
        const k = key(row as { k0: string; k1?: string });
        const m = { ...(measures.get(k) ?? ZERO) };
        for (const name of Object.keys(ZERO) as (keyof Measures)[]) {
          if (row[name] !== undefined && row[name] !== null) m[name] += Number(row[name]);
        }
        measures.set(k, m);
      }
    };
    for (const rows of [sent, clicks, orders, sentBefore, clicksBefore]) merge(rows as Record<string, unknown>[]);
    return measures;
  }

  /**
   * Members reached per row: Σ memberCount over the distinct groups sent a post in it (posts and
   * rollups alike), keyed like `measure` (`''` with no grouping). Not additive, so asked per level.
   */
  private async reach(column: string, id: string, by: string[]): Promise<Map<string, number>> {
    const keys = by.map((_, i) => `k${i}`);
    const picked = [...by.map((expression, i) => `${expression} AS k${i}`), 'p.group_id'].join(', ');
    const rows = (await this.dataSource.query(
      `SELECT ${[...keys, 'COALESCE(SUM(g.member_count), 0) AS reach'].join(', ')} FROM (
         SELECT DISTINCT ${picked} FROM posts p WHERE p.${column} = ? AND p.status = ?
         UNION
         SELECT DISTINCT ${picked} FROM post_rollups p WHERE p.${column} = ? AND p.status = ?
       ) x JOIN \`groups\` g ON g.id = x.group_id${keys.length > 0 ? ` GROUP BY ${keys.join(', ')}` : ''}`,
      [id, PostStatus.Sent, id, PostStatus.Sent],
    )) as Record<string, string>[];
    return new Map(rows.map((row) => [keys.map((k) => row[k]).join('\u0000'), Number(row.reach)]));
  }

  /** Groups best first: orders' amount, then orders, then unique clicks per member reached. */
  private async rankGroups(byGroup: Map<string, Measures>, reach: Map<string, number>): Promise<FunnelGroupDto[]> {
    const names = await this.groups.names([...byGroup.keys()]);
    return [...byGroup]
      .map(([groupId, m]) => ({ groupId, name: names.get(groupId)?.name ?? null, ...view(m, reach.get(groupId) ?? 0) }))
      .sort(
        (a, b) =>
          b.amount - a.amount ||
          b.conversions - a.conversions ||
          (b.clicksPer100Members ?? -1) - (a.clicksPer100Members ?? -1) ||
          b.uniqueClicks - a.uniqueClicks ||
          a.groupId.localeCompare(b.groupId),
      );
  }
}

function add(a: Measures, b: Measures): Measures {
  const sum = { ...a };
  for (const name of Object.keys(ZERO) as (keyof Measures)[]) sum[name] = a[name] + b[name];
  return sum;
}

function view(m: Measures, reach: number): FunnelRowDto {
  return {
    sent: m.sent,
    clicks: m.clicks,
    uniqueClicks: m.uniqueClicks,
    previews: m.previews,
    members: m.members,
    reach,
    clicksPer100Members: m.members > 0 ? Math.round((m.countedClicks / m.members) * 10_000) / 100 : null,
    conversions: m.conversions,
    amount: Math.round(m.amount * 100) / 100,
  };
}
