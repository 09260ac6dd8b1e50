// The example app's pages, live: times in the reader's time zone with a running countdown (or
// "ago"), and visible feedback the moment an action's button is pressed. The server renders the
// same information in UTC, so the pages read right without this script.
import { clock, ago } from './durations.js';

const format = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

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
