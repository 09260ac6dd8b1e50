// Token lifetimes, refresh issuance, rotation, revocation and the API with a controlled clock:
// the emulator takes `now`, so nothing here waits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, answerConsent } from '../../emulator/index.mjs';

const REDIRECT = 'http://127.0.0.1:9/cb';
const basic = (id, s) => 'Basic ' + Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(s)}`).toString('base64');

async function withEmulator(options, fn) {
  let clock = 1_800_000_000_000;
  const em = await startEmulator({
    apps: [
      { provider: 'gorgias', clientId: 'g', clientSecret: 'gs', redirectUris: [REDIRECT] },
      { provider: 'kustomer', clientId: 'k', clientSecret: 'ks', redirectUris: [REDIRECT] },
    ],
    now: () => clock,
    ...options,
  });
  try {
    await fn(em, (ms) => (clock += ms));
  } finally {
    await em.close();
  }
}

async function code(em, provider, account, scope, extra = {}) {
  const clientId = provider === 'gorgias' ? 'g' : 'k';
  const q = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: REDIRECT, scope, state: 's', ...extra });
  return new URL(await answerConsent(`${em.url}/${provider}/${account}/oauth/authorize?${q}`)).searchParams.get('code');
}

async function tokenCall(em, provider, account, params) {
  const gorgias = provider === 'gorgias';
  const res = await fetch(`${em.url}/${provider}/${account}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(gorgias ? { authorization: basic('g', 'gs') } : {}) },
    body: new URLSearchParams(gorgias ? params : { ...params, client_id: 'k', client_secret: 'ks' }).toString(),
  });
  return { status: res.status, body: await res.json() };
}

const api = (em, provider, account, at) =>
  fetch(`${em.url}/${provider}/${account}/api/account`, { headers: at ? { authorization: `Bearer ${at}` } : {} });

test('codes live codeTtlSeconds: an expired code is invalid_grant', async () => {
  await withEmulator({ codeTtlSeconds: 30 }, async (em, advance) => {
    const c = await code(em, 'gorgias', 'acme', 'openid');
    advance(30_000);
    const r = await tokenCall(em, 'gorgias', 'acme', { grant_type: 'authorization_code', code: c, redirect_uri: REDIRECT });
    assert.equal(r.status, 400);
    assert.equal(r.body.error, 'invalid_grant');
    assert.match(r.body.error_description, /expired/);
  });
});

test('offline / offline_access decide whether a refresh token is issued', async () => {
  await withEmulator({}, async (em) => {
    for (const [provider, withScope, without] of [
      ['gorgias', 'openid offline', 'openid tickets:read'],
      ['kustomer', 'org.permission.customer offline_access', 'org.permission.customer'],
    ]) {
      let r = await tokenCall(em, provider, 'acme', { grant_type: 'authorization_code', code: await code(em, provider, 'acme', withScope), redirect_uri: REDIRECT });
      assert.equal(r.status, 200);
      assert.ok(r.body.refresh_token, `${provider}: ${withScope}`);
      r = await tokenCall(em, provider, 'acme', { grant_type: 'authorization_code', code: await code(em, provider, 'acme', without), redirect_uri: REDIRECT });
      assert.equal(r.status, 200);
      assert.equal(r.body.refresh_token, undefined, `${provider}: ${without}`);
    }
  });
});

test('Gorgias: JWT access token and id_token with the nonce; the API takes the token until it expires', async () => {
  await withEmulator({ expiresIn: 3600 }, async (em, advance) => {
    const r = await tokenCall(em, 'gorgias', 'acme', { grant_type: 'authorization_code', code: await code(em, 'gorgias', 'acme', 'openid email', { nonce: 'N-42' }), redirect_uri: REDIRECT });
    const claims = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url'));
    assert.equal(claims(r.body.id_token).nonce, 'N-42');
    assert.equal(claims(r.body.access_token).aud, 'https://acme.gorgias.com/api');
    assert.equal(claims(r.body.access_token).azp, 'g');
    assert.equal(claims(r.body.access_token).exp - claims(r.body.access_token).iat, 3600);
    let res = await api(em, 'gorgias', 'acme', r.body.access_token);
    assert.equal(res.status, 200);
    assert.equal((await res.json()).domain, 'acme');
    advance(3600_000);
    res = await api(em, 'gorgias', 'acme', r.body.access_token);
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('www-authenticate'), 'Bearer error="invalid_token"');
    await res.text();
  });
});

test('Kustomer: rotation kills the old refresh token; the new one works', async () => {
  await withEmulator({}, async (em) => {
    const t = await tokenCall(em, 'kustomer', 'org1', { grant_type: 'authorization_code', code: await code(em, 'kustomer', 'org1', 'org.permission.customer offline_access'), redirect_uri: REDIRECT });
    const r1 = await tokenCall(em, 'kustomer', 'org1', { grant_type: 'refresh_token', refresh_token: t.body.refresh_token });
    assert.equal(r1.status, 200);
    assert.notEqual(r1.body.refresh_token, t.body.refresh_token);
    const old = await tokenCall(em, 'kustomer', 'org1', { grant_type: 'refresh_token', refresh_token: t.body.refresh_token });
    assert.equal(old.body.error, 'invalid_grant');
    const r2 = await tokenCall(em, 'kustomer', 'org1', { grant_type: 'refresh_token', refresh_token: r1.body.refresh_token });
    assert.equal(r2.status, 200);
  });
});

test('Kustomer reuse detection: a rotated refresh token presented again revokes the whole grant', async () => {
  await withEmulator({ reuseDetection: true }, async (em) => {
    const t = await tokenCall(em, 'kustomer', 'org1', { grant_type: 'authorization_code', code: await code(em, 'kustomer', 'org1', 'org.permission.customer offline_access'), redirect_uri: REDIRECT });
    const r1 = await tokenCall(em, 'kustomer', 'org1', { grant_type: 'refresh_token', refresh_token: t.body.refresh_token });
    assert.equal(r1.status, 200);
    const old = await tokenCall(em, 'kustomer', 'org1', { grant_type: 'refresh_token', refresh_token: t.body.refresh_token });
    assert.equal(old.body.error, 'invalid_grant');
    assert.match(old.body.error_description, /already used/);
    assert.equal(em.state.refreshReuse, 1);
    // The live refresh token and access token of the grant died with it.
    const r2 = await tokenCall(em, 'kustomer', 'org1', { grant_type: 'refresh_token', refresh_token: r1.body.refresh_token });
    assert.equal(r2.body.error, 'invalid_grant');
    const a = await api(em, 'kustomer', 'org1', r1.body.access_token);
    assert.equal(a.status, 401);
    await a.text();
    // Another grant of the same org is not touched.
    const other = await tokenCall(em, 'kustomer', 'org1', { grant_type: 'authorization_code', code: await code(em, 'kustomer', 'org1', 'org.permission.customer offline_access'), redirect_uri: REDIRECT });
    assert.equal((await tokenCall(em, 'kustomer', 'org1', { grant_type: 'refresh_token', refresh_token: other.body.refresh_token })).status, 200);
  });
});

test('with reuseDetection, a code redeemed twice revokes the tokens issued for it (RFC 6749 §4.1.2)', async () => {
  await withEmulator({ reuseDetection: true }, async (em) => {
    const c = await code(em, 'gorgias', 'acme', 'openid offline account:read');
    const first = await tokenCall(em, 'gorgias', 'acme', { grant_type: 'authorization_code', code: c, redirect_uri: REDIRECT });
    assert.equal(first.status, 200);
    const second = await tokenCall(em, 'gorgias', 'acme', { grant_type: 'authorization_code', code: c, redirect_uri: REDIRECT });
    assert.equal(second.body.error, 'invalid_grant');
    assert.equal(em.state.codeRequests, 2);
    assert.equal(em.state.codeReuse, 1);
    const a = await api(em, 'gorgias', 'acme', first.body.access_token);
    assert.equal(a.status, 401);
    await a.text();
    assert.equal((await tokenCall(em, 'gorgias', 'acme', { grant_type: 'refresh_token', refresh_token: first.body.refresh_token })).body.error, 'invalid_grant');
  });
});

test('hold parks a token request until releaseHeld(); drop_answer does the work and never answers', async () => {
  await withEmulator({ reuseDetection: true }, async (em) => {
    const t = await tokenCall(em, 'kustomer', 'org1', { grant_type: 'authorization_code', code: await code(em, 'kustomer', 'org1', 'org.permission.customer offline_access'), redirect_uri: REDIRECT });
    em.state.nextTokenFault = 'hold';
    const parked = tokenCall(em, 'kustomer', 'org1', { grant_type: 'refresh_token', refresh_token: t.body.refresh_token });
    while (em.state.held === 0) await new Promise((r) => setTimeout(r, 5));
    assert.equal(em.releaseHeld(), 1);
    const r1 = await parked;
    assert.equal(r1.status, 200);

    // A held request whose client gave up is dropped: the refresh token it carried stays live.
    em.state.nextTokenFault = 'hold';
    const gaveUp = new AbortController();
    const abandoned = fetch(`${em.url}/kustomer/org1/oauth/token`, {
      method: 'POST',
      signal: gaveUp.signal,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: r1.body.refresh_token, client_id: 'k', client_secret: 'ks' }).toString(),
    }).catch((e) => e);
    while (em.state.held === 0) await new Promise((r) => setTimeout(r, 5));
    gaveUp.abort();
    await abandoned;
    while (em.state.held !== 0) await new Promise((r) => setTimeout(r, 5)); // the emulator saw it go
    assert.equal(em.releaseHeld(), 0);
    const r2 = await tokenCall(em, 'kustomer', 'org1', { grant_type: 'refresh_token', refresh_token: r1.body.refresh_token });
    assert.equal(r2.status, 200, 'the dropped request did not rotate the token');

    em.state.nextTokenFault = 'drop_answer';
    const lost = new AbortController();
    const dropped = fetch(`${em.url}/kustomer/org1/oauth/token`, {
      method: 'POST',
      signal: lost.signal,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: r2.body.refresh_token, client_id: 'k', client_secret: 'ks' }).toString(),
    }).catch((e) => e);
    const issued = em.state.issued.refreshTokens.length;
    while (em.state.issued.refreshTokens.length === issued) await new Promise((r) => setTimeout(r, 5));
    lost.abort();
    await dropped;
    // The provider rotated: the token the client still holds is a reused one now.
    const r3 = await tokenCall(em, 'kustomer', 'org1', { grant_type: 'refresh_token', refresh_token: r2.body.refresh_token });
    assert.equal(r3.body.error, 'invalid_grant');
    assert.equal(em.state.refreshReuse, 1);
  });
});

test('Gorgias revoke of an access token ends API access at once', async () => {
  await withEmulator({}, async (em) => {
    const t = await tokenCall(em, 'gorgias', 'acme', { grant_type: 'authorization_code', code: await code(em, 'gorgias', 'acme', 'openid'), redirect_uri: REDIRECT });
    const res = await fetch(`${em.url}/gorgias/acme/oauth/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic('g', 'gs') },
      body: `token=${encodeURIComponent(t.body.access_token)}`,
    });
    assert.equal(res.status, 200);
    await res.text();
    const a = await api(em, 'gorgias', 'acme', t.body.access_token);
    assert.equal(a.status, 401);
    await a.text();
  });
});

test('Gorgias API leaky bucket: 80 per 20 s per account, 429 with Retry-After and the call-limit header', async () => {
  await withEmulator({}, async (em, advance) => {
    const t = await tokenCall(em, 'gorgias', 'acme', { grant_type: 'authorization_code', code: await code(em, 'gorgias', 'acme', 'account:read'), redirect_uri: REDIRECT });
    let res;
    for (let i = 1; i <= 80; i++) {
      res = await api(em, 'gorgias', 'acme', t.body.access_token);
      assert.equal(res.status, 200, `request ${i}`);
      assert.equal(res.headers.get('x-gorgias-account-api-call-limit'), `${i}/80`);
      await res.text();
    }
    res = await api(em, 'gorgias', 'acme', t.body.access_token);
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('retry-after'), '1');
    assert.equal(res.headers.get('x-gorgias-account-api-call-limit'), '80/80');
    await res.text();
    assert.equal(em.state.rateLimited, 1);
    // Another account has its own bucket.
    const other = await tokenCall(em, 'gorgias', 'other', { grant_type: 'authorization_code', code: await code(em, 'gorgias', 'other', 'account:read'), redirect_uri: REDIRECT });
    res = await api(em, 'gorgias', 'other', other.body.access_token);
    assert.equal(res.status, 200);
    await res.text();
    // The bucket drains 4 per second: after 250 ms one more request fits, and no second one.
    advance(250);
    res = await api(em, 'gorgias', 'acme', t.body.access_token);
    assert.equal(res.status, 200);
    await res.text();
    res = await api(em, 'gorgias', 'acme', t.body.access_token);
    assert.equal(res.status, 429);
    await res.text();
    // A 401 does not count against the bucket and is not rate limited.
    res = await api(em, 'gorgias', 'acme', 'wrong');
    assert.equal(res.status, 401);
    await res.text();
  });
});

test('a configured limit for Kustomer answers 429 with Retry-After; false turns Gorgias off', async () => {
  await withEmulator({ rateLimit: { kustomer: { capacity: 2, windowSeconds: 10 }, gorgias: false } }, async (em) => {
    const t = await tokenCall(em, 'kustomer', 'org1', { grant_type: 'authorization_code', code: await code(em, 'kustomer', 'org1', 'org.permission.customer'), redirect_uri: REDIRECT });
    const statuses = [];
    let last;
    for (let i = 0; i < 3; i++) {
      last = await api(em, 'kustomer', 'org1', t.body.access_token);
      statuses.push(last.status);
      await last.text();
    }
    assert.deepEqual(statuses, [200, 200, 429]);
    assert.equal(last.headers.get('retry-after'), '5');
    const g = await tokenCall(em, 'gorgias', 'acme', { grant_type: 'authorization_code', code: await code(em, 'gorgias', 'acme', 'account:read'), redirect_uri: REDIRECT });
    const res = await api(em, 'gorgias', 'acme', g.body.access_token);
    assert.equal(res.headers.get('x-gorgias-account-api-call-limit'), null);
    await res.text();
  });
});
