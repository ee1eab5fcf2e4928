import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';

export interface LoadResult {
  name: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
}

export async function load(
  name: string,
  options: {
    url: string;
    method?: 'GET' | 'POST';
    headers?: Record<string, string>;
    body?: string;
    connections?: number;
    seconds?: number;
  },
): Promise<LoadResult> {
  const result = await autocannon({
    url: options.url,
    method: options.method ?? 'GET',
    headers: options.headers,
    body: options.body,
    connections: options.connections ?? 50,
    duration: options.seconds ?? 10,
  });
  return {
    name,
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

/** A table row per route, each beside the bare route's req/s. */
export function loadRows(baseline: LoadResult, results: LoadResult[]): object[] {
  return results.map((r) => ({
    route: r.name,
    'req/s': r.requestsPerSecond,
    'p50 ms': r.p50Ms,
    'p99 ms': r.p99Ms,
    'non-2xx': r.non2xx,
    errors: r.errors,
    'vs bare route': Number((r.requestsPerSecond / baseline.requestsPerSecond).toFixed(2)),
  }));
}

/** One line of the closing summary: a figure, its baseline from the same run, and the target. */
export interface Figure {
  benchmark: string;
  figure: string;
  value: number;
  unit: string;
  baseline?: number;
  /** value / baseline, or baseline / value where less is better: above 1 means slower. */
  ratio?: number;
  target: string;
  met: boolean;
}

export const machine = () => ({
  cpus: cpus().length,
  cpu: cpus()[0]?.model,
  memoryGb: Math.round(totalmem() / 2 ** 30),
  node: process.version,
});

/** Prints a benchmark's own table and writes bench/results/<name>.json with its figures. */
export function report(
  benchmark: string,
  rows: object[],
  figures: Figure[],
  extra: Record<string, unknown> = {},
): Figure[] {
  console.table(rows);
  const folder = join(__dirname, 'results');
  mkdirSync(folder, { recursive: true });
  writeFileSync(
    join(folder, `${benchmark}.json`),
    JSON.stringify({ benchmark, at: new Date().toISOString(), machine: machine(), rows, figures, ...extra }, null, 2),
  );
  return figures;
}
