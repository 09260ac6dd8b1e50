// The node:http install flow under load: GET /install?account=… → 302 to the provider with the
// pending authorization kept server-side under a session cookie; GET /oauth/callback → state
// check, code exchange at the local provider (real fetch over loopback), tokens stored → 200.
// Two variants with the same routes: this package, and the same flow written with oauth4webapi.
// Usage: node app.mjs <helpdesk-oauth|oauth4webapi> <port> <providerUrl> <clientId> <clientSecret>
import http from "node:http";
import { randomBytes } from "node:crypto";

const [variant, port, providerUrl, clientId, clientSecret] = process.argv.slice(2);
const origin = `http://127.0.0.1:${port}`;
const redirectUri = `${origin}/oauth/callback`;
// No `openid`: the provider (like Gorgias) sends an integer id_token `sub`, which oauth4webapi
// refuses (OAUTH_INVALID_RESPONSE), so both variants run the flow without an id_token.
const scopes = ["email", "profile", "offline", "tickets:read"];
const sessions = new Map(); // sid -> pending authorization (string)
const stored = new Map(); // account -> serialized tokens (bounded: one per account)

const flow = variant === "helpdesk-oauth" ? await helpdeskFlow() : await oauth4webapiFlow();

async function helpdeskFlow() {
  const { OAuthClient, accountFromInstallUrl } = await import("helpdesk-oauth");
  const client = new OAuthClient({
    provider: {
      preset: "gorgias",
      authorizeUrl: `${providerUrl}/gorgias/{account}/oauth/authorize`,
      tokenUrl: `${providerUrl}/gorgias/{account}/oauth/token`,
    },
    clientId,
    clientSecret,
    redirectUri,
    scopes,
  });
  return {
    install(reqUrl) {
      const account = accountFromInstallUrl(`${origin}${reqUrl}`);
      const { url, pending } = client.authorize({ account });
      return { location: url, pending: pending.serialize() };
    },
    async callback(reqUrl, pending) {
      const tokens = await client.exchangeCode(`${origin}${reqUrl}`, pending);
      stored.set(tokens.account, tokens.serialize());
    },
  };
}

async function oauth4webapiFlow() {
  const oauth = await import("oauth4webapi");
  const client = { client_id: clientId };
  const auth = oauth.ClientSecretBasic(clientSecret);
  const servers = new Map();
  const serverFor = (account) => {
    let as = servers.get(account);
    if (!as) {
      as = {
        issuer: `https://${account}.gorgias.com`,
        authorization_endpoint: `${providerUrl}/gorgias/${account}/oauth/authorize`,
        token_endpoint: `${providerUrl}/gorgias/${account}/oauth/token`,
      };
      servers.set(account, as);
    }
    return as;
  };
  return {
    install(reqUrl) {
      const account = new URL(reqUrl, origin).searchParams.get("account") ?? "";
      if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(account)) throw new Error("invalid account");
      const as = serverFor(account);
      const state = oauth.generateRandomState();
      const nonce = oauth.generateRandomNonce();
      const url = new URL(as.authorization_endpoint);
      for (const [k, v] of Object.entries({ response_type: "code", client_id: clientId, redirect_uri: redirectUri, scope: scopes.join(" "), state, nonce })) {
        url.searchParams.set(k, v);
      }
      return { location: url.href, pending: JSON.stringify({ account, state, nonce, createdAt: Date.now() }) };
    },
    async callback(reqUrl, pendingText) {
      const pending = JSON.parse(pendingText);
      if (Date.now() - pending.createdAt > 600_000) throw new Error("pending expired");
      const as = serverFor(pending.account);
      const params = oauth.validateAuthResponse(as, client, new URL(reqUrl, origin), pending.state);
      const res = await oauth.authorizationCodeGrantRequest(as, client, auth, params, redirectUri, oauth.nopkce, { [oauth.allowInsecureRequests]: true });
      const r = await oauth.processAuthorizationCodeResponse(as, client, res);
      stored.set(pending.account, JSON.stringify({ ...r, expires_at: Date.now() + r.expires_in * 1000 }));
    },
  };
}

const sid = (req) => /(?:^|;\s*)sid=([A-Za-z0-9_-]+)/.exec(req.headers.cookie ?? "")?.[1];

const server = http.createServer(async (req, res) => {
  try {
    if (req.url.startsWith("/install?")) {
      const { location, pending } = flow.install(req.url);
      const id = randomBytes(16).toString("base64url");
      sessions.set(id, pending);
      res.writeHead(302, { location, "set-cookie": `sid=${id}; HttpOnly; Path=/; SameSite=Lax` });
      return res.end();
    }
    if (req.url.startsWith("/oauth/callback?")) {
      const id = sid(req);
      const pending = id && sessions.get(id);
      if (!pending) throw new Error("no session");
      sessions.delete(id);
      await flow.callback(req.url, pending);
      res.writeHead(200, { "content-type": "text/plain" });
      return res.end("installed");
    }
    res.writeHead(404).end();
  } catch (err) {
    res.writeHead(400, { "content-type": "text/plain" }).end(String(err.code ?? err.message));
  }
});
server.listen(Number(port), "127.0.0.1", () => process.stdout.write(`${JSON.stringify({ url: origin })}\n`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
