// The install flow written with oauth4webapi as a Worker: the same routes, session and checks as
// the oauth4webapi variant of app.mjs (pending authorization kept in the isolate under a session
// cookie; state checked, code exchanged at the local provider, tokens kept in memory), so the
// workerd rows compare the two libraries on the same work.
import * as oauth from "oauth4webapi";

const sessions = new Map(); // sid -> pending authorization (string); deleted on callback
const stored = new Map(); // account -> serialized tokens (one per account: bounded)
const servers = new Map();
const ACCOUNT = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

function serverFor(env, account) {
  let as = servers.get(account);
  if (!as) {
    as = {
      issuer: `https://${account}.gorgias.com`,
      authorization_endpoint: `${env.PROVIDER_URL}/gorgias/${account}/oauth/authorize`,
      token_endpoint: `${env.PROVIDER_URL}/gorgias/${account}/oauth/token`,
    };
    servers.set(account, as);
  }
  return as;
}

function install(request, env) {
  const account = new URL(request.url).searchParams.get("account") ?? "";
  if (!ACCOUNT.test(account)) throw new Error("invalid account");
  const as = serverFor(env, account);
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const url = new URL(as.authorization_endpoint);
  for (const [k, v] of Object.entries({ response_type: "code", client_id: env.CLIENT_ID, redirect_uri: env.REDIRECT_URI, scope: env.SCOPES, state, nonce })) {
    url.searchParams.set(k, v);
  }
  const id = oauth.generateRandomState(); // 32 random bytes, base64url: the session id
  sessions.set(id, JSON.stringify({ account, state, nonce, createdAt: Date.now() }));
  return new Response(null, { status: 302, headers: { location: url.href, "set-cookie": `sid=${id}; HttpOnly; Path=/; SameSite=Lax` } });
}

async function callback(request, env) {
  const id = /(?:^|;\s*)sid=([A-Za-z0-9_-]+)/.exec(request.headers.get("cookie") ?? "")?.[1];
  const pendingText = id && sessions.get(id);
  if (!pendingText) throw new Error("no session");
  sessions.delete(id);
  const pending = JSON.parse(pendingText);
  if (Date.now() - pending.createdAt > 600_000) throw new Error("pending expired");
  const as = serverFor(env, pending.account);
  const client = { client_id: env.CLIENT_ID };
  const params = oauth.validateAuthResponse(as, client, new URL(request.url), pending.state);
  const res = await oauth.authorizationCodeGrantRequest(as, client, oauth.ClientSecretBasic(env.CLIENT_SECRET), params, env.REDIRECT_URI, oauth.nopkce, { [oauth.allowInsecureRequests]: true });
  const r = await oauth.processAuthorizationCodeResponse(as, client, res);
  stored.set(pending.account, JSON.stringify({ ...r, expires_at: Date.now() + r.expires_in * 1000 }));
  return new Response("installed", { headers: { "content-type": "text/plain" } });
}

export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    try {
      if (pathname === "/install") return install(request, env);
      if (pathname === "/oauth/callback") return await callback(request, env);
      return new Response("Not found", { status: 404 });
    } catch (err) {
      return new Response(String(err.code ?? err.message), { status: 400, headers: { "content-type": "text/plain" } });
    }
  },
};
