// arctic: the generic OAuth2Client (no Gorgias provider). The app parses the callback, compares
// state, adds the nonce and checks the decoded id_token claims. arctic calls the global fetch.
import { OAuth2Client, generateState, decodeIdToken } from "arctic";
import { checkIdTokenClaims } from "./check-id-token.mjs";

export const name = "arctic";

export function create(env) {
  if (env.fetch) globalThis.fetch = env.fetch;
  const client = new OAuth2Client(env.clientId, env.clientSecret, env.redirectUri);
  const tokens = (t, previousRefresh = null) => ({
    accessToken: t.accessToken(),
    refreshToken: t.hasRefreshToken() ? t.refreshToken() : previousRefresh,
    expiresAt: t.accessTokenExpiresAt().getTime(),
    native: t,
  });
  async function codeGrant(callbackUrl, ctx) {
    const params = new URL(callbackUrl).searchParams;
    if (params.has("error")) throw new Error(`authorization failed: ${params.get("error")}`);
    const state = params.get("state");
    if (state === null || state !== ctx.state) throw new Error("state mismatch");
    const code = params.get("code");
    if (!code) throw new Error("code missing");
    return client.validateAuthorizationCode(env.tokenEndpoint, code, null);
  }
  return {
    authorize() {
      const state = generateState();
      const nonce = generateState();
      const url = client.createAuthorizationURL(env.authorizeEndpoint, state, env.scopes);
      url.searchParams.set("nonce", nonce);
      return { url: url.href, state, nonce };
    },
    async exchange(callbackUrl, ctx) {
      return tokens(await codeGrant(callbackUrl, ctx));
    },
    async refresh(prev) {
      return tokens(await client.refreshAccessToken(env.tokenEndpoint, prev.refreshToken, []), prev.refreshToken);
    },
    async exchangeIdToken(callbackUrl, ctx) {
      const t = await codeGrant(callbackUrl, ctx);
      const claims = checkIdTokenClaims(decodeIdToken(t.idToken()), { issuer: env.issuer, clientId: env.clientId, nonce: ctx.nonce });
      return { ...tokens(t), claims };
    },
  };
}
