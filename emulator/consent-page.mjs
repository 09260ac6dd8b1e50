// The HTML consent screen: who asks (the registered app's name), for which account, which
// scopes (each with what it allows), whether a refresh token will be issued, and where the browser
// goes next. Approve / Deny post the form back to the authorize endpoint with the one-time consent id.
import { escapeHtml } from './http.mjs';

const STYLE = `
body{font:16px/1.5 system-ui,sans-serif;background:#f4f5f7;color:#1d2330;margin:0;display:grid;place-items:center;min-height:100vh}
main{background:#fff;border-radius:12px;box-shadow:0 2px 12px #0002;padding:28px 32px;max-width:480px;width:100%}
h1{font-size:20px;margin:0 0 4px}.muted{color:#5b6475;font-size:14px}
ul{padding-left:20px}li code{background:#eef0f4;border-radius:4px;padding:0 4px}
.buttons{display:flex;gap:12px;margin-top:20px}
button{flex:1;font-size:16px;padding:10px;border-radius:8px;border:1px solid #c4c9d4;background:#fff;cursor:pointer}
button.approve{background:#1f6feb;border-color:#1f6feb;color:#fff}
.badge{display:inline-block;font-size:12px;border-radius:999px;padding:1px 8px;background:#fff4d6;color:#7a5a00}`;

/**
 * @param {object} v
 * @param {string} v.providerName @param {string} v.account @param {string} v.accountHost
 * @param {string} v.appName @param {Array<{scope: string, description: string}>} v.scopes
 * @param {boolean} v.offline @param {string} v.redirectOrigin @param {string} v.consentId
 * @param {string} v.action form action (the authorize path)
 */
export function renderConsentPage(v) {
  const items = v.scopes
    .map((s) => `<li><code>${escapeHtml(s.scope)}</code> ${escapeHtml(s.description)}</li>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Authorize ${escapeHtml(v.appName)} · ${escapeHtml(v.providerName)} (emulator)</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style></head>
<body><main>
<p class="muted">${escapeHtml(v.providerName)} · <span id="account-host">${escapeHtml(v.accountHost)}</span> <span class="badge">local emulator</span></p>
<h1><span id="app-name">${escapeHtml(v.appName)}</span> wants to access your ${escapeHtml(v.providerName)} account <span id="account">${escapeHtml(v.account)}</span></h1>
<p>It asks for:</p>
<ul id="scopes">${items}</ul>
<p class="muted" id="offline">${v.offline ? 'It will stay connected (a refresh token is issued).' : 'No refresh token: access ends when the access token expires.'}</p>
<p class="muted">After your choice you go back to <code id="redirect-origin">${escapeHtml(v.redirectOrigin)}</code>.</p>
<form method="post" action="${escapeHtml(v.action)}">
<input type="hidden" name="consent" value="${escapeHtml(v.consentId)}">
<div class="buttons">
<button type="submit" name="decision" value="deny" id="deny">Deny</button>
<button type="submit" name="decision" value="approve" id="approve" class="approve">Approve</button>
</div>
</form>
</main></body></html>`;
}
