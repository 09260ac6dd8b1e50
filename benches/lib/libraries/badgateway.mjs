// @badgateway/oauth2-client: no state/nonce generator and no id_token checks, so the app brings
// both; the client checks state and keeps the old refresh token when none comes back.
import { OAuth2Client } from "@badgateway/oauth2-client";
import { checkIdTokenClaims } from "./check-id-token.mjs";

export const name = "@badgateway/oauth2-client";

function randomToken() {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function decodeJwtPayload(jwt) {
  const part = jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(part);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

export function create(env) {
  const client = new OAuth2Client({
    clientId: env.clientId,
    clientSecret: env.clientSecret,
    authorizationEndpoint: env.authorizeEndpoint,
    tokenEndpoint: env.tokenEndpoint,
    authenticationMethod: "client_secret_basic",
    fetch: env.fetch,
  });
  const tokens = (t) => ({ accessToken: t.accessToken, refreshToken: t.refreshToken, expiresAt: t.expiresAt ?? undefined, native: t });
  return {
    async authorize() {
      const state = randomToken();
      const nonce = randomToken();
      const url = await client.authorizationCode.getAuthorizeUri({
        redirectUri: env.redirectUri,
        state,
        scope: env.scopes,
        extraParams: { nonce },
      });
      return { url, state, nonce };
    },
    async exchange(callbackUrl, ctx) {
      return tokens(await client.authorizationCode.getTokenFromCodeRedirect(callbackUrl, { redirectUri: env.redirectUri, state: ctx.state }));
    },
    async refresh(prev) {
      return tokens(await client.refreshToken(prev.native));
    },
    async exchangeIdToken(callbackUrl, ctx) {
      const t = await client.authorizationCode.getTokenFromCodeRedirect(callbackUrl, { redirectUri: env.redirectUri, state: ctx.state });
      const claims = checkIdTokenClaims(decodeJwtPayload(t.idToken), { issuer: env.issuer, clientId: env.clientId, nonce: ctx.nonce });
      return { ...tokens(t), claims };
    },
  };
}
