import DataLoader from 'dataloader';

/**
 * Calls made within `windowMs` of each other reach the database as one statement. A worker runs
 * many posts at once; batching their reads and writes is what keeps MySQL from being the limit.
 * No caching: every call reads afresh.
 */
export function batchLoader<K, V>(
  load: (keys: readonly K[]) => Promise<(V | Error)[]>,
  windowMs = 2,
  maxBatchSize = 200,
): DataLoader<K, V> {
  return new DataLoader<K, V>(load, {
    cache: false,
    maxBatchSize,
    batchScheduleFn: (run) => setTimeout(run, windowMs),
  });
}
