// Durations as the pages print them, shared by the server (pages.mjs) and the browser (pages.js).

/** 86399 s → "23:59:59"; a day or more → "1 d 02:00:00". */
export function clock(totalSeconds) {
  const s = Math.max(0, Math.floor(totalSeconds));
  const pad = (n) => String(n).padStart(2, '0');
  const days = Math.floor(s / 86400);
  const hms = `${pad(Math.floor((s % 86400) / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
  return days ? `${days} d ${hms}` : hms;
}

/** 4 s → "just now", 75 s → "1 min ago", 2 h → "2 h ago". */
export function ago(totalSeconds) {
  const s = Math.max(0, Math.floor(totalSeconds));
  if (s < 5) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}
