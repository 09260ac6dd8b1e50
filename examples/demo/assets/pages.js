// The example app's pages, live: times in the reader's time zone with a running countdown (or
// "ago"), and visible feedback the moment an action's button is pressed. The server renders the
// same information in UTC, so the pages read right without this script.
const format = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const pad = (n) => String(n).padStart(2, '0');

function clock(totalSeconds) {
  const s = Math.max(0, Math.floor(totalSeconds));
  const days = Math.floor(s / 86400);
  const hms = `${pad(Math.floor((s % 86400) / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
  return days ? `${days} d ${hms}` : hms;
}

function ago(totalSeconds) {
  const s = Math.max(0, Math.floor(totalSeconds));
  if (s < 5) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

function tick() {
  const now = Date.now();
  for (const time of document.querySelectorAll('time[data-ms]')) {
    const ms = Number(time.dataset.ms);
    const countdown = time.dataset.relative === 'countdown';
    time.querySelector('.when').textContent = format.format(ms);
    const rel = time.querySelector('.relative');
    rel.textContent = `(${countdown ? (ms > now ? `in ${clock((ms - now) / 1000)}` : 'expired') : ago((now - ms) / 1000)})`;
    time.classList.toggle('bad', countdown && ms <= now);
  }
}

for (const form of document.querySelectorAll('form[data-busy]')) {
  form.addEventListener('submit', () => {
    for (const button of document.querySelectorAll('.actions button')) button.disabled = true;
    const button = form.querySelector('button');
    button.textContent = form.dataset.busy;
    button.classList.add('busy');
    document.body.setAttribute('aria-busy', 'true');
  });
}

tick();
setInterval(tick, 1000);
document.body.dataset.live = 'true';
