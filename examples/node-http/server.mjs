// Run: PROVIDER=gorgias CLIENT_ID=... CLIENT_SECRET=... COOKIE_SECRET=$(openssl rand -base64 32) \
//      REDIRECT_URI=http://127.0.0.1:3000/oauth/callback API_PROXY_TOKEN=... node server.mjs
// PROVIDER is "gorgias", "kustomer", or a ProviderConfig as JSON (e.g. for the local emulator,
// `npx helpdesk-oauth-emulator`). Tokens are kept in memory: use your database's TokenStore in production.
import http from "node:http";
import { createApp } from "./app.mjs";

const env = process.env;
for (const name of ["CLIENT_ID", "CLIENT_SECRET", "REDIRECT_URI", "COOKIE_SECRET"]) {
  if (!env[name]) {
    console.error(`set ${name} (see the comment at the top of server.mjs)`);
    process.exit(2);
  }
}
const provider = env.PROVIDER?.startsWith("{") ? JSON.parse(env.PROVIDER) : (env.PROVIDER ?? "gorgias");
const preset = typeof provider === "string" ? provider : provider.preset;
const app = createApp({
  provider,
  clientId: env.CLIENT_ID,
  clientSecret: env.CLIENT_SECRET,
  redirectUri: env.REDIRECT_URI,
  cookieSecret: env.COOKIE_SECRET,
  apiProxyToken: env.API_PROXY_TOKEN,
  scopes: env.SCOPES ? env.SCOPES.split(" ") : preset === "kustomer" ? ["org.permission.customer", "offline_access"] : ["openid", "email", "profile", "offline", "account:read"],
});
const port = Number(env.PORT ?? new URL(env.REDIRECT_URI).port ?? 3000);
http.createServer(app).listen(port, "127.0.0.1", () => console.log(`listening on http://127.0.0.1:${port} (install: /install?account=YOUR_ACCOUNT)`));
