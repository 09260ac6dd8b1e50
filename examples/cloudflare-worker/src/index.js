// An installable helpdesk app on Cloudflare Workers:
//   GET /install?account=acme      the App URL: 302 to the provider with a sealed state cookie
//   GET /oauth/callback            the redirect_uri: exchanges the code, stores the tokens
//   GET /api/{account}/{path...}   calls the account's helpdesk API with fresh tokens
//   GET /accounts                  the installed accounts and their expiry, no tokens
//                                  (both need `Authorization: Bearer $API_PROXY_TOKEN`)
// Tokens live in a Durable Object per account (TOKENS), which refreshes once for all isolates and
// records used callback states; without that binding, in KV (TOKENS_KV) through a Session (see
// KvTokenStore's caveats: one refresh per isolate at best, and single-use state per isolate only).
import { OAuthClient } from "helpdesk-oauth";
import { createSession } from "helpdesk-oauth/session";
import { createInstallHandler, createCallbackHandler } from "helpdesk-oauth/handlers";
import { TokenDurableObject, KvTokenStore, durableObjectSession, durableObjectStateStore, listInstalledAccounts } from "helpdesk-oauth/workers";

const PRESETS = new Set(["gorgias", "kustomer"]);

/** PROVIDER is a preset name, or (for a custom provider or a local emulator) a ProviderConfig as JSON. */
function providerFrom(env) {
  const p = env.PROVIDER ?? "gorgias";
  return PRESETS.has(p) ? p : JSON.parse(p);
}

const scopesFor = (provider) =>
  (typeof provider === "string" ? provider : provider.preset) === "kustomer" ? ["org.permission.customer", "offline_access"] : ["openid", "email", "profile", "offline", "account:read"];

// One client per isolate and configuration (env is the same object for every request of an isolate).
const clients = new WeakMap();
function clientFor(env) {
  let client = clients.get(env);
  if (!client) {
    const provider = providerFrom(env);
    client = new OAuthClient({ provider, clientId: env.CLIENT_ID, clientSecret: env.CLIENT_SECRET, redirectUri: env.REDIRECT_URI, scopes: env.SCOPES ? env.SCOPES.split(" ") : scopesFor(provider) });
    clients.set(env, client);
  }
  return client;
}

/** The Durable Object class bound as TOKENS in wrangler.toml. */
export class HelpdeskTokens extends TokenDurableObject {
  createClient(env) {
    return clientFor(env);
  }

  // Keeps the list of installed accounts that GET /accounts reads (in one more object of TOKENS).
  accountIndex(env) {
    return env.TOKENS;
  }
}

// One KvTokenStore per isolate: sessions share a refresh per store object and key, so a store made
// per request would refresh once per request (20 concurrent requests, 20 refreshes).
const kvStores = new WeakMap();
function kvStoreFor(env) {
  let store = kvStores.get(env);
  if (!store) kvStores.set(env, (store = new KvTokenStore(env.TOKENS_KV)));
  return store;
}

function sessionFor(env, account) {
  const client = clientFor(env);
  if (env.TOKENS) return durableObjectSession({ namespace: env.TOKENS, client, account });
  return createSession({ client, store: kvStoreFor(env), account });
}

const ALLOW_RETURN_TO = ["/installed", "/app/"];
const handlers = new WeakMap();
function handlersFor(env) {
  let h = handlers.get(env);
  if (!h) {
    const client = clientFor(env);
    h = {
      install: createInstallHandler({ client, cookieSecret: env.COOKIE_SECRET, allowReturnTo: ALLOW_RETURN_TO }),
      callback: createCallbackHandler({
        client,
        cookieSecret: env.COOKIE_SECRET,
        allowReturnTo: ALLOW_RETURN_TO,
        defaultReturnTo: "/installed",
        // A callback sent twice is exchanged once: used states are recorded in the account's
        // Durable Object (KV is eventually consistent and cannot); without it, per isolate.
        stateStore: env.TOKENS ? durableObjectStateStore(env.TOKENS) : undefined,
        async onTokens(tokens) {
          await sessionFor(env, tokens.account).save(tokens);
          return undefined; // 303 to the return path (or /installed)
        },
      }),
    };
    handlers.set(env, h);
  }
  return h;
}

/** Constant-time comparison of the proxy token (the proxy spends the account's API quota). */
function sameSecret(a, b) {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i += 1) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

function authorized(request, env) {
  const given = /^Bearer (.+)$/.exec(request.headers.get("authorization") ?? "")?.[1];
  return Boolean(env.API_PROXY_TOKEN && given && sameSecret(given, env.API_PROXY_TOKEN));
}

async function accounts(request, env) {
  if (!authorized(request, env)) return Response.json({ error: "unauthorized" }, { status: 401 });
  if (!env.TOKENS) return Response.json({ error: "needs the TOKENS Durable Object binding" }, { status: 501 });
  const after = new URL(request.url).searchParams.get("after") ?? undefined;
  return Response.json(await listInstalledAccounts(env.TOKENS, { after }), { headers: { "cache-control": "no-store" } });
}

async function apiProxy(request, env, account, path) {
  if (!authorized(request, env)) return Response.json({ error: "unauthorized" }, { status: 401 });
  try {
    const upstream = await sessionFor(env, account).fetch(`/${path}${new URL(request.url).search}`, { headers: { accept: "application/json" } });
    return new Response(upstream.body, { status: upstream.status, headers: { "content-type": upstream.headers.get("content-type") ?? "application/json", "cache-control": "no-store" } });
  } catch (err) {
    const status = err?.code === "reauthorization_required" ? 401 : err?.code === "invalid_account" || err?.code === "invalid_config" ? 400 : 502;
    return Response.json({ error: err?.code ?? "internal_error", message: err?.code ? err.message : "proxy failed" }, { status });
  }
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === "/install") return handlersFor(env).install(request);
    if (url.pathname === "/oauth/callback") return handlersFor(env).callback(request);
    if (url.pathname === "/accounts") return accounts(request, env);
    const api = /^\/api\/([^/]+)\/(.+)$/.exec(url.pathname);
    if (api) return apiProxy(request, env, decodeURIComponent(api[1]), api[2]);
    if (url.pathname === "/installed") return new Response("Installed. You can close this tab.", { headers: { "content-type": "text/plain; charset=utf-8" } });
    return new Response("Not found", { status: 404 });
  },
};
