// MemoryTokenStore: compare-and-set on versions, so that an older write cannot replace a newer
// (rotated) token set; versions are never reused; errors are typed. Also: the session API is
// exported from both the ESM and the CommonJS entry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadPackage } from '../node/support/install-package.mjs';

const pkg = await loadPackage();
const { MemoryTokenStore, HelpdeskOAuthError } = pkg.esm;

const conflict = (e) => e instanceof HelpdeskOAuthError && e.code === 'token_store_conflict' && e.retryable === true;

test('set/get/delete with versions', async () => {
  const store = new MemoryTokenStore();
  assert.equal(await store.get('k'), undefined);
  const { version: v1 } = await store.set('k', 'one', { expectedVersion: null });
  assert.deepEqual(await store.get('k'), { value: 'one', version: v1 });
  const { version: v2 } = await store.set('k', 'two', { expectedVersion: v1 });
  assert.notEqual(v2, v1);
  assert.deepEqual(await store.get('k'), { value: 'two', version: v2 });
  assert.equal(store.size, 1);
  assert.equal(await store.delete('k', { expectedVersion: v2 }), true);
  assert.equal(await store.delete('k'), false);
  assert.equal(store.size, 0);
});

test('an older write cannot overwrite a newer one', async () => {
  const store = new MemoryTokenStore();
  const { version: v1 } = await store.set('k', 'refresh-token-1');
  const { version: v2 } = await store.set('k', 'rotated-refresh-token-2', { expectedVersion: v1 });
  // A writer that read v1 and now tries to store its (older) view:
  await assert.rejects(store.set('k', 'stale-write', { expectedVersion: v1 }), conflict);
  await assert.rejects(store.delete('k', { expectedVersion: v1 }), conflict);
  await assert.rejects(store.set('k', 'create-only', { expectedVersion: null }), conflict);
  assert.deepEqual(await store.get('k'), { value: 'rotated-refresh-token-2', version: v2 });
  // Unconditional writes (a fresh install) still go through.
  await store.set('k', 'reinstalled');
  assert.equal((await store.get('k')).value, 'reinstalled');
});

test('versions are not reused after a delete (no ABA)', async () => {
  const store = new MemoryTokenStore();
  const { version: v1 } = await store.set('k', 'a');
  await store.delete('k');
  const { version: v2 } = await store.set('k', 'b');
  assert.notEqual(v2, v1);
  await assert.rejects(store.set('k', 'c', { expectedVersion: v1 }), conflict);
  // Keys are independent.
  await store.set('other', 'x', { expectedVersion: null });
  assert.equal(store.size, 2);
});

test('bad keys and values are typed errors', async () => {
  const store = new MemoryTokenStore();
  const bad = (e) => e instanceof HelpdeskOAuthError && e.code === 'invalid_config';
  await assert.rejects(store.get(''), bad);
  await assert.rejects(store.get(42), bad);
  await assert.rejects(store.set('k', { not: 'a string' }), bad);
  assert.equal(String(store), 'MemoryTokenStore { size: 0 }');
});

test('the session API is exported from ESM and CommonJS', () => {
  for (const ns of [pkg.esm, pkg.cjs]) {
    assert.equal(typeof ns.createSession, 'function');
    assert.equal(typeof ns.Session, 'function');
    assert.equal(typeof ns.MemoryTokenStore, 'function');
  }
  // The CJS copy throws the CJS HelpdeskOAuthError.
  const { MemoryTokenStore: CjsStore, HelpdeskOAuthError: CjsError } = pkg.cjs;
  return new CjsStore().get('').then(
    () => assert.fail('resolved'),
    (e) => assert.ok(e instanceof CjsError),
  );
});
