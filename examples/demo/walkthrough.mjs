// `make demo-check`: the whole install flow of a helpdesk app, headless, on this machine only.
// It plays the browser against the example app and the provider emulator, prints each step, and
// exits non-zero at the first thing that is not as a real provider would have it.
//   install → consent page → Approve → callback → API call → refresh → revoke,
//   then a denied consent, Kustomer's rotating refresh tokens, and the other helpdesks' flows.
import { startDemoStack } from './stack.mjs';

const step = (n, text) => console.log(`\n[${n}] ${text}`);
const show = (text) => console.log(`    ${text}`);
const hide = (url) => url.replace(/(code|state|nonce|code_challenge)=[^&]+/g, '$1=…');
function check(ok, what) {
  if (!ok) throw new Error(what);
}

/** The browser: one cookie jar, redirects followed by hand so each hop can be shown. */
function browser() {
  let cookie = '';
  return async (url, init = {}) => {
    const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers ?? {}), ...(cookie ? { cookie } : {}) } });
    const set = res.headers.get('set-cookie');
    if (set) cookie = set.split(';')[0];
    return res;
  };
}

/** Reads the consent page's form and submits the user's decision, as a browser does. */
async function decide(go, consentUrl, decision) {
  const page = await go(consentUrl);
  const html = await page.text();
  check(page.status === 200 && /<form method="post"/.test(html), `no consent page (HTTP ${page.status})`);
  const scopes = [...html.matchAll(/<li><code>([^<]+)<\/code>/g)].map((m) => m[1]);
  show(`consent page: "${/<h1>(.*?)<\/h1>/s.exec(html)[1].replace(/<[^>]+>/g, '')}"`);
  show(`scopes listed: ${scopes.join(', ')}; the user clicks ${decision === 'approve' ? 'Approve' : 'Deny'}`);
  const action = new URL(/action="([^"]+)"/.exec(html)[1], consentUrl);
  const consent = /name="consent" value="([^"]+)"/.exec(html)[1];
  const res = await go(action, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ consent, decision }).toString(),
  });
  check(res.status === 302, `consent answered ${res.status}`);
  return res.headers.get('location');
}

async function main() {
  const stack = await startDemoStack();
  const { app, emulator } = stack;
  const post = (path) => fetch(`${app.url}${path}`, { method: 'POST', headers: { accept: 'application/json' } });
  try {
    console.log(`provider emulator ${emulator.url}; example app ${app.url}`);
    const go = browser();

    step(1, `Gorgias user clicks "Connect App": the browser opens the App URL ${app.url}/install?account=acme`);
    let r = await go(`${app.url}/install?account=acme`);
    check(r.status === 302, `install answered ${r.status}`);
    const authorizeUrl = r.headers.get('location');
    show(`app answers 302 to the provider's authorize URL:\n    ${hide(authorizeUrl)}`);

    step(2, 'the provider shows its consent page; the user approves; the provider redirects to the callback');
    const callbackUrl = await decide(go, authorizeUrl, 'approve');
    show(hide(callbackUrl));
    check(new URL(callbackUrl).searchParams.has('code'), 'no code in the callback');

    step(3, 'the app checks state, exchanges the code (HTTP Basic client auth) and stores the token set');
    r = await go(callbackUrl);
    check(r.status === 302, `callback failed: ${r.status} ${await r.text()}`);
    const sent = emulator.state.lastTokenRequest;
    show(`token request: grant_type=${sent.params.grant_type}, client auth ${sent.headers.authorization?.split(' ')[0]}`);
    r = await fetch(`${app.url}/api/connection?provider=gorgias&account=acme`);
    const conn = await r.json();
    check(r.status === 200, `connection: ${JSON.stringify(conn)}`);
    show(`stored token set (tokens redacted): ${JSON.stringify(conn.tokenSet)}`);
    show(`expires in ${Math.round((conn.expiresAt - Date.now()) / 1000)} s; id_token claims: ${JSON.stringify(conn.idTokenClaims)}`);
    check(conn.idTokenClaims?.nonce === emulator.state.lastAuthorizeRequest.params.nonce, 'id_token nonce is not the one sent');

    step(4, 'the app calls the helpdesk API with Authorization: Bearer');
    r = await go(`${app.url}/account?provider=gorgias&account=acme`);
    const page = await r.text();
    const apiStatus = /id="api-status">(\d+)</.exec(page)?.[1];
    show(`GET /api/account → ${apiStatus} ${/id="api-body">([^<]*)</.exec(page)?.[1].replace(/&#34;/g, '"')}`);
    check(r.status === 200 && apiStatus === '200', 'API call failed');

    step(5, 'a day later: refresh (Gorgias sends no new refresh token; the app keeps the old one)');
    const issuedBefore = emulator.state.issued.refreshTokens.length;
    r = await post('/refresh?provider=gorgias&account=acme');
    const refreshed = await r.json();
    check(r.status === 200, `refresh failed: ${JSON.stringify(refreshed)}`);
    show(`new access token issued; refresh token rotated: ${refreshed.refreshTokenRotated}`);
    check(!refreshed.refreshTokenRotated && emulator.state.issued.refreshTokens.length === issuedBefore, 'Gorgias refresh must keep the refresh token');

    step(6, 'uninstall: the app revokes the refresh token; the provider then refuses it (invalid_grant)');
    const refreshToken = emulator.state.issued.refreshTokens.at(-1);
    r = await post('/revoke?provider=gorgias&account=acme');
    check(r.status === 200, `revoke failed: ${r.status} ${await r.text()}`);
    check(emulator.state.lastRevokeRequest.params.token === refreshToken, 'the app did not revoke its refresh token');
    const { clientId, clientSecret } = emulator.apps.find((a) => a.provider === 'gorgias');
    r = await fetch(`${emulator.url}/gorgias/acme/oauth/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }).toString(),
    });
    const after = await r.json();
    show(`POST /oauth/revoke → 200; a refresh with the revoked token → ${r.status} ${after.error}`);
    check(r.status === 400 && after.error === 'invalid_grant', 'the revoked refresh token still works');

    step(7, 'another user clicks Deny on the consent page: the app shows access_denied');
    const go2 = browser();
    r = await go2(`${app.url}/install?account=acme`);
    const denied = await decide(go2, r.headers.get('location'), 'deny');
    r = await go2(denied);
    const deniedPage = await r.text();
    const code = /id="error-code">([^<]+)</.exec(deniedPage)?.[1];
    show(`callback → ${r.status}, error code ${code}`);
    check(r.status === 400 && code === 'access_denied', 'a denied consent was not reported as access_denied');

    step(8, 'Kustomer org "myorg": client credentials in the form body, PKCE, and rotating refresh tokens');
    const go3 = browser();
    r = await go3(`${app.url}/install?account=myorg&provider=kustomer`);
    const kAuthorize = r.headers.get('location');
    check(new URL(kAuthorize).searchParams.get('code_challenge_method') === 'S256', 'no PKCE for Kustomer');
    r = await go3(await decide(go3, kAuthorize, 'approve'));
    check(r.status === 302, `Kustomer callback failed: ${r.status}`);
    const k = emulator.state.lastTokenRequest;
    check(k.params.client_secret !== undefined && k.headers.authorization === undefined && k.params.code_verifier, 'Kustomer token request is not body auth + PKCE');
    const oldRefresh = emulator.state.issued.refreshTokens.at(-1);
    r = await post('/refresh?provider=kustomer&account=myorg');
    const kr = await r.json();
    show(`refresh → ${r.status}; refresh token rotated: ${kr.refreshTokenRotated} (stored before use)`);
    check(r.status === 200 && kr.refreshTokenRotated, 'Kustomer must rotate the refresh token');
    const k2 = emulator.apps.find((a) => a.provider === 'kustomer');
    r = await fetch(`${emulator.url}/kustomer/myorg/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: oldRefresh, client_id: k2.clientId, client_secret: k2.clientSecret }).toString(),
    });
    const dead = await r.json();
    show(`the old refresh token at the provider → ${r.status} ${dead.error}`);
    check(r.status === 400 && dead.error === 'invalid_grant', 'the old Kustomer refresh token still works');
    r = await post('/refresh?provider=kustomer&account=myorg');
    show(`the app refreshes again with the rotated token it stored → ${r.status}`);
    check(r.status === 200, 'the rotated refresh token was not stored');
    await r.text();

    step(9, 'the other helpdesks, each the way it works: install → consent → callback → API → refresh → revoke');
    for (const provider of ['zendesk', 'front', 'helpscout', 'zoho', 'hubspot', 'intercom']) {
      const go4 = browser();
      r = await go4(`${app.url}/install?account=acme&provider=${provider}`);
      check(r.status === 302, `${provider}: install answered ${r.status}`);
      r = await go4(await decide(go4, r.headers.get('location'), 'approve'));
      check(r.status === 302, `${provider}: callback failed: ${r.status} ${await r.text()}`);
      r = await fetch(`${app.url}/api/connection?provider=${provider}&account=acme`);
      const c = await r.json();
      check(r.status === 200 && c.api.status === 200, `${provider}: ${JSON.stringify(c)}`);
      const notes = [`API ${c.api.path} → ${c.api.status}`];
      if (c.tenant) notes.push(`tenant ${c.tenant}`);
      notes.push(c.expiresAt ? `expires in ${Math.round((c.expiresAt - Date.now()) / 1000)} s` : 'no expiry');
      if (c.tokenSet.refresh_token) {
        r = await post(`/refresh?provider=${provider}&account=acme`);
        const rr = await r.json();
        check(r.status === 200, `${provider}: refresh failed: ${JSON.stringify(rr)}`);
        notes.push(`refresh token ${rr.refreshTokenRotated ? 'rotated' : 'kept'}`);
      } else {
        notes.push('no refresh token');
      }
      r = await post(`/revoke?provider=${provider}&account=acme`);
      const rv = await r.json();
      check(r.status === 200 && rv.revoked, `${provider}: revoke failed: ${JSON.stringify(rv)}`);
      notes.push(rv.revokedAtProvider ? 'revoked at the provider' : 'no revocation endpoint: forgotten here');
      show(`${provider}: ${notes.join('; ')}`);
    }

    console.log('\ndemo: the install flow worked end to end (all traffic stayed on 127.0.0.1)');
  } finally {
    await stack.close();
  }
}

main().catch((e) => {
  console.error(`\ndemo failed: ${e.message ?? e}`);
  process.exit(1);
});
