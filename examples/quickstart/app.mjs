import http from "node:http";
import { OAuthClient } from "helpdesk-oauth";
import { MemoryTokenStore, createSession } from "helpdesk-oauth/session";
import { createInstallHandler, createCallbackHandler } from "helpdesk-oauth/handlers";
import { toNodeHandler } from "helpdesk-oauth/node";

const { CLIENT_ID, CLIENT_SECRET, COOKIE_SECRET, EMULATOR_URL, PORT = "3000", ORIGIN = `http://127.0.0.1:${PORT}` } = process.env;
const provider = EMULATOR_URL ? (await import("helpdesk-oauth/emulator")).providerConfig(EMULATOR_URL, "gorgias") : "gorgias";
const client = new OAuthClient({ provider, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET,
  redirectUri: `${ORIGIN}/oauth/callback`, scopes: ["openid", "offline", "tickets:read"] }); // offline: a refresh token
const store = new MemoryTokenStore(); // in production: your database (see "Writing your own TokenStore")
const session = (account) => createSession({ client, store, account });
const routes = {
  "/install": createInstallHandler({ client, cookieSecret: COOKIE_SECRET }), // the App URL: /install?account=acme
  "/oauth/callback": createCallbackHandler({ client, cookieSecret: COOKIE_SECRET, onTokens: async (tokens) => {
    await session(tokens.account).save(tokens);
    return Response.redirect(`${ORIGIN}/tickets?account=${tokens.account}`, 303); } }),
  // The API answer, passed on; the session refreshes the token when needed. A real app checks its user first.
  "/tickets": (request) => session(new URL(request.url).searchParams.get("account")).fetch("/tickets?limit=10"),
};
const app = (request) => routes[new URL(request.url).pathname]?.(request) ?? new Response("Not found", { status: 404 });
http.createServer(toNodeHandler(app, { origin: ORIGIN })).listen(Number(PORT), "127.0.0.1");
