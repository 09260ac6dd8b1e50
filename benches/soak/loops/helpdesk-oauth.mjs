// The soak loops written with this package the README's way: one client for the process; the
// pending record and the token set kept as their serialize() strings between steps; nothing
// freed by hand.
import { OAuthClient, TokenSet } from "helpdesk-oauth";
import { createSession, MemoryTokenStore } from "helpdesk-oauth/session";

export const name = "helpdesk-oauth";

/**
 * @param env  fixtures.adapterEnv(tokenEndpoint.fetch) plus `provider` (the token endpoint's
 *             script: body for an exchange with `nonce`, body for a refresh), `apiFetch` and
 *             `later()` (a clock past the access token's expiry).
 */
export function create(env) {
  const client = new OAuthClient({
    provider: "gorgias",
    clientId: env.clientId,
    clientSecret: env.clientSecret,
    redirectUri: env.redirectUri,
    scopes: env.scopes,
    fetch: env.fetch,
  });
  const db = new Map(); // the app's storage: serialized pending records and token sets
  const store = new MemoryTokenStore();

  // /install then /oauth/callback: the pending record goes through storage as a string.
  async function install() {
    const { url, state, pending } = client.authorize({ account: env.account });
    db.set(`pending:${state}`, pending.serialize());
    env.provider.authorized(url);
    const saved = db.get(`pending:${state}`);
    db.delete(`pending:${state}`);
    return client.exchangeCode(env.callbackUrl(state), saved);
  }

  return {
    /** install, store, read back, refresh, store: the loop of issue 16. */
    async flow() {
      const tokens = await install();
      db.set(env.account, tokens.serialize());
      const stored = TokenSet.fromJSON(db.get(env.account));
      env.provider.refreshing();
      const next = await client.refresh(stored);
      db.set(env.account, next.serialize());
      return next.accessToken;
    },
    /** install, then one API call through a Session once the access token has expired. */
    async sessionFlow() {
      const tokens = await install();
      const session = createSession({ client, store, account: env.account, now: env.later, fetch: env.apiFetch });
      await session.save(tokens);
      env.provider.refreshing();
      const res = await session.fetch("/tickets?limit=1");
      await res.json();
      return env.lastBearer();
    },
  };
}
