// What commands print: people get lines on stdout (progress and warnings on stderr), scripts
// with --json get one JSON document per line on stdout. Errors always go to stderr.

export function createOutput({ stdout, stderr, json }) {
  return {
    json,
    /** A result line for people (skipped with --json). */
    say(text) {
      if (!json) stdout.write(`${text}\n`);
    },
    /** Progress and warnings: stderr, so `$(helpdesk-oauth token)` captures only the token. */
    note(text) {
      if (!json) stderr.write(`${text}\n`);
    },
    /** The machine-readable result (only with --json). */
    data(value) {
      if (json) stdout.write(`${JSON.stringify(value)}\n`);
    },
    /** Exactly this text on stdout, in both modes (the token command's token). */
    raw(text) {
      stdout.write(text);
    },
    stderr,
  };
}

/** 86399 → "23h 59m 59s"; negative → "expired 5m ago". */
export function formatDuration(seconds) {
  if (seconds < 0) return `expired ${formatDuration(-seconds)} ago`;
  const s = Math.floor(seconds);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const parts = [];
  if (d) parts.push(`${d}d`);
  if (h) parts.push(`${h}h`);
  if (m && !d) parts.push(`${m}m`);
  if (!d && !h) parts.push(`${s % 60}s`);
  return parts.join(' ');
}

/** Report an error: "helpdesk-oauth: message\n  next: …", or a JSON line with --json. */
export function reportError(stderr, err, json) {
  if (json) {
    stderr.write(`${JSON.stringify({ error: { code: err.code, message: err.message, next: err.next ?? null, exitCode: err.exitCode } })}\n`);
    return;
  }
  stderr.write(`helpdesk-oauth: ${err.message}\n`);
  if (err.next) stderr.write(`  next: ${err.next}\n`);
}
