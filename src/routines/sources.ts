export type RoutineSource =
  { mode: 'current'; kind: string } | { mode: 'pool'; tag: string; kind?: string; noRepeatDays: number };

export interface Piece {
  id: string;
  kind: string;
  revision: number;
  title: string;
}

export interface PoolPiece extends Piece {
  publishedAt: Date;
}

const DAY_MS = 86_400_000;

/**
 * The next piece of a pool for one group's slot: one it has not received in the last
 * `noRepeatDays` days, the least recently received first (never received comes first), ties by
 * the oldest publication. `received` is when the group last got (or will get) each piece.
 */
export function pickFromPool(
  pool: PoolPiece[],
  received: ReadonlyMap<string, Date>,
  slot: Date,
  noRepeatDays: number,
): PoolPiece | undefined {
  const since = slot.getTime() - noRepeatDays * DAY_MS;
  const last = (piece: PoolPiece) => received.get(piece.id)?.getTime() ?? -Infinity;
  return pool
    .filter((piece) => last(piece) <= since)
    .sort(
      (a, b) => last(a) - last(b) || a.publishedAt.getTime() - b.publishedAt.getTime() || a.id.localeCompare(b.id),
    )[0];
}

/** Why a slot sends nothing. */
export function skipReason(source: RoutineSource, localDate: string): string {
  if (source.mode === 'current') return `no ${source.kind} published for ${localDate}`;
  const pool = source.kind ? `${source.tag} (${source.kind})` : source.tag;
  return `pool ${pool} is exhausted: this group received every piece in the last ${source.noRepeatDays} days`;
}
