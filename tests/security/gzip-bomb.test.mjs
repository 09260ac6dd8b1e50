// A gzip bomb on every endpoint the package reads: a real node:http server answers with a body of
// about 200 KB on the wire, `content-encoding: gzip` and an honest `content-length`, which fetch
// inflates to 200 MiB. What is decoded must be capped (1 MiB, response_too_large), not what is
// declared, and the process must not grow by anything like the decoded size.
//
// The memory bound is the process's peak resident set (`resourceUsage().maxRSS`), compared with
// the peak before the first bomb: a bound on memory, not on time.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { generateKeyPairSync, createSign } from "node:crypto";
import { loadPackage } from "../node/support/install-package.mjs";
import { makeGzipBomb, sendGzipBomb } from "./support/gzip-bomb.mjs";

const RSS_MARGIN_BYTES = 64 * 1024 * 1024;
const b64u = (b) => Buffer.from(b).toString("base64url");

const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
function signRs256(claims) {
  const input = `${b64u(JSON.stringify({ alg: "RS256", typ: "JWT", kid: "k1" }))}.${b64u(JSON.stringify(claims))}`;
  return `${input}.${b64u(createSign("SHA256").update(input).sign(rsa.privateKey))}`;
}

let pkg, workers, server, base, bomb, baselineMaxRss;
let nextIdToken;
const bombsSent = { count: 0 };

before(async () => {
  const loaded = await loadPackage();
  pkg = loaded.esm;
  // The Worker-side session alone: its module needs no wasm of its own (workers/index.mjs would
  // load the wasm the workerd way, which Node 20 cannot import).
  workers = await import(pathToFileURL(path.join(loaded.dir, "node_modules", "helpdesk-oauth", "workers", "token-durable-object.mjs")).href);
  bomb = await makeGzipBomb();
  server = http.createServer((req, res) => {
    req.resume();
    const path = new URL(req.url, "http://x").pathname;
    if (path.startsWith("/bomb/")) {
      bombsSent.count += 1;
      sendGzipBomb(res, bomb, path === "/bomb/refresh-401" ? 401 : 200);
    } else if (path === "/ok/token") {
      const body = { access_token: "at-ok-1", token_type: "Bearer", expires_in: 3600, refresh_token: "rt-ok-1" };
      if (nextIdToken) body.id_token = nextIdToken;
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
    } else if (path === "/api/me") {
      res.writeHead(401, { "content-type": "application/json" }).end("{}");
    } else res.writeHead(404).end();
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${server.address().port}`;
  // One ordinary exchange first, so that the baseline includes the wasm module at work.
  await exchange(client({ tokenUrl: `${base}/ok/token` }));
  baselineMaxRss = process.resourceUsage().maxRSS * 1024;
});
after(() => server?.close());

function client(providerExtra = {}) {
  return new pkg.OAuthClient({
    provider: {
      id: "bomb-test",
      authorizeUrl: `${base}/authorize`,
      tokenUrl: `${base}/ok/token`,
      issuer: "https://idp.example",
      apiBaseUrl: `${base}/api`,
      refreshScope: null,
      ...providerExtra,
    },
    clientId: "client-1",
    clientSecret: "secret-1",
    redirectUri: "https://app.example.com/cb",
    // `openid` only where an id_token comes back (the JWK set case): asking for one and getting
    // none is refused (id_token_missing).
    scopes: providerExtra.jwksUri ? ["openid"] : ["read"],
  });
}

async function exchange(c, idTokenFor) {
  const req = c.authorize();
  const now = Math.floor(Date.now() / 1000);
  nextIdToken = idTokenFor?.({ iss: "https://idp.example", aud: "client-1", sub: "user-1", iat: now, exp: now + 600, nonce: req.nonce });
  try {
    return await c.exchangeCode(`https://app.example.com/cb?code=c&state=${req.state}`, req.pending);
  } finally {
    nextIdToken = undefined;
  }
}

function assertTooLarge(err, what) {
  assert.ok(err instanceof pkg.HelpdeskOAuthError, `${what}: expected HelpdeskOAuthError, got ${err}`);
  assert.equal(err.code, "response_too_large", `${what}: ${err.message}`);
  assert.equal(err.retryable, true, what);
  const grown = process.resourceUsage().maxRSS * 1024 - baselineMaxRss;
  assert.ok(grown < RSS_MARGIN_BYTES, `${what}: the peak resident set grew by ${Math.round(grown / 1048576)} MiB`);
}

const rejection = (promise) => promise.then((v) => assert.fail(`expected a rejection, got ${v}`), (e) => e);

test("the bomb is what it claims: about 200 KB on the wire, 200 MiB inflated", () => {
  assert.ok(bomb.length < 400 * 1024, `${bomb.length} bytes`);
  assert.ok(bomb.length > 100 * 1024, `${bomb.length} bytes`);
});

test("exchangeCode: a gzip bomb from the token endpoint is response_too_large", async () => {
  const err = await rejection(exchange(client({ tokenUrl: `${base}/bomb/token` })));
  assertTooLarge(err, "exchangeCode");
});

test("refresh: a gzip bomb from the token endpoint is response_too_large", async () => {
  const tokens = await exchange(client());
  const err = await rejection(client({ tokenUrl: `${base}/bomb/token` }).refresh(tokens));
  assertTooLarge(err, "refresh");
});

test("revoke: a gzip bomb from the revocation endpoint is response_too_large", async () => {
  const tokens = await exchange(client());
  const err = await rejection(client({ revokeUrl: `${base}/bomb/revoke` }).revoke(tokens));
  assertTooLarge(err, "revoke");
});

test("the JWK set endpoint: a gzip bomb is response_too_large", async () => {
  const c = client({ jwksUri: `${base}/bomb/jwks` });
  const err = await rejection(exchange(c, signRs256));
  assertTooLarge(err, "jwks");
});

test("session.fetch: the refresh after a 401 meets a gzip bomb; response_too_large, the store unchanged", async () => {
  const tokens = await exchange(client());
  const store = new pkg.MemoryTokenStore();
  const session = pkg.createSession({ client: client({ tokenUrl: `${base}/bomb/token` }), store, key: "bomb" });
  await session.save(tokens);
  const before = await store.get("bomb");
  const err = await rejection(session.fetch("/me"));
  assertTooLarge(err, "session.fetch");
  assert.deepEqual(await store.get("bomb"), before);
});

test("a bomb on an error status (401 from the token endpoint) is capped the same way", async () => {
  const tokens = await exchange(client());
  const err = await rejection(client({ tokenUrl: `${base}/bomb/refresh-401` }).refresh(tokens));
  assertTooLarge(err, "refresh answered 401");
});

test("DurableObjectSession: a gzip bomb as the token object's answer is response_too_large", async () => {
  // The namespace's stub talks to the bomb server, as a misbehaving object (or its platform) could.
  const namespace = { idFromName: (name) => name, get: () => ({ fetch: (_url, init) => fetch(`${base}/bomb/object`, init) }) };
  const session = workers.durableObjectSession({ namespace, client: client(), key: "bomb" });
  const err = await rejection(session.accessToken());
  assertTooLarge(err, "DurableObjectSession");
});

test("every bomb was sent", () => {
  assert.equal(bombsSent.count, 7);
});
