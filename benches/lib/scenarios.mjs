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
    prepare: async (lib) => {
      // No id_token comes back, so none is asked for: a client that sent a nonce must refuse a
      // response without one (code injection, OIDC Core 3.1.3.3).
      const ctx = await lib.authorize({ idToken: false });
      return { body: tokenResponse(), ctx, cb: callbackUrl(ctx.state) };
    },
    run: (lib, s) => lib.exchange(s.cb, s.ctx),
  },
  {
    id: "refresh",
    title: "(3) refresh (no new refresh token: the old one is kept)",
    prepare: async (lib, responder) => {
      const ctx = await lib.authorize({ idToken: false });
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
