// Runs tests/workers/support/store-worker.js in workerd (miniflare), bundled against the packed
// package the way support/worker.mjs bundles the example Worker (workerd condition, the .wasm
// kept as a CompiledWasm module, `cf: false`), with the token Durable Objects and a KV namespace
// bound. `call(op, body)` posts one operation and returns its JSON answer.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Miniflare } from 'miniflare';
import { bundleWorker } from './worker.mjs';

const ENTRY = path.join(path.dirname(fileURLToPath(import.meta.url)), 'store-worker.js');
const ORIGIN = 'http://store-worker.test';

const bundle = () => bundleWorker(ENTRY, 'helpdesk-oauth-store-worker-');

/**
 * @param {{ provider: object, clientId: string, clientSecret: string, redirectUri: string, scopes: string[], clockUrl?: string, deadUrl?: string, faultUrl?: string }} o
 */
export async function startStoreWorker({ provider, clientId, clientSecret, redirectUri, scopes, clockUrl = 'http://127.0.0.1:9', deadUrl = 'http://127.0.0.1:9/revoke', faultUrl = 'http://127.0.0.1:9/token' }) {
  const { dir, script } = await bundle();
  const mf = new Miniflare({
    modules: true,
    scriptPath: script,
    modulesRoot: dir,
    modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
    compatibilityDate: '2025-06-01',
    cf: false,
    kvNamespaces: ['TOKENS_KV'],
    durableObjects: { TOKENS: 'Tokens', DEAD_REVOKE_TOKENS: 'DeadRevokeTokens', FAULTY_REFRESH_TOKENS: 'FaultyRefreshTokens', SEALED_TOKENS: 'SealedTokens' },
    bindings: {
      PROVIDER: JSON.stringify(provider),
      CLIENT_ID: clientId,
      CLIENT_SECRET: clientSecret,
      REDIRECT_URI: redirectUri,
      SCOPES: JSON.stringify(scopes),
      CLOCK_URL: clockUrl,
      DEAD_URL: deadUrl,
      FAULT_URL: faultUrl,
    },
  });
  await mf.ready;
  return {
    mf,
    async call(op, body = {}) {
      const res = await mf.dispatchFetch(`${ORIGIN}/${op}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`${op}: worker answered ${res.status}: ${text.slice(0, 300)}`);
      return JSON.parse(text);
    },
    dispose: () => mf.dispose(),
  };
}
