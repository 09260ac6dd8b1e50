// openid-client v6 (built on oauth4webapi): one Configuration per account, since the issuer is
// per account; created once here, which favours it over an app that builds one per request.
import * as oidc from "openid-client";

export const name = "openid-client";

export function create(env) {
  const server = { issuer: env.issuer, authorization_endpoint: env.authorizeEndpoint, token_endpoint: env.tokenEndpoint };
  const config = new oidc.Configuration(server, env.clientId, env.clientSecret, oidc.ClientSecretBasic(env.clientSecret));
  config[oidc.customFetch] = env.fetch;
  const scope = env.scopes.join(" ");
  const tokens = (r, previousRefresh = null) => {
    const expiresIn = r.expiresIn();
    return {
      accessToken: r.access_token,
      refreshToken: r.refresh_token ?? previousRefresh,
      expiresAt: expiresIn === undefined ? undefined : Date.now() + expiresIn * 1000,
      native: r,
    };
  };
  return {
    authorize() {
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const url = oidc.buildAuthorizationUrl(config, { redirect_uri: env.redirectUri, scope, state, nonce });
      return { url: url.href, state, nonce };
    },
    async exchange(callbackUrl, ctx) {
      return tokens(await oidc.authorizationCodeGrant(config, new URL(callbackUrl), { expectedState: ctx.state }));
    },
    async refresh(prev) {
      return tokens(await oidc.refreshTokenGrant(config, prev.refreshToken), prev.refreshToken);
    },
    async exchangeIdToken(callbackUrl, ctx) {
      const r = await oidc.authorizationCodeGrant(config, new URL(callbackUrl), {
        expectedState: ctx.state,
        expectedNonce: ctx.nonce,
        idTokenExpected: true,
      });
      return { ...tokens(r), claims: r.claims() };
    },
  };
}
