import { SlotGroup, assignPieces } from './assign';
import { Slot } from './slots';
import { PoolPiece, pickFromPool } from './sources';

const DAY = 86_400_000;
const at = (day: number) => new Date(Date.UTC(2026, 10, 23) + day * DAY);
const piece = (id: string, publishedDay: number): PoolPiece => ({
  id,
  kind: 'goodnight_poster',
  revision: 1,
  title: `晚安 ${id}`,
  publishedAt: at(publishedDay - 100),
});
const POOL = [piece('a', 1), piece('b', 2), piece('c', 3)];

describe('choosing from a pool', () => {
  it('takes the piece never received, oldest publication first', () => {
    expect(pickFromPool(POOL, new Map(), at(0), 2)?.id).toBe('a');
    expect(pickFromPool(POOL, new Map([['a', at(-1)]]), at(0), 2)?.id).toBe('b');
  });

  it('takes the least recently received once all were received, and none received within the window', () => {
    const received = new Map([
      ['a', at(-3)],
      ['b', at(-5)],
      ['c', at(-4)],
    ]);
    expect(pickFromPool(POOL, received, at(0), 2)?.id).toBe('b');
    expect(pickFromPool(POOL, received, at(0), 4)?.id).toBe('b');
    expect(pickFromPool(POOL, received, at(0), 6)).toBeUndefined();
  });
});

describe('assigning pieces to slots', () => {
  const groups: SlotGroup[] = [
    { id: 'g1', timezone: 'Asia/Shanghai', channelType: 'wecom' },
    { id: 'g2', timezone: 'Asia/Shanghai', channelType: 'wecom' },
  ];
  const week: Slot[] = Array.from({ length: 7 }, (_, day) => ({
    dueAt: at(day),
    localDate: at(day).toISOString().slice(0, 10),
  }));

  it('never repeats a pool piece within the window, and says when the pool is exhausted', () => {
    const rows = assignPieces({ mode: 'pool', tag: '晚安', noRepeatDays: 2 }, groups, () => week.slice(0, 4), {
      byDate: new Map(),
      pool: POOL,
      received: new Map([['g2', new Map([['a', at(-1)]])]]),
    });
    const of = (group: string) => rows.filter((r) => r.groupId === group).map((r) => r.piece?.id ?? r.reason);
    expect(of('g1')).toEqual(['a', 'b', 'c', 'a']);
    expect(of('g2')).toEqual(['b', 'c', 'a', 'b']);
    const tight = assignPieces(
      { mode: 'pool', tag: '晚安', noRepeatDays: 4 },
      groups.slice(0, 1),
      () => week.slice(0, 4),
      {
        byDate: new Map(),
        pool: POOL,
        received: new Map(),
      },
    );
    expect(tight.map((r) => r.piece?.id ?? r.reason)).toEqual([
      'a',
      'b',
      'c',
      'pool 晚安 is exhausted: this group received every piece in the last 4 days',
    ]);
  });

  it('sends the piece written for the slot’s local date, and skips a date with none', () => {
    const brief = { id: 'brief', kind: 'morning_brief', revision: 2, title: '早报 11-23' };
    const rows = assignPieces({ mode: 'current', kind: 'morning_brief' }, groups.slice(0, 1), () => week.slice(0, 2), {
      byDate: new Map([['2026-11-23', brief]]),
      pool: [],
      received: new Map(),
    });
    expect(rows.map((r) => r.piece?.id ?? r.reason)).toEqual(['brief', 'no morning_brief published for 2026-11-24']);
  });
});
