// A port that cannot be had (busy, or privileged) said plainly, with the flag that picks another:
// shared by the commands that start the emulator.

/**
 * @param {unknown} err what startEmulator rejected with
 * @param {string} command the command to name in the advice
 * @returns {string|null} the message, or null when the error is not about the port
 */
export function listenFailure(err, command) {
  if (!err || (err.code !== 'EADDRINUSE' && err.code !== 'EACCES')) return null;
  const advice = err.code === 'EADDRINUSE' ? 'stop the program that uses it, or pick another port' : 'pick a port above 1023';
  return `${err.message}: ${advice} with \`${command} --port N\` (or "port" in the apps file; --port 0 takes any free port)`;
}
