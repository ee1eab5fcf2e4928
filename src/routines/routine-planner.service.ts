import { Injectable } from '@nestjs/common';
import { ContentCatalog } from '../content/content-catalog.service';
import { GroupDirectory } from '../groups/group-directory.service';
import { PostHistory } from '../posts/post-history.service';
import { SlotRow, SourceFacts, assignPieces } from './assign';
import { Routine } from './routine.entity';
import { Slot, slotsIn } from './slots';

/** A routine's slots in a window with the piece each will send: what the materialiser writes and the plan shows. */
@Injectable()
export class RoutinePlanner {
  constructor(
    private readonly directory: GroupDirectory,
    private readonly catalog: ContentCatalog,
    private readonly history: PostHistory,
  ) {}

  async slots(
    routine: Pick<Routine, 'audience' | 'schedule' | 'source' | 'startDate' | 'endDate'>,
    from: Date,
    to: Date,
    only?: ReadonlySet<string>,
  ): Promise<SlotRow[]> {
    const audience = await this.directory.audience(routine.audience.groupIds, routine.audience.tags);
    const groups = only ? audience.groups.filter((g) => only.has(g.id)) : audience.groups;
    // Slots depend only on the zone; thousands of groups share a handful of zones.
    const byZone = new Map<string, Slot[]>();
    for (const zone of new Set(groups.map((g) => g.timezone))) {
      byZone.set(zone, slotsIn(routine.schedule, zone, from, to, routine));
    }
    const due = groups.filter((g) => byZone.get(g.timezone)!.length > 0).sort((a, b) => (a.id < b.id ? -1 : 1));
    if (due.length === 0) return [];
    return assignPieces(routine.source, due, (zone) => byZone.get(zone)!, await this.facts(routine, due, byZone, from));
  }

  private async facts(
    routine: Pick<Routine, 'source'>,
    groups: { id: string }[],
    byZone: Map<string, Slot[]>,
    from: Date,
  ): Promise<SourceFacts> {
    const { source } = routine;
    if (source.mode === 'current') {
      const dates = [...new Set([...byZone.values()].flat().map((s) => s.localDate))];
      return { byDate: await this.catalog.forDates(source.kind, dates), pool: [], received: new Map() };
    }
    const pool = await this.catalog.pool(source.tag, source.kind);
    const received = await this.history.lastReceived(
      groups.map((g) => g.id),
      pool.map((p) => p.id),
      from,
    );
    return { byDate: new Map(), pool, received };
  }
}
