// Where the token file lives: per user, outside any project. --store / HELPDESK_OAUTH_STORE
// override the default ($XDG_CONFIG_HOME or ~/.config, then helpdesk-oauth/tokens.json), but a
// path inside the project around the current directory is refused: a token file there is one
// `git add .` away from being published.
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UsageError } from './errors.js';

export function defaultStorePath(env) {
  const base = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(os.homedir(), '.config');
  return path.join(base, 'helpdesk-oauth', 'tokens.json');
}

/** The nearest directory at or above `dir` that looks like a project (.git or package.json), except $HOME and /. */
function projectRoot(dir) {
  const home = path.resolve(os.homedir());
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (d === home || d === path.dirname(d)) return undefined;
    if (existsSync(path.join(d, '.git')) || existsSync(path.join(d, 'package.json'))) return d;
  }
}

const inside = (child, parent) => {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};

/** @returns {string} absolute path of the token file */
export function resolveStorePath(flagValue, io, command) {
  const chosen = flagValue ?? io.env.HELPDESK_OAUTH_STORE;
  const file = path.resolve(io.cwd, chosen || defaultStorePath(io.env));
  const root = projectRoot(io.cwd);
  if (root && inside(file, root)) {
    throw new UsageError(
      `the token store ${file} would be inside the project ${root}, where it could be committed`,
      command,
      'keep the default (~/.config/helpdesk-oauth/tokens.json) or point --store / HELPDESK_OAUTH_STORE outside the project',
    );
  }
  return file;
}
