// The visible wait for the browser: on a terminal one line rewritten every second, elsewhere
// (logs, CI, tests) a line now and then so the output stays readable.

const clock = (s) => `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;

/** @returns {() => void} stop */
export function startCountdown(seconds, stream, label) {
  const deadline = Date.now() + seconds * 1000;
  const left = () => Math.max(0, Math.round((deadline - Date.now()) / 1000));
  if (stream.isTTY) {
    const draw = () => stream.write(`\r${label}: ${clock(left())} left (Ctrl-C to cancel) `);
    draw();
    const timer = setInterval(draw, 1000);
    timer.unref();
    return () => {
      clearInterval(timer);
      stream.write('\r\x1b[K');
    };
  }
  stream.write(`${label}: ${clock(seconds)} left (Ctrl-C to cancel)\n`);
  const timer = setInterval(() => stream.write(`${label}: ${clock(left())} left\n`), 60_000);
  timer.unref();
  return () => clearInterval(timer);
}
