#!/usr/bin/env node
// A local Redis Cluster of three masters, from this machine's redis-server, on 127.0.0.1 ports of
// its own choosing (never 6379). Each node keeps its files in <dir>; nothing is written elsewhere.
//
//   node scripts/redis-cluster.mjs start <dir>   prints REDIS_CLUSTER_NODES (host:port,…)
//   node scripts/redis-cluster.mjs stop <dir>    stops the nodes started in <dir> and removes it
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

const MASTERS = 3;
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/** Whether 127.0.0.1:port is free to listen on. */
const free = (port) =>
  new Promise((answer) => {
    const server = createServer();
    server.once('error', () => answer(false));
    server.listen(port, '127.0.0.1', () => server.close(() => answer(true)));
  });

/** A port whose cluster bus port (+10000) is free as well. */
async function pickPort(taken) {
  for (let tries = 0; tries < 200; tries++) {
    const port = 20000 + Math.floor(Math.random() * 30000);
    if (taken.has(port) || taken.has(port + 10000)) continue;
    if ((await free(port)) && (await free(port + 10000))) return port;
  }
  throw new Error('no free port pair for a cluster node');
}

const cli = (port, ...args) =>
  spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], { encoding: 'utf8' }).stdout ?? '';

async function start(dir) {
  mkdirSync(dir, { recursive: true });
  const taken = new Set();
  const ports = [];
  for (let i = 0; i < MASTERS; i++) {
    const port = await pickPort(taken);
    taken.add(port).add(port + 10000);
    ports.push(port);
  }
  for (const port of ports) {
    const nodeDir = join(dir, String(port));
    mkdirSync(nodeDir, { recursive: true });
    execFileSync('redis-server', [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      nodeDir,
      '--cluster-enabled',
      'yes',
      '--cluster-config-file',
      'nodes.conf',
      '--cluster-node-timeout',
      '5000',
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'yes',
      '--pidfile',
      join(nodeDir, 'redis.pid'),
      '--logfile',
      join(nodeDir, 'redis.log'),
    ]);
  }
  for (const port of ports) {
    for (let i = 0; cli(port, 'ping').trim() !== 'PONG'; i++) {
      if (i > 100) throw new Error(`redis-server on ${port} did not start`);
      await sleep(50);
    }
  }
  const created = spawnSync(
    'redis-cli',
    ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'],
    { encoding: 'utf8' },
  );
  if (created.status !== 0) throw new Error(`redis-cli --cluster create failed: ${created.stdout}${created.stderr}`);
  for (const port of ports) {
    for (let i = 0; !/cluster_state:ok/.test(cli(port, 'cluster', 'info')); i++) {
      if (i > 200) throw new Error(`the cluster node on ${port} did not reach cluster_state:ok`);
      await sleep(50);
    }
  }
  const nodes = ports.map((p) => `127.0.0.1:${p}`).join(',');
  writeFileSync(join(dir, 'nodes'), nodes);
  process.stdout.write(`${nodes}\n`);
}

/** Whether a process is still there. */
const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Stops the nodes, waits until they have exited (a node writes its files as it goes), then removes <dir>. */
async function stop(dir) {
  if (!existsSync(dir)) return;
  const pids = [];
  for (const entry of readdirSync(dir)) {
    const pidFile = join(dir, entry, 'redis.pid');
    if (!existsSync(pidFile)) continue;
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    try {
      process.kill(pid, 'SIGTERM');
      pids.push(pid);
    } catch {
      // already gone
    }
  }
  for (const pid of pids) {
    for (let i = 0; alive(pid); i++) {
      if (i === 200) process.kill(pid, 'SIGKILL'); // 10 s, then no more waiting on a clean exit
      await sleep(50);
    }
  }
  rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
}

const [command, dir] = process.argv.slice(2);
if (!['start', 'stop'].includes(command) || !dir) {
  process.stderr.write('usage: node scripts/redis-cluster.mjs start|stop <dir>\n');
  process.exit(2);
}
if (command === 'start') {
  start(resolve(dir)).catch(async (error) => {
    await stop(resolve(dir));
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  });
} else {
  await stop(resolve(dir));
}
