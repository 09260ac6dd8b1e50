// The four measured scenarios. prepare() runs once per library outside the timing and returns
// the state an operation needs; run() is one operation. Each library has its own responder, so
// setting its body never affects another library.
import { callbackUrl, tokenResponse, refreshResponse, idTokenResponse } from "./fixtures.mjs";

export const SCENARIOS = [
  {
    id: "authorize",
    title: "(1) authorize URL with fresh state + nonce",
    prepare: async () => ({ body: "{}" }),
    run: (lib) => lib.authorize(),
  },
  {
    id: "exchange",
    title: "(2) callback → state check → code exchange → token set with expiry",
    // Scenarios 2 and 3 are OAuth-only: an answer without id_token is right only for an
    // authorization that did not ask for one (helpdesk-oauth refuses it after `openid`, OIDC Core
    // §3.1.3.3). Adapters that do not enforce that may ignore the option; the token request is
    // the same either way.
    prepare: async (lib) => {
      const ctx = await lib.authorize({ openid: false });
      return { body: tokenResponse(), ctx, cb: callbackUrl(ctx.state) };
    },
    run: (lib, s) => lib.exchange(s.cb, s.ctx),
  },
  {
    id: "refresh",
    title: "(3) refresh (no new refresh token: the old one is kept)",
    prepare: async (lib, responder) => {
      const ctx = await lib.authorize({ openid: false });
      responder.respondWith(tokenResponse());
      const tokens = await lib.exchange(callbackUrl(ctx.state), ctx);
      return { body: refreshResponse(), tokens };
    },
    run: (lib, s) => lib.refresh(s.tokens),
  },
  {
    id: "id_token",
    title: "(4) 2 KB token response with id_token → claims checked",
    prepare: async (lib) => {
      const ctx = await lib.authorize();
      return { body: idTokenResponse(ctx.nonce), ctx, cb: callbackUrl(ctx.state) };
    },
    run: (lib, s) => lib.exchangeIdToken(s.cb, s.ctx),
  },
];
