// Real database servers for the store tests: PostgreSQL (Debian's, from /usr/lib/postgresql/*/bin)
// and Redis (redis-server), each on a free 127.0.0.1 port with its own temporary data directory,
// started here and stopped after. PostgreSQL refuses to run as root: as root, initdb and postgres
// run as the `postgres` user. `make test-stores` (mk/stores.mk) installs both when missing.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, chownSync, existsSync, readdirSync, rmSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** A port nothing listens on right now. */
export async function freePort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function postgresBin() {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(path.join(root, v, 'bin', 'postgres'))) : [];
  versions.sort((a, b) => Number(b) - Number(a));
  if (versions.length === 0) throw new Error('PostgreSQL is not installed (/usr/lib/postgresql/*/bin/postgres): run `make test-stores`, which installs Debian `postgresql`');
  return path.join(root, versions[0], 'bin');
}

/** uid/gid to run PostgreSQL as: `postgres` when we are root, else ourselves. */
function postgresUser() {
  if (process.getuid?.() !== 0) return {};
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

async function waitForExit(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise((resolve) => child.once('exit', resolve));
}

/** Resolves once `probe()` resolves truthy; throws with `log()` after `ms`. */
async function waitUntil(probe, ms, what, log) {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what} did not come up in ${ms} ms:\n${log()}`);
    await sleep(50);
  }
}

const canConnect = (port) =>
  new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });

/**
 * Starts PostgreSQL. Returns { port, config (for new pg.Pool), stop(), start(), kill() }: stop
 * is a fast shutdown (data kept), start brings it back on the same port and data.
 */
export async function startPostgres() {
  const bin = postgresBin();
  const user = postgresUser();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'helpdesk-oauth-pg-'));
  const data = path.join(dir, 'data');
  mkdirSync(data);
  if (user.uid !== undefined) {
    chownSync(dir, user.uid, user.gid);
    chownSync(data, user.uid, user.gid);
  }
  execFileSync(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions'], { ...user, stdio: 'pipe', cwd: dir });
  const port = await freePort();
  let child;
  let log = '';
  const start = async () => {
    log = '';
    child = spawn(
      path.join(bin, 'postgres'),
      ['-D', data, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${dir}`, '-c', 'fsync=off', '-c', 'max_connections=100'],
      { ...user, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout.on('data', (d) => (log += d));
    child.stderr.on('data', (d) => (log += d));
    await waitUntil(async () => /ready to accept connections/.test(log) && (await canConnect(port)), 30_000, 'PostgreSQL', () => log);
  };
  await start();
  return {
    port,
    config: { host: '127.0.0.1', port, user: 'postgres', database: 'postgres' },
    start,
    /** Fast shutdown: clients are disconnected, committed data stays. */
    async stop() {
      const c = child;
      c.kill('SIGINT');
      await waitForExit(c);
    },
    async close() {
      if (child && child.exitCode === null && child.signalCode === null) {
        child.kill('SIGINT');
        await waitForExit(child);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Starts redis-server with an append-only file (a graceful restart keeps the data; no fsync: the disk is shared). Same handle shape. */
export async function startRedis() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'helpdesk-oauth-redis-'));
  const port = await freePort();
  let child;
  let log = '';
  const start = async () => {
    log = '';
    try {
      child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'no', '--protected-mode', 'no'], {
        cwd: dir,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (err) {
      throw new Error(`redis-server could not start (${err.code}): run \`make test-stores\`, which installs Debian redis-server`);
    }
    child.on('error', (err) => (log += `spawn error: ${err.code}: run \`make test-stores\`, which installs Debian redis-server\n`));
    child.stdout.on('data', (d) => (log += d));
    child.stderr.on('data', (d) => (log += d));
    await waitUntil(async () => /Ready to accept connections/.test(log) && (await canConnect(port)), 30_000, 'Redis', () => log);
  };
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    start,
    /** SIGTERM: Redis writes what it has and exits; clients see the connection drop. */
    async stop() {
      const c = child;
      c.kill('SIGTERM');
      await waitForExit(c);
    },
    async close() {
      if (child && child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await waitForExit(child);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
