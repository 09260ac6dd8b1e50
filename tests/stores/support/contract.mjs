// The TokenStore contract (js/token-store.js) and the lease / single-use-state extensions, run
// against a real store. `open(options)` makes a store over the shared database (a second call is
// "another process" on the same data); `key(name)` makes test keys unique per run.
import assert from 'node:assert/strict';

const isCode = (code, retryable) => (err) => {
  assert.equal(err?.name, 'HelpdeskOAuthError', `expected HelpdeskOAuthError, got ${err?.name}: ${err?.message}`);
  assert.equal(err.code, code, err.message);
  if (retryable !== undefined) assert.equal(err.retryable, retryable, `retryable for ${err.message}`);
  return true;
};

export function contractTests(test, { name, open, extensions = true }) {
  let n = 0;
  const key = (label) => `contract:${label}:${process.pid}:${Date.now()}:${(n += 1)}`;

  test(`${name}: get, set and delete with compare-and-set`, async () => {
    const store = open();
    const k = key('cas');
    assert.equal(await store.get(k), undefined);
    const a = await store.set(k, 'value-a');
    assert.deepEqual(await store.get(k), { value: 'value-a', version: a.version });
    const b = await store.set(k, 'value-b', { expectedVersion: a.version });
    assert.notEqual(b.version, a.version);
    await assert.rejects(store.set(k, 'stale', { expectedVersion: a.version }), isCode('token_store_conflict', true));
    await assert.rejects(store.set(k, 'absent-only', { expectedVersion: null }), isCode('token_store_conflict', true));
    assert.deepEqual(await store.get(k), { value: 'value-b', version: b.version }, 'a failed condition writes nothing');
    await assert.rejects(store.delete(k, { expectedVersion: a.version }), isCode('token_store_conflict', true));
    await assert.rejects(store.delete(k, { expectedVersion: null }), isCode('token_store_conflict', true));
    assert.equal(await store.delete(k, { expectedVersion: b.version }), true);
    assert.equal(await store.get(k), undefined);
    assert.equal(await store.delete(k), false);
    assert.equal(await store.delete(k, { expectedVersion: null }), false);
    await assert.rejects(store.delete(k, { expectedVersion: b.version }), isCode('token_store_conflict', true));
    const c = await store.set(k, 'value-c', { expectedVersion: null });
    assert.ok(![a.version, b.version].includes(c.version), 'a version is never reused for a key, not even after a delete');
    assert.equal(await store.delete(k), true);
  });

  test(`${name}: of concurrent writers expecting the same version exactly one wins`, async () => {
    const stores = [open(), open()];
    const k = key('race');
    const { version } = await stores[0].set(k, 'start');
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => stores[i % 2].set(k, `writer-${i}`, { expectedVersion: version })));
    const won = results.filter((r) => r.status === 'fulfilled');
    assert.equal(won.length, 1);
    for (const r of results.filter((x) => x.status === 'rejected')) isCode('token_store_conflict', true)(r.reason);
    const stored = await stores[1].get(k);
    assert.equal(stored.version, won[0].value.version);
    assert.match(stored.value, /^writer-\d$/);
  });

  if (!extensions) return;

  test(`${name}: a refresh lease is held by one caller at a time, across store objects`, async () => {
    const a = open({ leaseMs: 60_000, leaseWaitMs: 300 });
    const b = open({ leaseMs: 60_000, leaseWaitMs: 300 });
    const k = key('lease');
    const held = await a.acquireLease(k);
    await assert.rejects(b.acquireLease(k), isCode('token_store_error', true), 'a second holder waits, then fails retryably');
    await assert.rejects(a.acquireLease(k), isCode('token_store_error', true), 'the same store object gets no second lease either');
    const other = await b.acquireLease(key('lease-other'));
    await other.release();
    await held.release();
    const next = await b.acquireLease(k);
    await held.release(); // releasing again is harmless, and frees nobody else's lease
    await assert.rejects(a.acquireLease(k), isCode('token_store_error', true));
    await next.release();
  });

  test(`${name}: a waiting caller gets the lease as soon as it is released`, async () => {
    const a = open({ leaseWaitMs: 30_000 });
    const k = key('handover');
    const held = await a.acquireLease(k);
    const order = [];
    const waiting = open({ leaseWaitMs: 30_000 })
      .acquireLease(k)
      .then((lease) => {
        order.push('second holds');
        return lease;
      });
    await new Promise((r) => setTimeout(r, 50));
    order.push('first releases');
    await held.release();
    const lease = await waiting;
    assert.deepEqual(order, ['first releases', 'second holds']);
    await lease.release();
  });

  test(`${name}: a lease that is not released lapses after leaseMs; the old holder's release frees nothing`, async () => {
    const crashed = open({ leaseMs: 300 });
    const k = key('lapse');
    const abandoned = await crashed.acquireLease(k); // its holder "crashes": never released
    const lease = await open({ leaseMs: 60_000, leaseWaitMs: 30_000 }).acquireLease(k);
    await abandoned.release(); // too late: the lease is someone else's now
    await assert.rejects(open({ leaseWaitMs: 200 }).acquireLease(k), isCode('token_store_error', true));
    await lease.release();
  });

  test(`${name}: a callback state is consumed once, also under concurrency`, async () => {
    const stores = [open(), open()];
    const id = key('state').replace(/\W/g, '').padEnd(64, '0').slice(0, 64);
    const expiresAt = Date.now() + 60_000;
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => stores[i % 2].consumeState(id, { expiresAt })));
    assert.equal(results.filter((r) => r === true).length, 1);
    assert.equal(await stores[0].consumeState(id, { expiresAt }), false);
    assert.equal(await stores[0].consumeState(`${id.slice(0, 63)}x`, { expiresAt }), true, 'another state is independent');
  });

  test(`${name}: bad arguments are invalid_config`, async () => {
    const store = open();
    await assert.rejects(async () => store.get(''), isCode('invalid_config'));
    await assert.rejects(async () => store.set('k', 42), isCode('invalid_config'));
    await assert.rejects(async () => store.consumeState('', { expiresAt: 1 }), isCode('invalid_config'));
    await assert.rejects(async () => store.consumeState('abc', {}), isCode('invalid_config'));
  });
}

export { isCode };
