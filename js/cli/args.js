// Flag parsing on node:util parseArgs, with messages that name the flag (never echo a value:
// a mistyped flag may be followed by a secret) and suggest the closest known flag.
import { parseArgs } from 'node:util';
import { UsageError } from './errors.js';

export const COMMON_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  json: { type: 'boolean' },
};

function distance(a, b) {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j += 1) d[0][j] = j;
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return d[a.length][b.length];
}

function suggest(flag, options) {
  const name = flag.replace(/^-+/, '').split('=')[0];
  let best;
  for (const known of Object.keys(options)) {
    const dist = distance(name, known);
    if (dist <= Math.max(2, Math.floor(known.length / 4)) && (!best || dist < best.dist)) best = { known, dist };
  }
  return best ? ` (did you mean --${best.known}?)` : '';
}

/**
 * Parses `argv` for `command` ("login", "kustomer secret"); returns the flag values.
 * @throws {UsageError}
 */
export function parseFlags(command, argv, options) {
  const all = { ...COMMON_OPTIONS, ...options };
  try {
    return parseArgs({ args: argv, options: all, strict: true, allowPositionals: false }).values;
  } catch (e) {
    const flag = /'(?:-\w, )?(--?[\w-]+)/.exec(e.message)?.[1];
    switch (e.code) {
      case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
        throw new UsageError(`unknown option ${flag ?? ''}${flag ? suggest(flag, all) : ''}`.trim(), command);
      case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
        if (all[flag?.replace(/^--/, '')]?.type === 'boolean') throw new UsageError(`${flag} takes no value`, command);
        throw new UsageError(`${flag ?? 'an option'} needs a value (write --name=value when the value starts with "-")`, command);
      case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
        throw new UsageError('unexpected argument: every value belongs to an option (--name value)', command);
      default:
        throw new UsageError(e.message, command);
    }
  }
}

export function required(values, name, command, hint) {
  const v = values[name];
  if (v === undefined || v === '') throw new UsageError(`--${name} is required${hint ? `: ${hint}` : ''}`, command);
  return v;
}

/** A whole number of seconds (or a port) from a flag. */
export function integerFlag(values, name, command, { min = 0, max = Number.MAX_SAFE_INTEGER, fallback } = {}) {
  const v = values[name];
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}`, command);
  }
  return Number(v);
}

/** "openid,email offline" → ["openid", "email", "offline"] */
export function listFlag(value) {
  return String(value ?? '')
    .split(/[\s,]+/)
    .filter(Boolean);
}
