// DOM helpers for the demo page: typed errors, key/value tables, the expiry countdown.

export const $ = (id) => document.getElementById(id);

/** Shows a HelpdeskOAuthError (or the app's `{error, message}`) as its stable code plus message. */
export function showError(box, { code, message }) {
  box.replaceChildren();
  const c = document.createElement('span');
  c.className = 'code';
  c.textContent = code;
  const m = document.createElement('span');
  m.className = 'message';
  m.textContent = message;
  box.append(c, m);
  box.dataset.code = code;
  box.hidden = false;
}

export function clearError(box) {
  box.hidden = true;
  box.replaceChildren();
  delete box.dataset.code;
}

/** Fills a <table> with one row per key; objects and arrays are shown as JSON. */
export function fillTable(table, object) {
  table.replaceChildren();
  for (const [k, v] of Object.entries(object ?? {})) {
    const tr = table.insertRow();
    tr.dataset.key = k;
    tr.insertCell().textContent = k;
    tr.insertCell().textContent = typeof v === 'string' ? v : JSON.stringify(v);
  }
}

/** hh:mm:ss until `expiresAt` (ms), or "expired". */
export function remaining(expiresAt, now = Date.now()) {
  const s = Math.floor((expiresAt - now) / 1000);
  if (s <= 0) return 'expired';
  const pad = (n) => String(n).padStart(2, '0');
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}
