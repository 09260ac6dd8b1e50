// The example app's own HTML: the home page and the account page. Kept apart from the routes so
// app.mjs reads as the OAuth flow.

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:760px;margin:32px auto;padding:0 16px;color:#1d2330}
code,pre{background:#f1f3f6;border-radius:4px;padding:1px 4px}pre{padding:10px;overflow:auto}
form{display:inline}button{font-size:15px;padding:6px 14px;margin-right:8px}.error{color:#a40e26}`;

export function page(title, body) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

const OTHERS = [
  ['zendesk', 'Zendesk'],
  ['front', 'Front'],
  ['helpscout', 'Help Scout'],
  ['zoho', 'Zoho Desk'],
  ['hubspot', 'HubSpot'],
  ['intercom', 'Intercom'],
];

export function homePage({ connections }) {
  const list = connections.length
    ? `<ul>${connections.map((c) => `<li><a href="/account?provider=${esc(c.provider)}&account=${esc(c.account)}">${esc(c.provider)} · ${esc(c.account)}</a></li>`).join('')}</ul>`
    : '<p>No account connected yet.</p>';
  return page(
    'helpdesk-oauth demo app',
    `<h1>helpdesk-oauth demo app</h1>
<p>This is what a helpdesk app runs. Its App URL is <code>/install?account={gorgias_account}</code>; the provider is the local emulator.</p>
<p><a href="/install?account=acme">Connect the Gorgias account <b>acme</b></a> ·
<a href="/install?account=myorg&amp;provider=kustomer">Connect the Kustomer org <b>myorg</b></a> ·
<a href="/www/">Open the interactive page (www/)</a></p>
<p>Other helpdesks: ${OTHERS.map(([id, name]) => `<a href="/install?account=acme&amp;provider=${id}">${name}</a>`).join(' · ')}</p>
<h2>Connected</h2>${list}`,
  );
}

export function accountPage({ provider, account, api, tokens }) {
  return page(
    `${provider} · ${account}`,
    `<h1>${esc(provider)} · ${esc(account)}</h1>
<p>Stored token set: <code>${esc(tokens)}</code></p>
<p>GET ${esc(api.path)} with the stored token → <b id="api-status">${api.status}</b></p>
<pre id="api-body">${esc(api.body)}</pre>
<form method="post" action="/refresh?provider=${esc(provider)}&amp;account=${esc(account)}"><button>Refresh the token</button></form>
<form method="post" action="/revoke?provider=${esc(provider)}&amp;account=${esc(account)}"><button>Revoke (uninstall)</button></form>
<p><a href="/">Home</a></p>`,
  );
}

export function errorPage(error) {
  return page('Connection failed', `<h1 class="error">Connection failed: <code id="error-code">${esc(error.code)}</code></h1><p>${esc(error.message)}</p><p><a href="/">Home</a></p>`);
}
