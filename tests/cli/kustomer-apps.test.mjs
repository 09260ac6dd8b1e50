// The emulator's Kustomer app-registration endpoints (emulator/kustomer-apps.mjs) directly:
// API-key auth, the org in the URL, definition checks, conflicts, secret rotation, and that a
// registered app can use the token endpoint only with its current secret.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { installed } from './support/cli.mjs';

const KEY = 'kapi_endpoint_test_1';
let t;
let em;
before(async () => {
  t = await installed();
  em = await t.emulator.startEmulator({ kustomerApiKeys: [{ key: KEY, org: 'acme' }, { key: 'kapi_other_org_2', org: 'beta' }] });
});
after(() => em?.close());

const post = (path, body, key = KEY, headers = {}) =>
  fetch(`${em.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const DEF = { app: 'endpoint', version: '0.0.1', title: 'Endpoint app', visibility: 'private', redirectUris: ['http://127.0.0.1:9/cb'] };

test('registration wants a valid API key, of the org named in the URL', async () => {
  assert.equal((await post('/v1/apps/available', DEF, null)).status, 401);
  assert.equal((await post('/v1/apps/available', DEF, 'kapi_wrong_key_0')).status, 401);
  assert.equal((await post('/kustomer/acme/v1/apps/available', DEF, 'kapi_other_org_2')).status, 403);
  const get = await fetch(`${em.url}/v1/apps/available`);
  assert.equal(get.status, 405);
  const body = await (await post('/v1/apps/available', DEF, null)).json();
  assert.equal(body.errors[0].status, '401');
});

test('bad definitions are 400 with the reason; a second registration is 409', async () => {
  const cases = [
    ['not json', /JSON/],
    [{ ...DEF, app: 'Bad Name' }, /app must be/],
    [{ ...DEF, version: '1' }, /version/],
    [{ ...DEF, visibility: 'public' }, /private/],
    [{ ...DEF, redirectUris: [] }, /redirectUris must be a non-empty array/],
    [{ ...DEF, redirectUris: ['/relative'] }, /not an absolute URL/],
    [{ ...DEF, extra: 1 }, /unknown field extra/],
  ];
  for (const [body, reason] of cases) {
    const res = await post('/v1/apps/available', body);
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.match((await res.json()).errors[0].detail, reason);
  }
  const ok = await post('/kustomer/beta/v1/apps/available', { ...DEF, app: 'dup' }, 'kapi_other_org_2');
  assert.equal(ok.status, 201);
  assert.equal((await post('/v1/apps/available', { ...DEF, app: 'dup' }, 'kapi_other_org_2')).status, 409);
});

test('a registered app gets a secret on request; a new secret retires the old one at the token endpoint', async () => {
  const res = await post('/v1/apps/available', DEF);
  assert.equal(res.status, 201);
  const { data } = await res.json();
  assert.equal(data.type, 'available_app');
  assert.equal(data.id, 'endpoint_acme-0.0.1');
  assert.equal(data.attributes.name, 'endpoint_acme');
  assert.equal(data.attributes.clientSecret, undefined, 'no secret before step 2');
  const { clientId } = data.attributes;

  assert.equal((await post('/v1/apps/available/endpoint_acme/secret', {}, 'kapi_other_org_2')).status, 404, 'another org cannot see it');
  assert.equal((await post('/v1/apps/available/nosuch_acme/secret', {})).status, 404);
  const s1 = (await (await post('/v1/apps/available/endpoint_acme/secret/', {})).json()).data.attributes;
  assert.equal(s1.clientId, clientId);
  const s2 = (await (await post('/kustomer/acme/v1/apps/available/endpoint_acme/secret', {})).json()).data.attributes;
  assert.notEqual(s2.clientSecret, s1.clientSecret);

  const tokenWith = (secret) =>
    fetch(`${em.url}/kustomer/acme/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: 'nope', redirect_uri: DEF.redirectUris[0], client_id: clientId, client_secret: secret }),
    });
  assert.equal((await tokenWith(s1.clientSecret)).status, 401, 'old secret: invalid_client');
  const current = await tokenWith(s2.clientSecret);
  assert.equal(current.status, 400, 'current secret authenticates (the made-up code is then invalid_grant)');
  assert.equal((await current.json()).error, 'invalid_grant');
});

test('per-org hosts: {org}.api.kustomer.localhost names the org (fetch cannot set Host: node:http)', async () => {
  const hosted = (org, key, app) =>
    new Promise((resolve, reject) => {
      const body = JSON.stringify({ ...DEF, app });
      const req = http.request(
        { host: '127.0.0.1', port: em.port, method: 'POST', path: '/v1/apps/available', headers: { host: `${org}.api.kustomer.localhost:${em.port}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${key}` } },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  assert.equal(await hosted('beta', KEY, 'hosted'), 403, 'the acme key on the beta host');
  assert.equal(await hosted('acme', KEY, 'hosted'), 201);
});
