// The database clients the store tests use, from the repository's devDependencies: pg, node-redis
// (v6 as `redis`, v5 as `redis-v5` = @redis/client 5) and ioredis; and the package's store
// modules, resolved through the installed package's exports map.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import pg from 'pg';
import { createClient as createClientV6 } from 'redis';
import { createClient as createClientV5 } from 'redis-v5';
import { Redis as IoRedis } from 'ioredis';
import { loadPackage } from '../../node/support/install-package.mjs';

export const REDIS_CLIENTS = ['node-redis', 'node-redis-v5', 'ioredis'];

/** A connected Redis client of `kind` for `url`; `close()` ends it. */
export async function redisClient(kind, url) {
  if (kind === 'ioredis') {
    const client = new IoRedis(url, { lazyConnect: true });
    client.on('error', () => {}); // reconnects on its own; failures reach the store's calls
    await client.connect();
    return { client, close: () => client.disconnect() };
  }
  const create = kind === 'node-redis-v5' ? createClientV5 : createClientV6;
  const client = create({ url, socket: { reconnectStrategy: () => 100 } });
  client.on('error', () => {});
  await client.connect();
  return { client, close: () => client.destroy() };
}

/** A pg Pool; idle clients that lose their server (a restart) are reported here, not thrown. */
export function pgPool(config, options = {}) {
  const pool = new pg.Pool({ ...config, max: 5, ...options });
  pool.on('error', () => {});
  return pool;
}

/** { esm, postgres, redis, sealed }: the package and its store subpaths as installed. */
export async function loadStores() {
  const installed = await loadPackage();
  const req = createRequire(path.join(installed.dir, 'package.json'));
  const load = (sub) => import(pathToFileURL(req.resolve(`helpdesk-oauth/${sub}`)).href);
  const [postgres, redis, sealed] = await Promise.all([load('postgres'), load('redis'), load('sealed')]);
  return { esm: installed.esm, dir: installed.dir, postgres, redis, sealed };
}
