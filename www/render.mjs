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

// Moments in a token set (ms since the epoch) and in id_token claims (seconds): shown as a local
// date and time with a relative time that updateTimes() keeps current, never as a bare number.
const MS_FIELDS = new Set(['expires_at', 'obtained_at']);
const SECOND_CLAIMS = new Set(['exp', 'iat', 'auth_time', 'nbf']);
const COUNTDOWN = new Set(['expires_at', 'exp']);
const format = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

function momentOf(key, value) {
  if (typeof value !== 'number') return undefined;
  if (MS_FIELDS.has(key)) return value;
  if (SECOND_CLAIMS.has(key)) return value * 1000;
  return undefined;
}

function ago(ms, now) {
  const s = Math.floor((now - ms) / 1000);
  if (s < 5) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  return s < 86400 ? `${Math.floor(s / 3600)} h ago` : `${Math.floor(s / 86400)} d ago`;
}

/** Rewrites every time shown by fillTable for the current moment. */
export function updateTimes(root = document, now = Date.now()) {
  for (const el of root.querySelectorAll('time[data-ms]')) {
    const ms = Number(el.dataset.ms);
    const rel = el.dataset.relative === 'countdown' ? (ms > now ? `in ${remaining(ms, now)}` : 'expired') : ago(ms, now);
    el.textContent = `${format.format(ms)} (${rel})`;
  }
}

/** Fills a <table> with one row per key; times are readable, objects and arrays are shown as JSON. */
export function fillTable(table, object) {
  table.replaceChildren();
  for (const [k, v] of Object.entries(object ?? {})) {
    const tr = table.insertRow();
    tr.dataset.key = k;
    tr.insertCell().textContent = k;
    const cell = tr.insertCell();
    const ms = momentOf(k, v);
    if (ms === undefined) {
      cell.textContent = typeof v === 'string' ? v : JSON.stringify(v);
      continue;
    }
    const time = document.createElement('time');
    time.dateTime = new Date(ms).toISOString();
    time.dataset.ms = String(ms);
    time.dataset.relative = COUNTDOWN.has(k) ? 'countdown' : 'ago';
    cell.append(time);
  }
  updateTimes(table);
}

/** hh:mm:ss until `expiresAt` (ms), or "expired". */
export function remaining(expiresAt, now = Date.now()) {
  const s = Math.floor((expiresAt - now) / 1000);
  if (s <= 0) return 'expired';
  const pad = (n) => String(n).padStart(2, '0');
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}
