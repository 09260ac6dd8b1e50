// What both emulator commands print once listening: the `helpdesk-oauth login` command that works
// against this emulator for each registered app. The CLI's loopback server must listen on the
// port of a registered redirect URI (the emulator compares redirect URIs exactly), so the command
// carries `--port` (or `--redirect-uri` for another path), or says why there is none.

import { FLAVOUR_IDS } from './flavours/index.mjs';

const CLI_PATH = '/callback';
const CLASSIC = ['gorgias', 'kustomer'];

/** The redirect flag `helpdesk-oauth login` needs for one of these URIs, or null. */
export function loginRedirectFlag(redirectUris) {
  for (const uri of redirectUris) {
    let u;
    try {
      u = new URL(uri);
    } catch {
      continue;
    }
    // The CLI listens on http://127.0.0.1:PORT only (RFC 8252 loopback redirect), without a query.
    if (u.protocol !== 'http:' || u.hostname !== '127.0.0.1' || !u.port || u.search || u.hash) continue;
    return u.pathname === CLI_PATH ? `--port ${u.port}` : `--redirect-uri ${uri}`;
  }
  return null;
}

/**
 * One line per registered app and provider: the login command, or why the app cannot log in
 * with the CLI. `accounts` names the account to show per provider.
 * @param {{url: string, apps: Array<{provider?: string, clientId: string, redirectUris: string[]}>}} emulator
 * @returns {string[]}
 */
export function loginCommands(emulator, { accounts: given = {} } = {}) {
  const lines = [];
  for (const provider of [...CLASSIC, ...FLAVOUR_IDS]) {
    // An app without a provider is registered for Gorgias and Kustomer.
    for (const app of emulator.apps.filter((a) => a.provider === provider || (!a.provider && CLASSIC.includes(provider)))) {
      const flag = loginRedirectFlag(app.redirectUris);
      // The flavours (Zendesk, ...) take the emulator's origin: the CLI knows their layout.
      const baseUrl = CLASSIC.includes(provider) ? `'${emulator.url}/${provider}/{account}'` : emulator.url;
      const base = `helpdesk-oauth login --provider ${provider} --base-url ${baseUrl} --account ${given[provider] ?? 'acme'} --client-id ${app.clientId}`;
      lines.push(
        flag
          ? `${provider}: ${base} ${flag}`
          : `${provider}: app ${app.clientId} has no redirect URI the CLI can listen on; register http://127.0.0.1:PORT${CLI_PATH} and pass --port PORT to login`,
      );
    }
  }
  return lines;
}
