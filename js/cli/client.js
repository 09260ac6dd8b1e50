// An OAuthClient from the settings stored with the tokens (or given to login) and a secret.
import { OAuthClient } from 'helpdesk-oauth';
import { CliError, EXIT, toCliError } from './errors.js';
import { obtainSecret } from './secrets.js';

export const SECRET_ENV = 'HELPDESK_OAUTH_CLIENT_SECRET';

export function clientSecret(values, io) {
  return obtainSecret({ flagValue: values['client-secret'], flag: '--client-secret', envName: SECRET_ENV, label: 'Client secret', io });
}

/** @param {{provider: string|object, clientId: string, redirectUri: string, scopes?: string[]}} profile */
export function createClient(profile, secret) {
  try {
    return new OAuthClient({ provider: profile.provider, clientId: profile.clientId, clientSecret: secret, redirectUri: profile.redirectUri, scopes: profile.scopes });
  } catch (err) {
    const e = toCliError(err);
    throw new CliError(e.message, { exitCode: EXIT.USAGE, code: e.code, next: e.next ?? 'check the provider flags (--base-url, --authorize-url, ...) and --client-id' });
  }
}
