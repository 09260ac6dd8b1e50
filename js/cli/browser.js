// Opening the authorize URL in the user's browser when there is one: xdg-open on Linux (only
// with a display), open on macOS, the URL handler on Windows. Any failure is silent: the URL is
// printed anyway.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

function onPath(command, env) {
  return (env.PATH ?? '').split(path.delimiter).some((dir) => dir && existsSync(path.join(dir, command)));
}

/** @returns {boolean} whether a browser was asked to open the URL */
export function openBrowser(url, { env, platform = process.platform }) {
  if (env.HELPDESK_OAUTH_NO_BROWSER) return false;
  let command;
  let args;
  if (platform === 'darwin') [command, args] = ['open', [url]];
  else if (platform === 'win32') [command, args] = ['rundll32', ['url.dll,FileProtocolHandler', url]];
  else {
    if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return false; // a server or container: nothing to show it on
    [command, args] = ['xdg-open', [url]];
  }
  if (platform !== 'win32' && !onPath(command, env)) return false;
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true, env });
    child.on('error', () => {});
    child.unref();
    return true;
  } catch {
    return false;
  }
}
