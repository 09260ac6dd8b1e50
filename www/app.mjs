// The demo page: previews the authorization request with the package's browser build as you type,
// connects through the example app (the confidential client: it holds the secret and the tokens),
// and shows what came back. Served by examples/demo/app.mjs at /www/ with the package at /www/pkg/.
import { OAuthClient, validateAccount } from 'helpdesk-oauth';
import { $, showError, clearError, fillTable, remaining, updateTimes } from './render.mjs';

const DEFAULT_ACCOUNT = { gorgias: 'acme', kustomer: 'myorg', zendesk: 'acme', front: 'acme', helpscout: 'acme', zoho: 'acme', hubspot: 'acme', intercom: 'acme' };
let config = {
  clientId: 'demo-app',
  redirectUri: new URL('/oauth/callback', location.href).href,
  providers: {}, // preset names only: the real providers' URLs
  scopes: { gorgias: ['openid', 'email', 'profile', 'offline', 'account:read'], kustomer: ['org.permission.customer', 'offline_access'] },
};
let appAvailable = false;

async function loadConfig() {
  try {
    const res = await fetch(new URL('/demo-config.json', location.href));
    if (res.ok) {
      config = { ...config, ...(await res.json()) };
      appAvailable = true;
    }
  } catch {
    // Opened without the example app: preview only, against the real providers' URLs.
  }
}

const form = () => ({
  provider: $('provider').value,
  account: $('account').value.trim(),
  scopes: $('scopes').value.split(/\s+/).filter(Boolean),
  clientId: $('client-id').value.trim(),
});

/** Recomputes the authorization request in wasm; any problem is shown as its typed error. */
function preview() {
  const f = form();
  const box = $('preview-error');
  let client;
  let req;
  try {
    validateAccount(f.account);
    // The page holds no secret and only builds the authorize URL, so it previews as a public
    // client (the constructor refuses a confidential provider without clientSecret).
    const provider = config.providers[f.provider] ?? f.provider;
    const publicProvider = { ...(typeof provider === 'string' ? { preset: provider } : provider), clientAuth: 'none' };
    client = new OAuthClient({ provider: publicProvider, clientId: f.clientId, redirectUri: config.redirectUri, scopes: f.scopes });
    req = client.authorize({ account: f.account });
    const pending = JSON.parse(req.pending.serialize());
    $('authorize-url').textContent = req.url;
    $('state').textContent = req.state;
    $('nonce').textContent = req.nonce ?? '(none)';
    $('code-challenge').textContent = req.codeChallenge ?? `(PKCE off for ${f.provider})`;
    $('code-verifier').textContent = pending.code_verifier ?? '(none)';
    clearError(box);
    $('preview-values').hidden = false;
    $('connect').disabled = !appAvailable;
  } catch (e) {
    showError(box, { code: e.code ?? 'error', message: e.message });
    $('preview-values').hidden = true;
    $('connect').disabled = true;
  } finally {
    client?.free();
  }
  const note = $('client-note');
  note.hidden = !appAvailable || f.clientId === config.clientId;
  note.textContent = `The preview uses "${f.clientId}"; Connect goes through the example app, registered as "${config.clientId}".`;
  $('connect-note').textContent = appAvailable ? '' : 'Start `make demo` to connect against the local emulator.';
}

function connect() {
  const f = form();
  const q = new URLSearchParams({ account: f.account, provider: f.provider, scope: f.scopes.join(' '), return: location.pathname });
  location.assign(new URL(`/install?${q}`, location.href));
}

let countdown;
async function showResult(params) {
  $('result').hidden = false;
  const provider = params.get('provider') ?? 'gorgias';
  const account = params.get('account') ?? '';
  if (params.has('error')) {
    showError($('result-error'), { code: params.get('error'), message: params.get('message') ?? '' });
    return;
  }
  const res = await fetch(new URL(`/api/connection?${new URLSearchParams({ provider, account })}`, location.href));
  const body = await res.json();
  if (!res.ok) {
    showError($('result-error'), { code: body.error, message: body.message });
    return;
  }
  $('connected-as').textContent = `${body.provider} · ${body.account}${body.tenant ? ` (tenant ${body.tenant})` : ''}`;
  $('api-path').textContent = `GET ${body.api.path}`;
  fillTable($('token-set'), body.tokenSet);
  fillTable($('claims'), body.idTokenClaims ?? { '(none)': 'this provider sends no id_token' });
  $('api-status').textContent = String(body.api.status);
  let apiBody = body.api.body;
  try {
    apiBody = JSON.stringify(JSON.parse(apiBody), null, 2);
  } catch {
    // not JSON: show it as it came
  }
  $('api-body').textContent = apiBody;
  const tick = () => {
    $('countdown').textContent = body.expiresAt ? remaining(body.expiresAt) : 'no expiry given';
    updateTimes($('connection'));
  };
  tick();
  clearInterval(countdown);
  countdown = setInterval(tick, 1000);
  $('connection').hidden = false;
}

function resetForProvider() {
  const p = $('provider').value;
  $('scopes').value = (config.scopes[p] ?? []).join(' ');
  $('account').value = DEFAULT_ACCOUNT[p];
}

async function main() {
  await loadConfig();
  $('client-id').value = config.clientId;
  const params = new URLSearchParams(location.search);
  if (params.get('provider') in DEFAULT_ACCOUNT) $('provider').value = params.get('provider');
  resetForProvider();
  if (params.get('account')) $('account').value = params.get('account');
  $('provider').addEventListener('change', () => {
    resetForProvider();
    preview();
  });
  for (const id of ['account', 'scopes', 'client-id']) $(id).addEventListener('input', preview);
  $('connect').addEventListener('click', connect);
  preview();
  if (params.has('error') || params.has('connected')) await showResult(params);
  document.body.dataset.ready = 'true';
}

main().catch((e) => {
  document.body.dataset.ready = 'failed';
  showError($('preview-error'), { code: e.code ?? 'page_error', message: e.message });
});
