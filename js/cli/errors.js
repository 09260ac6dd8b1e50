// Exit codes scripts can rely on, and errors that say what to do next. Library errors
// (HelpdeskOAuthError) are translated here so every command reports them the same way; their
// messages never hold a secret, and nothing added here quotes a secret or a token either.

export const EXIT = Object.freeze({
  OK: 0,
  ERROR: 1, // runtime or provider failure (network, refused credentials, denied consent, timeout)
  USAGE: 2, // bad or missing flags, a secret that cannot be obtained, an unsafe store path
  REAUTH: 3, // no usable grant: nothing stored, or the refresh token was revoked — run login
  INTERRUPTED: 130, // Ctrl-C
});

export class CliError extends Error {
  /**
   * @param {string} message what went wrong
   * @param {{exitCode?: number, next?: string, code?: string}} [details] `next`: what to do about it
   */
  constructor(message, { exitCode = EXIT.ERROR, next, code } = {}) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
    this.next = next;
    this.code = code ?? (exitCode === EXIT.USAGE ? 'usage' : 'error');
  }
}

export class UsageError extends CliError {
  constructor(message, command, next) {
    super(message, { exitCode: EXIT.USAGE, next: next ?? `see \`helpdesk-oauth ${command ?? ''}${command ? ' ' : ''}--help\`` });
    this.name = 'UsageError';
  }
}

const HINTS = {
  invalid_client: 'the provider refused the client credentials: check --client-id and the client secret (HELPDESK_OAUTH_CLIENT_SECRET); for Kustomer, is the app installed in the org? `helpdesk-oauth kustomer secret` makes a new secret',
  access_denied: 'the consent was denied in the browser: run `helpdesk-oauth login` again and choose Approve',
  invalid_scope: 'check --scopes against the scopes the provider knows: Gorgias takes openid, email, profile, offline and {resource}:read or :write (tickets:read); Kustomer takes roles such as org.permission.customer and offline_access, and no openid',
  missing_refresh_scope: 'add the refresh scope to --scopes (Gorgias: offline, Kustomer: offline_access)',
  invalid_grant: 'the authorization code or refresh token was refused: run `helpdesk-oauth login` again',
  state_mismatch: 'the callback did not belong to this login: run `helpdesk-oauth login` again',
  state_missing: 'the callback did not belong to this login: run `helpdesk-oauth login` again',
  pending_expired: 'the login took too long: run `helpdesk-oauth login` again',
  issuer_mismatch: 'the callback came from another issuer than the account: check --base-url / --issuer',
  nonce_mismatch: 'the id_token was not issued for this login: run `helpdesk-oauth login` again',
  network_error: 'could not reach the provider: check the URLs (--base-url) and the network, then try again; stored tokens are unchanged',
  server_error: 'the provider failed: try again later; stored tokens are unchanged',
  temporarily_unavailable: 'the provider is unavailable: try again later; stored tokens are unchanged',
  http_error: 'the provider answered with an error: try again later; stored tokens are unchanged',
  response_not_json: 'the endpoint did not answer like an OAuth server: check the URLs (--base-url, --token-url)',
  response_invalid: 'the endpoint did not answer like an OAuth server: check the URLs (--base-url, --token-url)',
  token_store_conflict: 'another process changed the stored tokens at the same time: try again',
  token_store_error: 'the token store could not be read or written: check the file named above',
  revocation_unsupported: 'the provider has no revocation endpoint: uninstall the app in the helpdesk to end the grant',
};

const USAGE_CODES = new Set(['invalid_config', 'invalid_account', 'invalid_redirect_uri', 'invalid_scope', 'missing_refresh_scope']);

/** A HelpdeskOAuthError (or anything thrown) as a CliError; `login` is the command that fixes a dead grant. */
export function toCliError(err, { login } = {}) {
  if (err instanceof CliError) return err;
  if (err && err.name === 'HelpdeskOAuthError' && typeof err.code === 'string') {
    const relogin = login ? `run \`${login}\` again` : 'run `helpdesk-oauth login` again';
    if (err.code === 'reauthorization_required') {
      return new CliError('the grant is gone (refresh token revoked or app uninstalled); the stored tokens were deleted', {
        exitCode: EXIT.REAUTH,
        code: err.code,
        next: relogin,
      });
    }
    const exitCode = USAGE_CODES.has(err.code) && err.oauthError === undefined ? EXIT.USAGE : EXIT.ERROR;
    const hint = HINTS[err.code]?.replace('run `helpdesk-oauth login` again', relogin);
    return new CliError(`${err.code}: ${err.message}`, { exitCode, code: err.code, next: hint });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new CliError(`unexpected failure: ${message}`, { exitCode: EXIT.ERROR, code: 'internal', next: 'please report it with the command you ran (without secrets)' });
}
