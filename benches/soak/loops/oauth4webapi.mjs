// The same loops written with oauth4webapi: the app builds the authorize URL, keeps state and
// nonce as JSON, keeps the Gorgias refresh token itself, and (for the API call) does by hand what
// a Session does: read the stored set, refresh it when expired, write it back under a version
// check, call the API with the Bearer token.
import * as oauth from "oauth4webapi";

export const name = "oauth4webapi";

const SKEW_MS = 60_000;

export function create(env) {
  const as = { issuer: env.issuer, authorization_endpoint: env.authorizeEndpoint, token_endpoint: env.tokenEndpoint };
  const client = { client_id: env.clientId };
  const auth = oauth.ClientSecretBasic(env.clientSecret);
  const options = { [oauth.customFetch]: env.fetch };
  const scope = env.scopes.join(" ");
  const db = new Map();
  const store = new Map(); // key -> { value, version }
  let version = 0;

  const record = (r, previousRefresh) => ({
    account: env.account,
    access_token: r.access_token,
    refresh_token: r.refresh_token ?? previousRefresh,
    id_token: r.id_token,
    scope: r.scope,
    expires_at: Date.now() + r.expires_in * 1000,
  });

  async function install() {
    const state = oauth.generateRandomState();
    const nonce = oauth.generateRandomNonce();
    const url = new URL(as.authorization_endpoint);
    url.searchParams.set("response_type", "code");
    url.searchParams.set("client_id", client.client_id);
    url.searchParams.set("redirect_uri", env.redirectUri);
    url.searchParams.set("scope", scope);
    url.searchParams.set("state", state);
    url.searchParams.set("nonce", nonce);
    db.set(`pending:${state}`, JSON.stringify({ state, nonce, account: env.account, created_at: Date.now() }));
    env.provider.authorized(url.href);
    const pending = JSON.parse(db.get(`pending:${state}`));
    db.delete(`pending:${state}`);
    const params = oauth.validateAuthResponse(as, client, new URL(env.callbackUrl(state)), pending.state);
    const res = await oauth.authorizationCodeGrantRequest(as, client, auth, params, env.redirectUri, oauth.nopkce, options);
    const r = await oauth.processAuthorizationCodeResponse(as, client, res, { expectedNonce: pending.nonce, requireIdToken: true });
    return record(r);
  }

  async function refresh(stored) {
    const res = await oauth.refreshTokenGrantRequest(as, client, auth, stored.refresh_token, options);
    return record(await oauth.processRefreshTokenResponse(as, client, res), stored.refresh_token);
  }

  return {
    async flow() {
      const tokens = await install();
      db.set(env.account, JSON.stringify(tokens));
      const stored = JSON.parse(db.get(env.account));
      env.provider.refreshing();
      const next = await refresh(stored);
      db.set(env.account, JSON.stringify(next));
      return next.access_token;
    },
    async sessionFlow() {
      const tokens = await install();
      store.set(env.account, { value: JSON.stringify(tokens), version: ++version });
      env.provider.refreshing();
      const entry = store.get(env.account);
      let current = JSON.parse(entry.value);
      if (current.expires_at - SKEW_MS <= env.later()) {
        current = await refresh(current);
        if (store.get(env.account).version !== entry.version) throw new Error("store changed during the refresh");
        store.set(env.account, { value: JSON.stringify(current), version: ++version });
      }
      const res = await env.apiFetch(new URL("/api/tickets?limit=1", as.issuer).href, { headers: { authorization: `Bearer ${current.access_token}` } });
      await res.json();
      return env.lastBearer();
    },
  };
}
