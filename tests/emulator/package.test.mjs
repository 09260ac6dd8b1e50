// helpdesk-oauth/emulator as users get it: from the packed tarball, through the exports map,
// driving the package's own OAuthClient through consent, token and API.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadPackage } from '../node/support/install-package.mjs';

test('helpdesk-oauth/emulator resolves from the installed package and runs a full Gorgias flow', async () => {
  const { esm, dir } = await loadPackage();
  const entry = createRequire(join(dir, 'package.json')).resolve('helpdesk-oauth/emulator');
  assert.match(entry, /node_modules\/helpdesk-oauth\/emulator\/index\.mjs$/);
  assert.ok(existsSync(join(dir, 'node_modules', 'helpdesk-oauth', 'emulator', 'index.d.ts')));
  assert.ok(existsSync(join(dir, 'node_modules', '.bin', 'helpdesk-oauth-emulator')), 'the CLI is installed as a bin');
  const { startEmulator, answerConsent } = await import(pathToFileURL(entry).href);

  const redirectUri = 'http://127.0.0.1:9/oauth/callback';
  const em = await startEmulator({ apps: [{ provider: 'gorgias', clientId: 'pkg-app', clientSecret: 'pkg-secret', redirectUris: [redirectUri] }] });
  try {
    const client = new esm.OAuthClient({
      provider: em.providerConfig('gorgias'),
      clientId: 'pkg-app',
      clientSecret: 'pkg-secret',
      redirectUri,
      scopes: ['openid', 'email', 'offline', 'account:read'],
    });
    const req = client.authorize({ account: 'acme' });
    const tokens = await client.exchangeCode(await answerConsent(req.url), req.pending);
    assert.equal(tokens.accessToken, em.state.issued.accessTokens.at(-1));
    assert.equal(tokens.idTokenClaims().nonce, req.nonce);
    const res = await fetch(client.apiUrl('/account', 'acme'), { headers: { authorization: `Bearer ${tokens.accessToken}` } });
    assert.equal(res.status, 200);
    assert.equal((await res.json()).domain, 'acme');

    const denied = client.authorize({ account: 'acme' });
    const err = await client.exchangeCode(await answerConsent(denied.url, { decision: 'deny' }), denied.pending).then(() => null, (e) => e);
    assert.ok(err instanceof esm.HelpdeskOAuthError);
    assert.equal(err.code, 'access_denied');
  } finally {
    await em.close();
  }
});
