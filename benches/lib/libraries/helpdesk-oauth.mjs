// This package, used as its README shows: one client for all Gorgias accounts.
import { OAuthClient } from "helpdesk-oauth";

export const name = "helpdesk-oauth";

export function create(env) {
  const client = new OAuthClient({
    provider: "gorgias",
    clientId: env.clientId,
    clientSecret: env.clientSecret,
    redirectUri: env.redirectUri,
    scopes: env.scopes,
    fetch: env.fetch,
  });
  const tokens = (t) => ({ accessToken: t.accessToken, refreshToken: t.refreshToken ?? null, expiresAt: t.expiresAt, native: t });
  return {
    // The pending record is what the app keeps between the redirect and the callback.
    // `idToken: false`: the scenario's provider sends no id_token, so `openid` is not asked for.
    authorize({ idToken = true } = {}) {
      const r = client.authorize(idToken ? { account: env.account } : { account: env.account, scopes: env.scopes.filter((s) => s !== "openid") });
      return { url: r.url, state: r.state, nonce: r.nonce, pending: r.pending };
    },
    async exchange(callbackUrl, ctx) {
      return tokens(await client.exchangeCode(callbackUrl, ctx.pending));
    },
    async refresh(prev) {
      return tokens(await client.refresh(prev.native));
    },
    // iss, aud, exp and nonce are checked inside exchangeCode.
    async exchangeIdToken(callbackUrl, ctx) {
      const t = await client.exchangeCode(callbackUrl, ctx.pending);
      return { ...tokens(t), claims: t.idTokenClaims() };
    },
  };
}
