// The consent page: a real HTML form with the requested scopes, Approve / Deny, one decision per
// page; answered the way a browser posts the form.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, answerConsent } from '../../emulator/index.mjs';

const REDIRECT = 'http://127.0.0.1:9/oauth/callback';
let em;
before(async () => {
  em = await startEmulator({
    apps: [
      { provider: 'gorgias', name: 'Ticket <Tagger>', clientId: 'cid', clientSecret: 's1', redirectUris: [REDIRECT] },
      { provider: 'kustomer', clientId: 'cid', clientSecret: 's2', redirectUris: [REDIRECT] },
    ],
  });
});
after(() => em.close());

const authorizeUrl = (provider, account, scope, extra = {}) =>
  `${em.url}/${provider}/${account}/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: 'cid', redirect_uri: REDIRECT, scope, state: 'st-1', ...extra })}`;

const consentId = (html) => /name="consent" value="([^"]+)"/.exec(html)[1];

function post(path, form) {
  return fetch(`${em.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
}

test('GET authorize shows the consent page: app name escaped, account, each scope, refresh note, buttons', async () => {
  const shown = em.state.consentPagesShown;
  const res = await fetch(authorizeUrl('gorgias', 'acme', 'openid offline tickets:read'), { redirect: 'manual' });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/html/);
  assert.equal(res.headers.get('x-frame-options'), 'DENY');
  const html = await res.text();
  assert.match(html, /Ticket &#60;Tagger&#62;/);
  assert.ok(!html.includes('<Tagger>'));
  assert.match(html, /id="account-host">acme\.gorgias\.com</);
  for (const s of ['openid', 'offline', 'tickets:read']) assert.match(html, new RegExp(`<code>${s}</code>`));
  assert.match(html, /Read tickets/);
  assert.match(html, /a refresh token is issued/);
  assert.match(html, /<button[^>]*value="approve"[^>]*>Approve<\/button>/);
  assert.match(html, /<button[^>]*value="deny"[^>]*>Deny<\/button>/);
  assert.match(html, /<form method="post" action="\/gorgias\/acme\/oauth\/authorize">/);
  assert.equal(em.state.consentPagesShown, shown + 1);
  assert.equal(em.state.issued.codes.length, 0, 'no code before the user decides');
});

test('Approve redirects with a code and the state; the consent id works once', async () => {
  const html = await (await fetch(authorizeUrl('gorgias', 'acme', 'openid offline'))).text();
  const id = consentId(html);
  let res = await post('/gorgias/acme/oauth/authorize', { consent: id, decision: 'approve' });
  assert.equal(res.status, 302);
  const cb = new URL(res.headers.get('location'));
  assert.equal(`${cb.origin}${cb.pathname}`, REDIRECT);
  assert.equal(cb.searchParams.get('code'), em.state.issued.codes.at(-1));
  assert.equal(cb.searchParams.get('state'), 'st-1');
  res = await post('/gorgias/acme/oauth/authorize', { consent: id, decision: 'approve' });
  assert.equal(res.status, 400);
  assert.equal(res.headers.get('location'), null);
  assert.match(await res.text(), /already used or has expired/);
});

test('Deny redirects with access_denied and the state, and no code', async () => {
  const codes = em.state.issued.codes.length;
  const html = await (await fetch(authorizeUrl('kustomer', 'myorg', 'org.permission.customer offline_access'))).text();
  assert.match(html, /<code>org\.permission\.customer<\/code> Organization customer/);
  const res = await post('/kustomer/myorg/oauth/authorize', { consent: consentId(html), decision: 'deny' });
  assert.equal(res.status, 302);
  const cb = new URL(res.headers.get('location'));
  assert.equal(cb.searchParams.get('error'), 'access_denied');
  assert.equal(cb.searchParams.get('state'), 'st-1');
  assert.equal(cb.searchParams.get('code'), null);
  assert.equal(em.state.issued.codes.length, codes);
  assert.equal(em.state.lastConsentDecision, 'deny');
});

test('a consent id is bound to its account and provider; a bad decision is refused', async () => {
  let html = await (await fetch(authorizeUrl('gorgias', 'acme', 'openid'))).text();
  let res = await post('/gorgias/other/oauth/authorize', { consent: consentId(html), decision: 'approve' });
  assert.equal(res.status, 400);
  await res.text();
  html = await (await fetch(authorizeUrl('gorgias', 'acme', 'openid'))).text();
  res = await post('/gorgias/acme/oauth/authorize', { consent: consentId(html), decision: 'maybe' });
  assert.equal(res.status, 400);
  await res.text();
});

test('answerConsent plays the user for scripts (approve and deny); autoApprove skips the page', async () => {
  const approved = new URL(await answerConsent(authorizeUrl('gorgias', 'acme', 'openid', { nonce: 'n1' })));
  assert.ok(approved.searchParams.get('code'));
  const denied = new URL(await answerConsent(authorizeUrl('gorgias', 'acme', 'openid'), { decision: 'deny' }));
  assert.equal(denied.searchParams.get('error'), 'access_denied');
  em.autoApprove = true;
  try {
    const res = await fetch(authorizeUrl('gorgias', 'acme', 'openid'), { redirect: 'manual' });
    assert.equal(res.status, 302);
    assert.ok(new URL(res.headers.get('location')).searchParams.get('code'));
  } finally {
    em.autoApprove = false;
  }
  await assert.rejects(answerConsent(authorizeUrl('gorgias', 'acme', 'openid', { client_id: 'nope' })), /authorize answered 400: Unknown client/);
});

test('unknown scopes (offline_access at Gorgias, offline at Kustomer) go back as invalid_scope', async () => {
  for (const [provider, scope] of [['gorgias', 'openid offline_access'], ['kustomer', 'org.permission.customer offline']]) {
    const res = await fetch(authorizeUrl(provider, 'acme', scope), { redirect: 'manual' });
    assert.equal(res.status, 302);
    assert.equal(new URL(res.headers.get('location')).searchParams.get('error'), 'invalid_scope');
  }
});
