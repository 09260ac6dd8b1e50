// The same web-standard handlers as the Worker example, mounted in a plain node:http server:
//   GET /install?account=acme      the App URL
//   GET /oauth/callback            the redirect_uri (stores the tokens in a TokenStore)
//   GET /api/{account}/{path...}   the account's API with fresh tokens (Bearer $API_PROXY_TOKEN)
// The only Node-specific part is the package's adapter, helpdesk-oauth/node, which turns the
// web-standard handler into a node:http listener (request URLs built on the app's own origin).
import { OAuthClient } from "helpdesk-oauth";
import { MemoryTokenStore, createSession } from "helpdesk-oauth/session";
import { createInstallHandler, createCallbackHandler } from "helpdesk-oauth/handlers";
import { toNodeHandler } from "helpdesk-oauth/node";

/**
 * @param {object} config { provider, clientId, clientSecret, redirectUri, cookieSecret, apiProxyToken, scopes?, store? }
 * @returns {(req, res) => Promise<void>} a node:http request listener
 */
export function createApp(config) {
  const client = new OAuthClient({ provider: config.provider, clientId: config.clientId, clientSecret: config.clientSecret, redirectUri: config.redirectUri, scopes: config.scopes });
  const store = config.store ?? new MemoryTokenStore();
  const origin = new URL(config.redirectUri).origin;
  const allowReturnTo = ["/installed", "/app/"];
  const session = (account) => createSession({ client, store, account });
  const install = createInstallHandler({ client, cookieSecret: config.cookieSecret, allowReturnTo });
  const callback = createCallbackHandler({
    client,
    cookieSecret: config.cookieSecret,
    allowReturnTo,
    defaultReturnTo: "/installed",
    async onTokens(tokens) {
      await session(tokens.account).save(tokens);
      return undefined;
    },
  });

  async function api(request, account, path) {
    const given = /^Bearer (.+)$/.exec(request.headers.get("authorization") ?? "")?.[1];
    if (!config.apiProxyToken || given !== config.apiProxyToken) return Response.json({ error: "unauthorized" }, { status: 401 });
    try {
      const upstream = await session(account).fetch(`/${path}`, { headers: { accept: "application/json" } });
      return new Response(upstream.body, { status: upstream.status, headers: { "content-type": upstream.headers.get("content-type") ?? "application/json" } });
    } catch (err) {
      return Response.json({ error: err?.code ?? "internal_error" }, { status: err?.code === "reauthorization_required" ? 401 : 502 });
    }
  }

  async function route(request) {
    const url = new URL(request.url);
    if (url.pathname === "/install") return install(request);
    if (url.pathname === new URL(config.redirectUri).pathname) return callback(request);
    const m = /^\/api\/([^/]+)\/(.+)$/.exec(url.pathname);
    if (m) return api(request, decodeURIComponent(m[1]), m[2]);
    if (url.pathname === "/installed") return new Response("Installed. You can close this tab.\n");
    return new Response("Not found\n", { status: 404 });
  }

  return toNodeHandler(route, { origin });
}
