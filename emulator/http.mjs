// HTTP plumbing shared by the endpoints: bounded body reading, JSON / HTML / OAuth error answers,
// and the RFC 6749 §2.3.1 decoding of HTTP Basic client credentials.
//
// Every refusal (an error status, or an OAuth error redirected back to the app) is noted on its
// response, so that the server logs one line per refused request (server.mjs) without each
// endpoint writing its own log line. `why` adds what only the log may say (never a secret).

const refusals = new WeakMap();

/** Notes why the emulator refuses this request: { status, error, description, why? }. */
export function noteRefusal(res, refusal) {
  if (!refusals.has(res)) refusals.set(res, refusal);
}

/** Adds detail for the log line to a refusal noted (or about to be noted) on `res`. */
export function explainRefusal(res, why) {
  const r = refusals.get(res);
  if (r) r.why = why;
  else refusals.set(res, { why, pending: true });
}

export function refusalOf(res) {
  const r = refusals.get(res);
  return r && !r.pending ? r : undefined;
}

function note(res, status, error, description) {
  const earlier = refusals.get(res);
  if (earlier && !earlier.pending) return;
  refusals.set(res, { status, error, description, why: earlier?.why });
}

const MAX_BODY = 64 * 1024;

/** Reads a request body as UTF-8; rejects (and drops the socket) past 64 KiB. */
export function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * Form body (or query) to a plain object. A repeated parameter is reported, not merged: OAuth
 * endpoints must refuse them (RFC 6749 §3.1, §3.2).
 */
export function parseForm(text) {
  const params = {};
  let duplicate = null;
  for (const [k, v] of new URLSearchParams(text)) {
    if (Object.hasOwn(params, k)) duplicate = k;
    params[k] = v;
  }
  return { params, duplicate };
}

export function sendJson(res, status, body, headers = {}) {
  if (status >= 400) note(res, status, body?.error ?? body?.errors?.[0]?.title ?? 'error', body?.error_description ?? body?.errors?.[0]?.detail);
  const text = JSON.stringify(body);
  const h = { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) };
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) h[k] = v;
  res.writeHead(status, h);
  res.end(text);
}

export function sendHtml(res, status, body, headers = {}) {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(body);
}

/** An error page for requests that must not be redirected (unknown client, unregistered redirect_uri). */
export function sendErrorPage(res, status, title, detail, { list } = {}) {
  note(res, status, title, list ? `${detail} ${list.map(([k, v]) => `${k}: ${v}`).join('; ')}` : detail);
  const items = list ? `<dl>${list.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd><code>${escapeHtml(v)}</code></dd>`).join('')}</dl>` : '';
  return sendHtml(
    res,
    status,
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
      `<link rel="icon" href="data:,"><style>${ERROR_STYLE}</style></head>` +
      `<body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(detail)}</p>${items}` +
      `<p class="muted">helpdesk-oauth local emulator</p></main></body></html>`,
  );
}

const ERROR_STYLE =
  'body{font:16px/1.5 system-ui,sans-serif;background:#f4f5f7;color:#1d2330;margin:0;padding:32px 16px}' +
  'main{background:#fff;border-radius:12px;box-shadow:0 2px 12px #0002;padding:24px 28px;max-width:640px;margin:0 auto}' +
  'h1{font-size:20px;margin:0 0 8px;color:#a40e26}dt{color:#5b6475;font-size:14px;margin-top:8px}dd{margin:0}' +
  'code{background:#eef0f4;border-radius:4px;padding:0 4px;overflow-wrap:anywhere}.muted{color:#5b6475;font-size:13px}';

/** RFC 6749 §5.2 error body; never cached. */
export function oauthError(res, status, error, description, headers = {}) {
  return sendJson(res, status, { error, error_description: description }, { 'Cache-Control': 'no-store', ...headers });
}

/** Form-urlencoded component decoding (RFC 6749 §2.3.1 / Appendix B): `+` is a space. */
function formDecode(s) {
  return decodeURIComponent(s.replace(/\+/g, ' '));
}

/** `Authorization: Basic` → { id, secret } with both parts form-decoded, or null. */
export function parseBasic(header) {
  const m = /^Basic ([A-Za-z0-9+/]+=*)$/i.exec(header ?? '');
  if (!m) return null;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 0) return null;
  try {
    return { id: formDecode(decoded.slice(0, i)), secret: formDecode(decoded.slice(i + 1)) };
  } catch {
    return null;
  }
}

export function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
