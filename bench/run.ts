import { contentApi } from './content-api';

/** npm run bench [-- <name>]: each benchmark prints a table and writes bench/results/<name>.json. */
const BENCHMARKS: Record<string, () => Promise<void>> = {
  'content-api': contentApi,
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((name) => !BENCHMARKS[name]);
  if (unknown.length > 0) {
    throw new Error(`unknown benchmark(s) ${unknown.join(', ')}; known: ${Object.keys(BENCHMARKS).join(', ')}`);
  }
  for (const name of wanted.length > 0 ? wanted : Object.keys(BENCHMARKS)) {
    console.log(`\n# ${name}`);
    await BENCHMARKS[name]();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
