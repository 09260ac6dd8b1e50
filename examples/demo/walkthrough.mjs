// `make demo`: the whole install flow of a helpdesk app, end to end, on this machine only.
//
// A local provider plays Gorgias and Kustomer on 127.0.0.1; a small example app (node:http,
// using only the public `helpdesk-oauth` API) serves the routes a real Gorgias app needs:
//   GET /install?account=...   the App URL registered with `{gorgias_account}`
//   GET /oauth/callback        the redirect_uri
//   GET /account               calls the helpdesk API with the stored token
// The walk-through then plays the browser (following redirects by hand), refreshes, and revokes.
import http from "node:http";
import { randomBytes } from "node:crypto";
import { OAuthClient, TokenSet, accountFromInstallUrl, HelpdeskOAuthError } from "helpdesk-oauth";
import { startProviderServer } from "../../tests/node/support/provider-server.mjs";

const CLIENT_ID = "demo-app";
const CLIENT_SECRET = "demo-secret-" + randomBytes(8).toString("hex");
const step = (n, text) => console.log(`\n[${n}] ${text}`);

async function main() {
  const app = http.createServer();
  await new Promise((r) => app.listen(0, "127.0.0.1", r));
  const appUrl = `http://127.0.0.1:${app.address().port}`;
  const redirectUri = `${appUrl}/oauth/callback`;

  const provider = await startProviderServer({ apps: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [redirectUri] }] });
  const client = new OAuthClient({
    provider: {
      preset: "gorgias",
      authorizeUrl: `${provider.url}/gorgias/{account}/oauth/authorize`,
      tokenUrl: `${provider.url}/gorgias/{account}/oauth/token`,
      revokeUrl: `${provider.url}/gorgias/{account}/oauth/revoke`,
      apiBaseUrl: `${provider.url}/gorgias/{account}/api`,
    },
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUri,
    scopes: ["openid", "email", "profile", "offline", "account:read", "tickets:read"],
  });

  // The app's storage: pending authorizations by browser session, token sets (as JSON) by account.
  const pendingBySession = new Map();
  const tokensByAccount = new Map();

  app.on("request", async (req, res) => {
    const url = new URL(req.url, appUrl);
    const session = /session=([\w-]+)/.exec(req.headers.cookie ?? "")?.[1];
    try {
      if (url.pathname === "/install") {
        const account = accountFromInstallUrl(url.href);
        const auth = client.authorize({ account });
        const sid = randomBytes(16).toString("hex");
        pendingBySession.set(sid, auth.pending.serialize());
        res.writeHead(302, { location: auth.url, "set-cookie": `session=${sid}; HttpOnly; SameSite=Lax; Path=/` }).end();
      } else if (url.pathname === "/oauth/callback") {
        const pending = pendingBySession.get(session);
        pendingBySession.delete(session);
        const tokens = await client.exchangeCode(url.href, pending ?? "");
        tokensByAccount.set(tokens.account, tokens.serialize());
        res.writeHead(302, { location: `/account?account=${tokens.account}` }).end();
      } else if (url.pathname === "/account") {
        const tokens = TokenSet.fromJSON(tokensByAccount.get(url.searchParams.get("account")) ?? "");
        const api = await fetch(client.apiUrl("/account", tokens.account), { headers: { authorization: `Bearer ${tokens.accessToken}` } });
        res.writeHead(api.status, { "content-type": "application/json" }).end(await api.text());
      } else {
        res.writeHead(404).end();
      }
    } catch (e) {
      const body = e instanceof HelpdeskOAuthError ? { error: e.code, message: e.message } : { error: "internal", message: String(e) };
      res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify(body));
    }
  });

  try {
    step(1, `Gorgias user clicks "Connect App": the browser opens the App URL ${appUrl}/install?account=acme`);
    let r = await fetch(`${appUrl}/install?account=acme`, { redirect: "manual" });
    const cookie = r.headers.get("set-cookie").split(";")[0];
    const authorizeUrl = r.headers.get("location");
    console.log(`    app answers 302 to the provider's authorize URL:\n    ${authorizeUrl.replace(/(state|nonce)=[^&]+/g, "$1=…")}`);

    step(2, "the user approves on the consent page; the provider redirects to the app's callback");
    r = await fetch(authorizeUrl, { redirect: "manual" });
    const callbackUrl = r.headers.get("location");
    console.log(`    ${callbackUrl.replace(/code=[^&]+/, "code=…").replace(/state=[^&]+/, "state=…")}`);

    step(3, "the app checks state, exchanges the code (HTTP Basic client auth) and stores the token set");
    r = await fetch(callbackUrl, { redirect: "manual", headers: { cookie } });
    if (r.status !== 302) throw new Error(`callback failed: ${r.status} ${await r.text()}`);
    const stored = TokenSet.fromJSON(tokensByAccount.get("acme"));
    console.log(`    ${stored}; scopes: ${stored.scopes.join(" ")}`);
    console.log(`    expires in ${Math.round((stored.expiresAt - Date.now()) / 1000)} s; id_token claims: ${JSON.stringify(stored.idTokenClaims())}`);

    step(4, "the app calls the helpdesk API with Authorization: Bearer");
    r = await fetch(`${appUrl}${r.headers.get("location")}`);
    console.log(`    GET /api/account → ${r.status} ${await r.text()}`);
    if (r.status !== 200) throw new Error("API call failed");

    step(5, "a day later: refresh (Gorgias sends no new refresh token; the old one is kept)");
    const refreshed = await client.refresh(stored);
    tokensByAccount.set("acme", refreshed.serialize());
    console.log(`    new access token: ${refreshed.accessToken !== stored.accessToken}; refresh token kept: ${refreshed.refreshToken === stored.refreshToken}`);
    if (refreshed.refreshToken !== stored.refreshToken) throw new Error("refresh token was not kept");

    step(6, "uninstall: the app revokes the refresh token; a later refresh fails with invalid_grant");
    await client.revoke(refreshed);
    const err = await client.refresh(refreshed).then(() => null, (e) => e);
    console.log(`    refresh after revoke → ${err?.code}: ${err?.message}`);
    if (err?.code !== "invalid_grant") throw new Error("refresh after revoke did not fail with invalid_grant");

    console.log("\ndemo: the install flow worked end to end (all traffic stayed on 127.0.0.1)");
  } finally {
    app.close();
    await provider.close();
  }
}

main().catch((e) => {
  console.error(`\ndemo failed: ${e.stack ?? e}`);
  process.exit(1);
});
