// Run by Deno and Bun from the scratch project that has the packed package installed (see
// runtimes.test.mjs): imports `helpdesk-oauth` the way an app on that runtime does, and runs the
// install and callback handlers against the emulator whose ProviderConfig is in argv[2]
// (JSON: { provider, clientId, clientSecret, redirectUri }). Prints one JSON line of results.
import { OAuthClient, HelpdeskOAuthError } from "helpdesk-oauth";
import { createInstallHandler, createCallbackHandler } from "helpdesk-oauth/handlers";

const config = JSON.parse(globalThis.Deno ? Deno.args[0] : process.argv[2]);
const client = new OAuthClient({ ...config, scopes: ["openid", "offline", "account:read"] });
const cookieSecret = "runtime-smoke-cookie-secret-0123456789";
let stored;
const install = createInstallHandler({ client, cookieSecret });
const callback = createCallbackHandler({
  client,
  cookieSecret,
  onTokens(tokens) {
    stored = tokens;
    return Response.json({ account: tokens.account });
  },
});

const origin = new URL(config.redirectUri).origin;
const started = await install(new Request(`${origin}/install?account=acme`));
const cookie = started.headers.get("set-cookie").split(";")[0];
// Plays the browser at the emulator, which approves at once and redirects to the callback.
const authorize = await fetch(started.headers.get("location"), { redirect: "manual" });
await authorize.arrayBuffer();
const callbackUrl = authorize.headers.get("location");
const done = await callback(new Request(callbackUrl, { headers: { cookie } }));
const missing = await callback(new Request(callbackUrl, { headers: { accept: "application/json" } }));
let secretError;
try {
  createInstallHandler({ client, cookieSecret: "too short" });
} catch (err) {
  secretError = err instanceof HelpdeskOAuthError ? err.code : String(err);
}
console.log(JSON.stringify({
  runtime: globalThis.Deno ? "deno" : globalThis.Bun ? "bun" : "other",
  installStatus: started.status,
  callbackStatus: done.status,
  callbackBody: await done.json(),
  clearedCookie: done.headers.get("set-cookie"),
  hasRefreshToken: typeof stored?.refreshToken === "string",
  missingCookie: (await missing.json()).error,
  secretError,
}));
