// Per-account hosts from the Host header, and path prefixes for a bare 127.0.0.1.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startEmulator, providerConfig } from '../../emulator/index.mjs';

const REDIRECT = 'http://127.0.0.1:9/cb';
const APPS = [{ clientId: 'c', clientSecret: 's', redirectUris: [REDIRECT] }];
const QUERY = `?${new URLSearchParams({ response_type: 'code', client_id: 'c', redirect_uri: REDIRECT, scope: 'openid', state: 'x' })}`;

/** GET with an explicit Host header (fetch cannot set it; Node does not resolve *.localhost). */
function get(port, host, path) {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode, body }));
      })
      .on('error', reject);
  });
}

let auto;
let pathOnly;
let hostOnly;
before(async () => {
  auto = await startEmulator({ apps: APPS });
  pathOnly = await startEmulator({ apps: APPS, routing: 'path' });
  hostOnly = await startEmulator({ apps: APPS, routing: 'host', hostSuffix: 'helpdesk.test' });
});
after(() => Promise.all([auto.close(), pathOnly.close(), hostOnly.close()]));

test('auto: the account and provider come from the Host header', async () => {
  const r = await get(auto.port, `acme.gorgias.localhost:${auto.port}`, `/oauth/authorize${QUERY}`);
  assert.equal(r.status, 200);
  assert.match(r.body, /id="account">acme</);
  assert.match(r.body, /action="\/oauth\/authorize"/);
  assert.deepEqual(auto.state.lastAuthorizeRequest.account, 'acme');
  const k = await get(auto.port, `org7.api.kustomer.localhost:${auto.port}`, `/oauth/authorize${QUERY.replace('openid', 'org.permission.customer')}`);
  assert.equal(k.status, 200);
  assert.equal(auto.state.lastAuthorizeRequest.provider, 'kustomer');
  assert.equal(auto.state.lastAuthorizeRequest.account, 'org7');
});

test('auto: any other host uses /{provider}/{account}/ paths; bad labels and routes are 404', async () => {
  let r = await get(auto.port, `127.0.0.1:${auto.port}`, `/kustomer/org9/oauth/authorize${QUERY.replace('openid', 'org.permission.customer')}`);
  assert.equal(r.status, 200);
  assert.equal(auto.state.lastAuthorizeRequest.account, 'org9');
  for (const path of ['/gorgias/Bad_Label/oauth/authorize', '/gorgias/acme/oauth/other', '/zendesk/acme/oauth/authorize', '/oauth/authorize']) {
    r = await get(auto.port, `127.0.0.1:${auto.port}`, path);
    assert.equal(r.status, 404, path);
  }
  r = await get(auto.port, `evil.com.gorgias.localhost`, '/oauth/authorize');
  assert.equal(r.status, 404, 'an account with dots is not one label');
});

test('routing "path" ignores the Host header; routing "host" ignores paths and honours hostSuffix', async () => {
  let r = await get(pathOnly.port, 'acme.gorgias.localhost', `/oauth/authorize${QUERY}`);
  assert.equal(r.status, 404);
  r = await get(hostOnly.port, `127.0.0.1:${hostOnly.port}`, `/gorgias/acme/oauth/authorize${QUERY}`);
  assert.equal(r.status, 404);
  r = await get(hostOnly.port, 'acme.gorgias.helpdesk.test', `/oauth/authorize${QUERY}`);
  assert.equal(r.status, 200);
});

test('providerConfig points a preset at the emulator in either routing style', () => {
  assert.deepEqual(providerConfig('http://127.0.0.1:4010', 'gorgias'), {
    preset: 'gorgias',
    authorizeUrl: 'http://127.0.0.1:4010/gorgias/{account}/oauth/authorize',
    tokenUrl: 'http://127.0.0.1:4010/gorgias/{account}/oauth/token',
    apiBaseUrl: 'http://127.0.0.1:4010/gorgias/{account}/api',
    revokeUrl: 'http://127.0.0.1:4010/gorgias/{account}/oauth/revoke',
  });
  const k = providerConfig('http://127.0.0.1:4010', 'kustomer', { routing: 'host' });
  assert.equal(k.tokenUrl, 'http://{account}.kustomer.localhost:4010/oauth/token');
  assert.equal(k.revokeUrl, undefined);
  assert.throws(() => providerConfig('http://127.0.0.1:1', 'freshdesk'), /unknown provider/);
});
