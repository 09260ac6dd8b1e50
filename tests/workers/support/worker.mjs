// Runs examples/cloudflare-worker in the real Workers runtime (workerd, via npm `miniflare`),
// built against the packed package: esbuild resolves `helpdesk-oauth` and
// `helpdesk-oauth/workers` with the workerd condition from the scratch install of the tarball
// (tests/node/support/install-package.mjs), keeps the .wasm import, and miniflare loads the wasm
// as a CompiledWasm module, as wrangler does on deploy. `cf: false`: nothing reaches out.
import path from 'node:path';
import fs from 'node:fs/promises';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { loadPackage } from '../../node/support/install-package.mjs';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const EXAMPLE = path.join(REPO_ROOT, 'examples', 'cloudflare-worker', 'src', 'index.js');

let bundled;

/** Bundles a Worker entry against the installed package, with the wasm beside it; { dir, script }. */
export async function bundleWorker(entry, prefix = 'helpdesk-oauth-worker-') {
  const { dir: consumer } = await loadPackage();
  const out = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  const script = path.join(out, 'worker.mjs');
  await build({
    entryPoints: [entry],
    outfile: script,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    nodePaths: [path.join(consumer, 'node_modules')],
    external: ['*.wasm'],
    logLevel: 'error',
  });
  await fs.copyFile(path.join(consumer, 'node_modules', 'helpdesk-oauth', 'helpdesk_oauth_bg.wasm'), path.join(out, 'helpdesk_oauth_bg.wasm'));
  return { dir: out, script };
}

/** Bundles the example worker once per process; resolves to { dir, script }. */
export function bundleExample() {
  bundled ??= bundleWorker(EXAMPLE);
  return bundled;
}

export const COOKIE_SECRET = 'worker-test-cookie-secret-0123456789abcdef';
export const API_PROXY_TOKEN = 'proxy-token-for-tests';
export const REDIRECT_URI = 'http://localhost:8787/oauth/callback';
export const WORKER_ORIGIN = 'http://localhost:8787';

/**
 * Starts the example worker. `backend`: 'durable-object' (TOKENS bound) or 'kv' (only TOKENS_KV).
 * @returns {Promise<Miniflare>}
 */
export async function startWorker({ provider, clientId, clientSecret, backend = 'durable-object' }) {
  const { dir, script } = await bundleExample();
  const mf = new Miniflare({
    modules: true,
    scriptPath: script,
    modulesRoot: dir,
    modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
    compatibilityDate: '2025-06-01',
    cf: false,
    kvNamespaces: ['TOKENS_KV'],
    ...(backend === 'durable-object' ? { durableObjects: { TOKENS: 'HelpdeskTokens' } } : {}),
    bindings: {
      PROVIDER: JSON.stringify(provider),
      CLIENT_ID: clientId,
      CLIENT_SECRET: clientSecret,
      REDIRECT_URI,
      COOKIE_SECRET,
      API_PROXY_TOKEN,
    },
  });
  await mf.ready;
  return mf;
}

/** The `name=value` part of a Set-Cookie header. */
export const cookiePair = (setCookie) => setCookie.split(';')[0];
