// An access token that cannot go into an Authorization header (CR/LF, NUL, other controls,
// non-ASCII, surrounding spaces), as a doctored storage row can hold: `new Headers` would throw
// a TypeError whose message quotes `Bearer <token>` (or quietly trim it into another token). The
// sessions refuse it with token_set_invalid, quoting nothing, before any request is made.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { loadPackage } from "../node/support/install-package.mjs";

const BAD_TOKENS = [
  ["CR LF", "at-secret\r\nx-injected: 1"],
  ["LF", "at-secret\nmore"],
  ["NUL", "at-secret\u0000tail"],
  ["a tab", "at-secret\tx"],
  ["DEL", "at-secret\u007f"],
  ["non-ASCII", "at-secret-\u2028-x"],
  ["a trailing CR LF (Headers would trim it into another token)", "at-secret\r\n"],
  ["a leading space", " at-secret"],
];

let pkg, workers, server, base;
const apiRequests = [];
let objectToken; // what the fake token object answers

before(async () => {
  const loaded = await loadPackage();
  pkg = loaded.esm;
  workers = await import(pathToFileURL(path.join(loaded.dir, "node_modules", "helpdesk-oauth", "workers", "token-durable-object.mjs")).href);
  server = http.createServer((req, res) => {
    req.resume();
    if (req.url.startsWith("/object")) {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ accessToken: objectToken, expiresAt: null }));
    } else {
      apiRequests.push(req.url);
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    }
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${server.address().port}`;
});
after(() => server?.close());

function client() {
  return new pkg.OAuthClient({
    provider: { id: "bearer-test", authorizeUrl: `${base}/authorize`, tokenUrl: `${base}/token`, apiBaseUrl: `${base}/api`, refreshScope: null },
    clientId: "client-1",
    clientSecret: "secret-1",
    redirectUri: "https://app.example.com/cb",
    scopes: ["read"],
  });
}

/** A storage row as TokenSet.serialize() writes it, with `accessToken` put in by hand. */
function storedRow(accessToken) {
  const now = Date.now();
  return JSON.stringify({ v: 1, provider: "bearer-test", token_type: "Bearer", access_token: accessToken, scope: ["read"], expires_at: now + 3600_000, obtained_at: now });
}

function assertRefused(err, token, what) {
  assert.ok(err instanceof pkg.HelpdeskOAuthError, `${what}: expected HelpdeskOAuthError, got ${err?.name}: ${JSON.stringify(err?.message)}`);
  assert.equal(err.code, "token_set_invalid", `${what}: ${err.message}`);
  assert.equal(err.retryable, false, what);
  for (const text of [err.message, String(err.stack), String(err.cause?.message ?? "")]) {
    assert.ok(!text.includes("at-secret"), `${what}: the token leaks: ${JSON.stringify(text)}`);
  }
}

test("Session.fetch refuses a stored access token with CR/LF/NUL/controls/non-ASCII", async () => {
  for (const [what, token] of BAD_TOKENS) {
    const store = new pkg.MemoryTokenStore();
    await store.set("k", storedRow(token));
    const session = pkg.createSession({ client: client(), store, key: "k" });
    const before = apiRequests.length;
    const err = await session.fetch("/me").then(() => null, (e) => e);
    assertRefused(err, token, `Session, ${what}`);
    assert.equal(apiRequests.length, before, `${what}: no request was made`);
    assert.ok(await store.get("k"), `${what}: the stored row is kept`);
  }
});

test("a good token still goes out as Bearer", async () => {
  const store = new pkg.MemoryTokenStore();
  await store.set("k", storedRow("at-good.token_with~allowed+chars/="));
  const session = pkg.createSession({ client: client(), store, key: "k" });
  const res = await session.fetch("/me");
  assert.equal(res.status, 200);
  await res.arrayBuffer();
});

test("DurableObjectSession.fetch refuses such a token from the object the same way", async () => {
  const namespace = { idFromName: (name) => name, get: () => ({ fetch: (_url, init) => fetch(`${base}/object`, init) }) };
  const session = workers.durableObjectSession({ namespace, client: client(), key: "k" });
  for (const [what, token] of BAD_TOKENS) {
    objectToken = token;
    const before = apiRequests.length;
    const err = await session.fetch("/me").then(() => null, (e) => e);
    assertRefused(err, token, `DurableObjectSession, ${what}`);
    assert.equal(apiRequests.length, before, `${what}: no request was made`);
  }
});
