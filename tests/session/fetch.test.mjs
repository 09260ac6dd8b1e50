// session.fetch(): paths resolved under the account's API base, Bearer added, 401 → one refresh
// and one retry, 429 → Retry-After waited out (injected sleep, bounded, abortable), never a loop.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorld, EXPIRES_IN } from './support/harness.mjs';

let w;
before(async () => {
  w = await startWorld();
});
after(() => w?.close());

const installed = (provider, account, sessionOptions = {}) => w.installed(provider, account, { sessionOptions });

const apiRequests = () => w.api.state.requests.length;

for (const provider of ['gorgias', 'kustomer']) {
  test(`${provider}: fetch resolves the path for the account and sends the Bearer token`, async () => {
    const { tokens, session } = await installed(provider, `${provider}-api`);
    const n = apiRequests();
    const res = await session.fetch('/account', { headers: { accept: 'application/json', authorization: 'Bearer not-this-one' } });
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(body.domain, `${provider}-api`);
    assert.equal(body.provider, provider);
    const seen = w.api.state.requests.at(-1);
    assert.equal(apiRequests(), n + 1);
    assert.equal(seen.path, `/${provider}/${provider}-api/api/account`);
    assert.equal(seen.authorization, `Bearer ${tokens.accessToken}`);
    // An absolute URL under the base is fine; anything else is refused before any request.
    const abs = await session.fetch(`${w.api.url}/${provider}/${provider}-api/api/account`);
    assert.equal(abs.status, 200);
    await abs.arrayBuffer();
    await assert.rejects(session.fetch('https://evil.example/api/account'), (e) => e instanceof w.pkg.HelpdeskOAuthError && e.code === 'invalid_api_path');
    await assert.rejects(session.fetch(`${w.api.url}/${provider}/other-account/api/account`), (e) => e.code === 'invalid_api_path');
    assert.equal(apiRequests(), n + 2);
  });

  test(`${provider}: a 401 (token dead at the server) leads to one refresh and one retry`, async () => {
    const { tokens, session, store } = await installed(provider, `${provider}-401`);
    // The server's clock runs past the token's expiry; the session's clock does not.
    w.serverClock.now += (EXPIRES_IN + 1) * 1000;
    try {
      const refreshes = w.server.state.refreshRequests;
      const n = apiRequests();
      const res = await session.fetch('/account');
      assert.equal(res.status, 200);
      await res.arrayBuffer();
      assert.equal(w.server.state.refreshRequests - refreshes, 1);
      assert.equal(apiRequests() - n, 2);
      const [first, second] = w.api.state.requests.slice(-2);
      assert.equal(first.authorization, `Bearer ${tokens.accessToken}`);
      const now = w.pkg.TokenSet.fromJSON((await store.get(session.key)).value);
      assert.equal(second.authorization, `Bearer ${now.accessToken}`);
      assert.notEqual(now.accessToken, tokens.accessToken);
    } finally {
      w.serverClock.now -= (EXPIRES_IN + 1) * 1000;
    }
  });
}

test('concurrent 401s share one refresh', async () => {
  const { session } = await installed('kustomer', 'many-401');
  w.serverClock.now += (EXPIRES_IN + 1) * 1000;
  try {
    const refreshes = w.server.state.refreshRequests;
    const responses = await Promise.all(Array.from({ length: 20 }, () => session.fetch('/account')));
    for (const r of responses) {
      assert.equal(r.status, 200);
      await r.arrayBuffer();
    }
    assert.equal(w.server.state.refreshRequests - refreshes, 1);
  } finally {
    w.serverClock.now -= (EXPIRES_IN + 1) * 1000;
  }
});

test('a 401 that persists after the refresh is returned: one refresh, two requests, no loop', async () => {
  const { session } = await installed('gorgias', 'always-401');
  w.api.inject({ status: 401 }, { status: 401 });
  const refreshes = w.server.state.refreshRequests;
  const n = apiRequests();
  const res = await session.fetch('/account');
  assert.equal(res.status, 401);
  await res.arrayBuffer();
  assert.equal(w.server.state.refreshRequests - refreshes, 1);
  assert.equal(apiRequests() - n, 2);
  assert.ok(w.api.state.requests.slice(-2).every((r) => r.injected));
});

test('429 with Retry-After: waits (injected sleep) then retries', async () => {
  const { sleep, calls } = w.recordingSleep();
  const { session } = await installed('gorgias', 'limited', { sleep });
  w.api.inject({ status: 429, headers: { 'Retry-After': '7' } });
  const n = apiRequests();
  const res = await session.fetch('/account');
  assert.equal(res.status, 200);
  await res.arrayBuffer();
  assert.deepEqual(calls.map((c) => c.ms), [7000]);
  assert.equal(apiRequests() - n, 2);
});

test('429 with an HTTP-date Retry-After is measured against the injected clock', async () => {
  const { sleep, calls } = w.recordingSleep();
  const { session } = await installed('gorgias', 'limited-date', { sleep });
  w.api.inject({ status: 429, headers: { 'Retry-After': new Date(w.clock.now + 12_000).toUTCString() } });
  const res = await session.fetch('/account');
  assert.equal(res.status, 200);
  await res.arrayBuffer();
  assert.deepEqual(calls.map((c) => c.ms), [12_000]);
});

test('429 is retried at most `retries` times, then returned', async () => {
  const { sleep, calls } = w.recordingSleep();
  const { session } = await installed('gorgias', 'limited-often', { sleep, retries: 2 });
  w.api.inject(...Array.from({ length: 3 }, () => ({ status: 429, headers: { 'Retry-After': '1' } })));
  const n = apiRequests();
  const res = await session.fetch('/account');
  assert.equal(res.status, 429);
  await res.arrayBuffer();
  assert.equal(calls.length, 2);
  assert.equal(apiRequests() - n, 3);
});

test('429 with a Retry-After over maxRetryAfterSeconds, or none, is returned without waiting', async () => {
  const { sleep, calls } = w.recordingSleep();
  const { session } = await installed('gorgias', 'limited-long', { sleep, maxRetryAfterSeconds: 30 });
  w.api.inject({ status: 429, headers: { 'Retry-After': '31' } });
  const res = await session.fetch('/account');
  assert.equal(res.status, 429);
  assert.equal(res.headers.get('retry-after'), '31');
  await res.arrayBuffer();
  w.api.inject({ status: 429 });
  const res2 = await session.fetch('/account');
  assert.equal(res2.status, 429);
  await res2.arrayBuffer();
  assert.equal(calls.length, 0);
});

test('an AbortSignal cancels the Retry-After wait: aborted, no further request', async () => {
  let sleepSignal;
  let sleeping;
  const entered = new Promise((r) => (sleeping = r));
  // A sleep that never ends by itself: only the abort can end the wait.
  const sleep = (ms, signal) => {
    sleepSignal = signal;
    sleeping();
    return new Promise(() => {});
  };
  const { session } = await installed('gorgias', 'limited-abort', { sleep });
  w.api.inject({ status: 429, headers: { 'Retry-After': '5' } });
  const controller = new AbortController();
  const n = apiRequests();
  const pending = session.fetch('/account', { signal: controller.signal });
  await entered;
  controller.abort();
  await assert.rejects(pending, (e) => e instanceof w.pkg.HelpdeskOAuthError && e.code === 'aborted' && e.retryable === false);
  assert.equal(sleepSignal, controller.signal, 'the sleep gets the signal to stop its timer');
  assert.equal(apiRequests() - n, 1);
  // An already aborted signal: nothing is sent.
  await assert.rejects(session.fetch('/account', { signal: controller.signal }), (e) => e.code === 'aborted');
  await assert.rejects(session.accessToken({ signal: controller.signal }), (e) => e.code === 'aborted');
  assert.equal(apiRequests() - n, 1);
});

test('the default sleep really waits and stops on abort', async () => {
  const { session } = await installed('gorgias', 'default-sleep');
  w.api.inject({ status: 429, headers: { 'Retry-After': '0' } });
  const res = await session.fetch('/account');
  assert.equal(res.status, 200);
  await res.arrayBuffer();
  w.api.inject({ status: 429, headers: { 'Retry-After': '60' } });
  const controller = new AbortController();
  const pending = session.fetch('/account', { signal: controller.signal });
  setImmediate(() => controller.abort());
  await assert.rejects(pending, (e) => e.code === 'aborted');
});

test('a POST body is sent again on the retry; a stream body is not retried', async () => {
  const { sleep } = w.recordingSleep();
  const { session } = await installed('gorgias', 'post', { sleep });
  w.api.inject({ status: 429, headers: { 'Retry-After': '1' } });
  const res = await session.fetch('/echo', { method: 'POST', body: '{"subject":"hi"}', headers: { 'content-type': 'application/json' } });
  assert.deepEqual(await res.json(), { method: 'POST', body: '{"subject":"hi"}' });
  const [first, second] = w.api.state.requests.slice(-2);
  assert.equal(first.body, '{"subject":"hi"}');
  assert.equal(second.body, '{"subject":"hi"}');
  w.api.inject({ status: 429, headers: { 'Retry-After': '1' } });
  const stream = new ReadableStream({
    start(c) {
      c.enqueue(new TextEncoder().encode('once'));
      c.close();
    },
  });
  const res2 = await session.fetch('/echo', { method: 'POST', body: stream, duplex: 'half' });
  assert.equal(res2.status, 429);
  await res2.arrayBuffer();
});

test('an unreachable API is a retryable network_error', async () => {
  const { session } = await installed('gorgias', 'api-down', { fetch: () => Promise.reject(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } })) });
  await assert.rejects(session.fetch('/account'), (e) => e instanceof w.pkg.HelpdeskOAuthError && e.code === 'network_error' && e.retryable && /ECONNREFUSED/.test(e.message));
});

test('the token is refreshed when it expired while waiting out a 429', async () => {
  const start = { c: w.clock.now, s: w.serverClock.now };
  // A sleep that moves both clocks instead of waiting.
  const sleep = async (ms) => {
    w.clock.now += ms;
    w.serverClock.now += ms;
  };
  const { tokens, session } = await installed('gorgias', 'expire-while-waiting', { sleep, maxRetryAfterSeconds: EXPIRES_IN });
  w.api.inject({ status: 429, headers: { 'Retry-After': `${EXPIRES_IN}` } });
  try {
    const refreshes = w.server.state.refreshRequests;
    const res = await session.fetch('/account');
    assert.equal(res.status, 200);
    await res.arrayBuffer();
    assert.equal(w.server.state.refreshRequests - refreshes, 1);
    assert.notEqual(w.api.state.requests.at(-1).authorization, `Bearer ${tokens.accessToken}`, 'a refreshed token on the retry');
  } finally {
    w.clock.now = start.c;
    w.serverClock.now = start.s;
  }
});
