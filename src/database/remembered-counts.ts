import { LRUCache } from 'lru-cache';
import { DataSource } from 'typeorm';

/** How long a count is reused. */
const COUNT_TTL_MS = 2000;

/**
 * COUNT(*)s remembered per statement and parameters for COUNT_TTL_MS: a list or calendar polled by
 * many screens at once costs one count every two seconds, not one per request. A count that fails
 * is forgotten at once.
 */
export class RememberedCounts {
  private readonly counts = new LRUCache<string, Promise<number>>({ max: 1000, ttl: COUNT_TTL_MS });

  constructor(private readonly dataSource: DataSource) {}

  /** `sql` selects one row with the count as `n`. */
  count(sql: string, params: unknown[]): Promise<number> {
    const key = `${sql}\u0000${JSON.stringify(params)}`;
    let counted = this.counts.get(key);
    if (!counted) {
      counted = (this.dataSource.query(sql, params) as Promise<{ n: string }[]>)
        .then(([row]) => Number(row.n))
        .catch((error: unknown) => {
          this.counts.delete(key);
          throw error;
        });
      this.counts.set(key, counted);
    }
    return counted;
  }
}
