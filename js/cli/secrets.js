// Secrets (client secret, Kustomer API key) from a flag, an environment variable, or a prompt
// with echo off. Never printed, never logged; a prompt needs a terminal, otherwise the user is
// told which variable to set.
import readline from 'node:readline';
import { CliError, EXIT } from './errors.js';

/**
 * @param {object} o
 * @param {string|undefined} o.flagValue value of the flag, if given
 * @param {string} o.flag e.g. "--client-secret"; @param {string} o.envName e.g. HELPDESK_OAUTH_CLIENT_SECRET
 * @param {string} o.label shown in the prompt; @param {string} [o.what] named in the error; @param {object} o.io { env, stdin, stderr }
 */
export async function obtainSecret({ flagValue, flag, envName, label, what = label.toLowerCase(), io }) {
  if (flagValue !== undefined && flagValue !== '') return flagValue;
  const fromEnv = io.env[envName];
  if (fromEnv) return fromEnv;
  if (io.stdin.isTTY && io.stderr.isTTY && typeof io.stdin.setRawMode === 'function') {
    const value = await promptHidden(`${label}: `, io.stdin, io.stderr);
    if (value) return value;
  }
  throw new CliError(`no ${what} given`, {
    exitCode: EXIT.USAGE,
    code: 'secret_missing',
    next: `set ${envName} (or pass ${flag}; a terminal gets a prompt)`,
  });
}

/** Reads one line from a terminal without echoing it. Ctrl-C interrupts, Ctrl-D ends. */
export function promptHidden(question, stdin, stderr) {
  return new Promise((resolve, reject) => {
    readline.emitKeypressEvents(stdin);
    const wasRaw = stdin.isRaw;
    stdin.setRawMode(true);
    stdin.resume();
    stderr.write(question);
    let value = '';
    const done = (fn) => {
      stdin.off('keypress', onKey);
      stdin.setRawMode(wasRaw);
      stdin.pause();
      stderr.write('\n');
      fn();
    };
    const onKey = (str, key = {}) => {
      if (key.ctrl && key.name === 'c') return done(() => reject(new CliError('interrupted', { exitCode: EXIT.INTERRUPTED, code: 'interrupted' })));
      if (key.name === 'return' || key.name === 'enter' || (key.ctrl && key.name === 'd')) return done(() => resolve(value));
      if (key.name === 'backspace') {
        value = value.slice(0, -1);
        return undefined;
      }
      if (typeof str === 'string' && !key.ctrl && !key.meta) value += str;
      return undefined;
    };
    stdin.on('keypress', onKey);
  });
}
