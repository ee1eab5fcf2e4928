import { ChannelType } from '../providers/channel-types';
import { Slot } from './slots';
import { Piece, PoolPiece, RoutineSource, pickFromPool, skipReason } from './sources';

export interface SlotGroup {
  id: string;
  timezone: string;
  channelType: ChannelType;
}

export interface SlotRow {
  groupId: string;
  channelType: ChannelType;
  dueAt: Date;
  localDate: string;
  /** What the slot sends, or null with the reason it sends nothing. */
  piece: Piece | null;
  reason: string | null;
}

export interface SourceFacts {
  /** `current`: the piece written for each local date. */
  byDate: ReadonlyMap<string, Piece>;
  /** `pool`: its pieces, and when each group last received each of them. */
  pool: PoolPiece[];
  received: ReadonlyMap<string, ReadonlyMap<string, Date>>;
}

/**
 * The piece each group's slot sends, slot after slot in time order: a pool piece chosen for one
 * slot counts as received for the next, so a week's plan and a week of ticks choose alike.
 */
export function assignPieces(
  source: RoutineSource,
  groups: SlotGroup[],
  slotsOf: (zone: string) => Slot[],
  facts: SourceFacts,
): SlotRow[] {
  const rows: SlotRow[] = [];
  for (const group of groups) {
    const received = new Map(facts.received.get(group.id) ?? []);
    for (const slot of slotsOf(group.timezone)) {
      const piece =
        source.mode === 'current'
          ? facts.byDate.get(slot.localDate)
          : pickFromPool(facts.pool, received, slot.dueAt, source.noRepeatDays);
      if (piece && source.mode === 'pool') received.set(piece.id, slot.dueAt);
      rows.push({
        groupId: group.id,
        channelType: group.channelType,
        dueAt: slot.dueAt,
        localDate: slot.localDate,
        piece: piece ?? null,
        reason: piece ? null : skipReason(source, slot.localDate),
      });
    }
  }
  return rows;
}
