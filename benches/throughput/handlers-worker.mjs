// The smallest Worker around the package's web-standard handlers, for the throughput bench:
//   GET /install?account=…  → createInstallHandler (302, sealed pending-authorization cookie)
//   GET /oauth/callback     → createCallbackHandler (exchanges the code; 303 to /installed)
// Tokens go to a Map in the isolate, as the node:http apps keep theirs in memory, so the row
// measures the handlers and the runtime, not a store. (examples/cloudflare-worker, with its
// Durable Object store, is its own row.)
import { OAuthClient } from "helpdesk-oauth";
import { createInstallHandler, createCallbackHandler } from "helpdesk-oauth/handlers";

const stored = new Map(); // account -> serialized tokens (one per account: bounded)
let handlers;

function handlersFor(env) {
  if (handlers) return handlers;
  const client = new OAuthClient({
    provider: JSON.parse(env.PROVIDER),
    clientId: env.CLIENT_ID,
    clientSecret: env.CLIENT_SECRET,
    redirectUri: env.REDIRECT_URI,
    scopes: env.SCOPES.split(" "),
  });
  const common = { client, cookieSecret: env.COOKIE_SECRET };
  handlers = {
    install: createInstallHandler(common),
    callback: createCallbackHandler({
      ...common,
      defaultReturnTo: "/installed",
      onTokens(tokens) {
        stored.set(tokens.account, tokens.serialize());
        return undefined;
      },
    }),
  };
  return handlers;
}

export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    if (pathname === "/install") return handlersFor(env).install(request);
    if (pathname === "/oauth/callback") return handlersFor(env).callback(request);
    return new Response("Not found", { status: 404 });
  },
};
