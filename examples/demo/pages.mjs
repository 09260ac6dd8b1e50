// The example app's own HTML: the home page, the account page and the error page, in the look of
// the www/ page (its stylesheet and icon, served at /www/). Kept apart from the routes so app.mjs
// reads as the OAuth flow. Times are rendered readable on the server, and /assets/pages.js keeps
// them live (local time, countdown) and shows that a button was pressed; without it the pages
// still work.
import { clock, ago } from './assets/durations.js';

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** "2026-11-23 14:03:12 UTC" */
const utc = (ms) => `${new Date(ms).toISOString().replace('T', ' ').slice(0, 19)} UTC`;

function relative(ms, mode, now) {
  if (mode === 'countdown') return ms > now ? `in ${clock((ms - now) / 1000)}` : 'expired';
  return ago((now - ms) / 1000);
}

/** A moment as readable text, with the machine value for the page script (`countdown` or `ago`). */
export function timeTag(ms, mode, now = Date.now()) {
  return `<time datetime="${new Date(ms).toISOString()}" data-ms="${ms}" data-relative="${mode}"><span class="when">${utc(ms)}</span> <span class="relative">(${relative(ms, mode, now)})</span></time>`;
}

export function page(title, body) {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<link rel="icon" href="/www/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/www/style.css">
<script type="module" src="/assets/pages.js"></script>
</head><body>
<header><h1><a class="home" href="/">helpdesk-oauth demo app</a></h1><p>A helpdesk app on the package; the provider is the local emulator.</p></header>
<main>${body}</main>
<footer class="muted small">Everything runs on 127.0.0.1. Tokens stay in this app's memory; pages show them redacted.</footer>
</body></html>`;
}

const OTHERS = [
  ['zendesk', 'Zendesk'],
  ['front', 'Front'],
  ['helpscout', 'Help Scout'],
  ['zoho', 'Zoho Desk'],
  ['hubspot', 'HubSpot'],
  ['intercom', 'Intercom'],
];

/** A feedback banner: `{ kind: 'ok' | 'error', text, code? }`, or `{ kind: 'ok', html }` built here from escaped parts. */
function flashBox(flash) {
  if (!flash) return '';
  if (flash.kind === 'error') {
    return `<div class="error" role="alert" id="flash" data-code="${esc(flash.code)}"><span class="code">${esc(flash.code)}</span><span class="message">${esc(flash.text)}</span></div>`;
  }
  return `<div class="flash" role="status" id="flash">${flash.html ?? esc(flash.text)}</div>`;
}

export function homePage({ connections, flash, now = Date.now() }) {
  const list = connections.length
    ? `<table id="connections">${connections
        .map(
          (c) =>
            `<tr data-key="${esc(c.provider)}:${esc(c.account)}"><td><a href="/account?provider=${esc(c.provider)}&amp;account=${esc(c.account)}">${esc(c.provider)} · ${esc(c.account)}</a></td>` +
            `<td>access token ${c.expiresAt ? `expires ${timeTag(c.expiresAt, 'countdown', now)}` : 'has no expiry'}</td></tr>`,
        )
        .join('')}</table>`
    : '<p class="muted" id="connections-empty">No account connected yet.</p>';
  return page(
    'helpdesk-oauth demo app',
    `${flashBox(flash)}
<section class="card"><h2>Connect an account</h2>
<p>This app's App URL is <code>/install?account={gorgias_account}</code>: the helpdesk sends the browser there, the app sends it on to the provider's consent page.</p>
<p class="actions"><a class="button" id="connect-gorgias" href="/install?account=acme">Connect the Gorgias account acme</a>
<a class="button" id="connect-kustomer" href="/install?account=myorg&amp;provider=kustomer">Connect the Kustomer org myorg</a>
<a class="button secondary" href="/www/">Interactive page</a></p></section>
<section class="card"><h2>Other helpdesks</h2>
<p class="actions" id="connect-others">${OTHERS.map(([id, name]) => `<a class="button secondary" id="connect-${id}" href="/install?account=acme&amp;provider=${id}">${name}</a>`).join('\n')}</p></section>
<section class="card"><h2>Connected accounts</h2>${list}</section>`,
  );
}

const TOKEN_FIELDS = new Set(['access_token', 'refresh_token', 'id_token']);

/** The stored token set as table rows: tokens redacted, times readable. */
function tokenRows(record, now) {
  return Object.entries(record)
    .map(([key, value]) => {
      let shown;
      if (TOKEN_FIELDS.has(key)) shown = `<span class="muted">[redacted, ${String(value).length} characters]</span>`;
      else if ((key === 'expires_at' || key === 'obtained_at') && typeof value === 'number') shown = timeTag(value, key === 'expires_at' ? 'countdown' : 'ago', now);
      else if (Array.isArray(value)) shown = `<code>${esc(value.join(' '))}</code>`;
      else shown = `<code>${esc(typeof value === 'string' ? value : JSON.stringify(value))}</code>`;
      return `<tr data-key="${esc(key)}"><td>${esc(key)}</td><td>${shown}</td></tr>`;
    })
    .join('');
}

function prettyJson(text) {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

export function accountPage({ provider, account, api, record, claims, flash, now = Date.now() }) {
  const q = `provider=${esc(provider)}&amp;account=${esc(account)}`;
  const claimsTable = claims
    ? `<h3>id_token claims</h3><table id="claims">${Object.entries(claims)
        .map(([k, v]) => `<tr data-key="${esc(k)}"><td>${esc(k)}</td><td>${(k === 'exp' || k === 'iat' || k === 'auth_time') && typeof v === 'number' ? timeTag(v * 1000, k === 'exp' ? 'countdown' : 'ago', now) : `<code>${esc(typeof v === 'string' ? v : JSON.stringify(v))}</code>`}</td></tr>`)
        .join('')}</table>`
    : '';
  return page(
    `${provider} · ${account}`,
    `${flashBox(flash)}
<section class="card"><h2>${esc(provider)} · ${esc(account)} <span class="ok small">connected</span></h2>
<p>Access token expires ${record.expires_at ? timeTag(record.expires_at, 'countdown', now) : 'never (no expiry given)'}.</p>
<div class="actions">
<form method="post" action="/refresh?${q}" data-busy="Refreshing…"><button id="refresh">Refresh the token</button></form>
<form method="post" action="/revoke?${q}" data-busy="Revoking…"><button id="revoke" class="danger">Revoke (uninstall)</button></form>
<a class="button secondary" href="/">Home</a>
</div></section>
<section class="card"><h2>Helpdesk API: <code>GET ${esc(api.path)}</code> → <span class="${api.status === 200 ? 'ok' : 'bad'}" id="api-status">${api.status}</span></h2>
<pre class="json" id="api-body">${esc(prettyJson(api.body))}</pre></section>
<section class="card"><h2>Stored token set <span class="muted small">(what the app keeps; tokens redacted here)</span></h2>
<table id="token-set">${tokenRows(record, now)}</table>${claimsTable}</section>`,
  );
}

/** "Token refreshed at <time>: …" for the account page after a refresh. */
export function refreshedFlash(obtainedAt, rotated) {
  const refresh = rotated ? 'the provider rotated the refresh token, and the new one is stored' : 'the refresh token was kept (the provider sent no new one)';
  return { kind: 'ok', html: `Token refreshed at ${timeTag(obtainedAt, 'ago')}: a new access token, stored before use; ${esc(refresh)}.` };
}

export function errorPage(error, { title = 'Connection failed', status } = {}) {
  return page(
    title,
    `<section class="card"><h2>${esc(title)}</h2>
<div class="error" role="alert" data-code="${esc(error.code)}"><span class="code" id="error-code">${esc(error.code)}</span><span class="message">${esc(error.message)}</span></div>
${status === 404 ? '' : '<p>Start again from the helpdesk (or from this app\'s home page).</p>'}
<p class="actions"><a class="button" href="/">Home</a></p></section>`,
  );
}
