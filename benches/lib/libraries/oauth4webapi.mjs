// oauth4webapi: low-level functions; the app assembles the authorize URL and keeps the refresh
// token itself when the provider sends none (Gorgias).
import * as oauth from "oauth4webapi";

export const name = "oauth4webapi";

export function create(env) {
  const as = { issuer: env.issuer, authorization_endpoint: env.authorizeEndpoint, token_endpoint: env.tokenEndpoint };
  const client = { client_id: env.clientId };
  const auth = oauth.ClientSecretBasic(env.clientSecret);
  const options = { [oauth.customFetch]: env.fetch };
  const scope = env.scopes.join(" ");
  const tokens = (r, previousRefresh = null) => ({
    accessToken: r.access_token,
    refreshToken: r.refresh_token ?? previousRefresh,
    expiresAt: typeof r.expires_in === "number" ? Date.now() + r.expires_in * 1000 : undefined,
    native: r,
  });
  async function codeGrant(callbackUrl, ctx, idToken) {
    const params = oauth.validateAuthResponse(as, client, new URL(callbackUrl), ctx.state);
    const res = await oauth.authorizationCodeGrantRequest(as, client, auth, params, env.redirectUri, oauth.nopkce, options);
    return oauth.processAuthorizationCodeResponse(as, client, res, idToken ? { expectedNonce: ctx.nonce, requireIdToken: true } : undefined);
  }
  return {
    authorize() {
      const state = oauth.generateRandomState();
      const nonce = oauth.generateRandomNonce();
      const url = new URL(as.authorization_endpoint);
      url.searchParams.set("response_type", "code");
      url.searchParams.set("client_id", client.client_id);
      url.searchParams.set("redirect_uri", env.redirectUri);
      url.searchParams.set("scope", scope);
      url.searchParams.set("state", state);
      url.searchParams.set("nonce", nonce);
      return { url: url.href, state, nonce };
    },
    async exchange(callbackUrl, ctx) {
      return tokens(await codeGrant(callbackUrl, ctx, false));
    },
    async refresh(prev) {
      const res = await oauth.refreshTokenGrantRequest(as, client, auth, prev.refreshToken, options);
      return tokens(await oauth.processRefreshTokenResponse(as, client, res), prev.refreshToken);
    },
    async exchangeIdToken(callbackUrl, ctx) {
      const r = await codeGrant(callbackUrl, ctx, true);
      return { ...tokens(r), claims: oauth.getValidatedIdTokenClaims(r) };
    },
  };
}
