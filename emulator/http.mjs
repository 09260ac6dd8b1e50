// HTTP plumbing shared by the endpoints: bounded body reading, JSON / HTML / OAuth error answers,
// and the RFC 6749 §2.3.1 decoding of HTTP Basic client credentials.

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
export function sendErrorPage(res, status, title, detail) {
  return sendHtml(
    res,
    status,
    `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
      `<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(detail)}</p></body></html>`,
  );
}

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
