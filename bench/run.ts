import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { accuracy } from './accuracy';
import { api } from './api';
import { fanout } from './fanout';
import { gap } from './gap';
import { herd } from './herd';
import { links } from './links';
import { memory } from './memory';
import { stall } from './stall';
import { stats } from './stats';
import { plan } from './plan';
import { retention } from './retention';
import { scale } from './scale';
import { routines } from './routines';
import { steady } from './steady';
import { throughput } from './throughput';
import { Figure, machine } from './report';

/** npm run bench [-- <name>…]: each benchmark prints a table and writes bench/results/<name>.json. */
const BENCHMARKS: Record<string, () => Promise<Figure[]>> = {
  fanout,
  throughput,
  herd,
  steady,
  memory,
  api,
  stats,
  stall,
  routines,
  plan,
  links,
  accuracy,
  retention,
  scale,
  gap,
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((name) => !BENCHMARKS[name]);
  if (unknown.length > 0) {
    throw new Error(`unknown benchmark(s) ${unknown.join(', ')}; known: ${Object.keys(BENCHMARKS).join(', ')}`);
  }
  const figures: Figure[] = [];
  for (const name of wanted.length > 0 ? wanted : Object.keys(BENCHMARKS)) {
    console.log(`\n# ${name}`);
    figures.push(...(await BENCHMARKS[name]()));
  }
  console.log('\n# summary');
  console.table(figures.map((f) => ({ ...f, met: f.met ? 'met' : 'MISSED' })));
  writeFileSync(
    join(__dirname, 'results', 'summary.json'),
    JSON.stringify({ at: new Date().toISOString(), machine: machine(), figures }, null, 2),
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
