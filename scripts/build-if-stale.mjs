// `npm start` and `npm run demo` build first only when a source is newer than the build, so a
// restart with nothing changed serves at once; `npm run build` always builds.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

// npm runs scripts in the package's folder.
const root = process.cwd();
const SOURCES = [
  'src',
  'console/src',
  'console/index.html',
  'console/vite.config.ts',
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.build.json',
  'nest-cli.json',
];
const OUTPUTS = ['dist/main.js', 'console/dist/index.html'];

/** The newest modification time under a path (a file, or a folder walked whole). */
function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((latest, name) => Math.max(latest, newest(join(path, name))), stat.mtimeMs);
}

const built = Math.min(...OUTPUTS.map((p) => (existsSync(join(root, p)) ? statSync(join(root, p)).mtimeMs : 0)));
const changed = Math.max(...SOURCES.map((p) => newest(join(root, p))));
if (built === 0 || changed > built) {
  process.stdout.write(
    built === 0 ? 'building (no build yet)…\n' : 'building (sources changed since the last build)…\n',
  );
  const result = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
