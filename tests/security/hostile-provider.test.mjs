// Attacks from outside, through the packed and installed package: an attacker who holds a stolen
// code, writes a stored row, or controls (or sits in front of) the provider's answers. Two real
// servers on 127.0.0.1: the product emulator (real Gorgias/Kustomer behaviour) and a scripted
// endpoint that answers whatever a test sets, recording what the client sent it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { loadPackage } from "../node/support/install-package.mjs";
import { startProviderServer, gorgiasProvider, followAuthorize, assertOAuthError, issuedSecrets, REDIRECT_URI } from "../node/support/provider-server.mjs";

const CLIENT_ID = "gorgias-client-sec";
const CLIENT_SECRET = "gorgias-secret-sec-never-print-me";
const SCOPES = ["openid", "email", "offline", "tickets:read"];

let pkg, emulator, scripted;
/** What the scripted endpoint answers next: { status, headers, body }; and what it was sent. */
let answer = { status: 404, headers: {}, body: "" };
const received = [];

before(async () => {
  pkg = (await loadPackage()).esm;
  emulator = await startProviderServer({ apps: [{ provider: "gorgias", clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [REDIRECT_URI] }] });
  scripted = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push({ url: req.url, headers: req.headers, body });
      res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers }).end(answer.body);
    });
  });
  await new Promise((r) => scripted.listen(0, "127.0.0.1", r));
  scripted.url = `http://127.0.0.1:${scripted.address().port}`;
});
after(() => {
  emulator?.close();
  scripted?.close();
});

const emulatorClient = (scopes = SCOPES) =>
  new pkg.OAuthClient({ provider: gorgiasProvider(emulator.url), clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI, scopes });

/** The Gorgias preset with its endpoints on the scripted server. */
const scriptedClient = (extra = {}) =>
  new pkg.OAuthClient({
    provider: {
      preset: "gorgias",
      authorizeUrl: `${scripted.url}/{account}/oauth/authorize`,
      tokenUrl: `${scripted.url}/{account}/oauth/token`,
      revokeUrl: `${scripted.url}/{account}/oauth/revoke`,
      apiBaseUrl: `${scripted.url}/{account}/api`,
    },
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUri: REDIRECT_URI,
    scopes: ["offline", "tickets:read"], // no openid: these tests are about the token response alone
    ...extra,
  });

/** Runs authorize → callback → exchange against the scripted server, which answers `status` and `body`. */
async function exchangeWith(client, status, body, code = "code-1") {
  answer = { status, headers: {}, body: typeof body === "string" ? body : JSON.stringify(body) };
  const req = client.authorize({ account: "acme" });
  return client.exchangeCode(`${REDIRECT_URI}?code=${code}&state=${req.state}`, req.pending);
}

/** A token set from the scripted server, with short tokens only redaction by value can catch. */
const tokensFor = (client) => exchangeWith(client, 200, { access_token: "at-1", refresh_token: "rt-1", token_type: "Bearer", expires_in: 3600 });

/** Asserts that none of the error's human-readable fields carries any of `secrets`. */
function assertNoSecret(err, secrets) {
  for (const field of ["message", "description", "uri", "oauthError", "stack"]) {
    for (const secret of secrets) assert.ok(!String(err[field] ?? "").includes(secret), `${field} carries a secret: ${err[field]}`);
  }
}

const rejection = (promise) => promise.then((v) => assert.fail(`expected a rejection, got ${v}`), (e) => e);

function thrown(fn) {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return assert.fail("expected a throw");
}

test("id_token_missing: a victim's code from an authorization without openid cannot be redeemed into the attacker's pending authorization", async () => {
  // The victim authorizes without `openid` (no id_token, no nonce); the attacker steals that code
  // and brings it to the callback with the state of an authorization they started themselves.
  const victim = emulatorClient(["offline", "tickets:read"]).authorize({ account: "acme" });
  assert.ok(!new URL(victim.url).searchParams.has("nonce"), "no nonce is sent without openid");
  const stolen = new URL(await followAuthorize(victim.url)).searchParams.get("code");
  const client = emulatorClient();
  const attacker = client.authorize({ account: "acme" });
  assert.ok(attacker.nonce, "with openid the nonce is sent");
  const err = await rejection(client.exchangeCode(`${REDIRECT_URI}?code=${stolen}&state=${attacker.state}`, attacker.pending));
  assertOAuthError(err, pkg.HelpdeskOAuthError, "id_token_missing", issuedSecrets(emulator, CLIENT_SECRET));
  assert.equal(err.retryable, false);
});

test("a stored row whose account is `evil.example/x?` never produces a request: typed errors instead", async () => {
  const row = (account) => JSON.stringify({ v: 1, provider: "gorgias", account, token_type: "Bearer", access_token: "at-stored", refresh_token: "rt-stored", scope: ["openid", "offline"], expires_at: 1, obtained_at: 0 });
  const client = scriptedClient();
  const before = received.length;
  for (const account of ["evil.example/x?", "acme.gorgias.com.evil.com", "acme@evil.example"]) {
    assertOAuthError(thrown(() => pkg.TokenSet.fromJSON(row(account))), pkg.HelpdeskOAuthError, "token_set_invalid", ["rt-stored", "at-stored", "evil"]);
    // Through a session: the row is read back from the store and refused before any request.
    const store = new pkg.MemoryTokenStore();
    await store.set("gorgias:tenant", row(account), {});
    const session = pkg.createSession({ client, store, key: "gorgias:tenant" });
    assertOAuthError(await rejection(session.accessToken()), pkg.HelpdeskOAuthError, "token_set_invalid", ["rt-stored", "at-stored"]);
  }
  assert.equal(received.length, before, "no request reached any server");
});

test("a stored pending record is validated like fresh input and must be this client's", async () => {
  const client = scriptedClient();
  const req = client.authorize({ account: "acme" });
  const good = JSON.parse(req.pending.serialize());
  const callback = `${REDIRECT_URI}?code=stolen-code&state=${req.state}`;
  const before = received.length;
  const cases = [
    [{ account: "evil.example/x?" }, "pending_invalid"],
    [{ redirect_uri: "https://evil.example/cb" }, "pending_invalid"],
    [{ issuer: "https://evil.example" }, "pending_invalid"],
    [{ code_verifier: "not-a-verifier&x=1" }, "pending_invalid"],
  ];
  for (const [change, code] of cases) {
    const text = JSON.stringify({ ...good, ...change });
    assertOAuthError(await rejection(client.exchangeCode(callback, text)), pkg.HelpdeskOAuthError, code, ["stolen-code", "evil"]);
  }
  assert.equal(received.length, before, "the code was sent nowhere");
});

test("provider error text never carries a secret the client holds, however it is wrapped", async () => {
  const client = scriptedClient();
  const tokens = await tokensFor(client);
  const held = ["rt-1", "at-1", CLIENT_SECRET];
  const refreshErrors = [
    { error: "invalid_grant", error_description: 'refresh token "rt-1" is revoked' },
    { error: "invalid_grant", error_description: "token=rt-1 (rt-1) [at-1]" },
    { error: "invalid_client", error_description: `client secret '${CLIENT_SECRET}' is wrong` },
    { error: "invalid_grant", error_uri: "https://docs.example/errors?token=rt-1" },
    { error: "rt-1" },
    { error: "invalid_grant", error_description: "rt-\u00071 split by a control character" },
  ];
  for (const body of refreshErrors) {
    answer = { status: 400, headers: {}, body: JSON.stringify(body) };
    const err = await rejection(client.refresh(tokens));
    assert.ok(err instanceof pkg.HelpdeskOAuthError, String(err));
    assertNoSecret(err, held);
  }
  // The code exchange: the code itself and the client secret.
  const err = await rejection(exchangeWith(client, 400, { error: "invalid_grant", error_description: `code "code-secret-77" for ${CLIENT_SECRET} was used` }, "code-secret-77"));
  assert.equal(err.code, "invalid_grant");
  assertNoSecret(err, ["code-secret-77", CLIENT_SECRET]);
  // Revocation: the token being revoked.
  answer = { status: 400, headers: {}, body: JSON.stringify({ error: "invalid_request", error_description: "cannot revoke (rt-1)" }) };
  assertNoSecret(await rejection(client.revoke(tokens)), held);
});

test("a session keeps its tokens when a 5xx (or a 200 with an access token) says invalid_grant; only a 400 invalid_grant deletes them", async () => {
  const client = scriptedClient();
  const row = (await tokensFor(client)).serialize();
  const store = new pkg.MemoryTokenStore();
  await store.set("gorgias:acme", row, {});
  // A clock ten hours ahead: the stored access token is expired, so every call refreshes.
  const session = pkg.createSession({ client, store, account: "acme", now: () => Date.now() + 10 * 3600 * 1000 });
  const faults = [
    [500, { error: "invalid_grant" }, "server_error"],
    [502, { error: "invalid_grant", error_description: "upstream said so" }, "server_error"],
    [503, { error: "invalid_grant" }, "temporarily_unavailable"],
    [200, { access_token: "at-2", token_type: "Bearer", error: "invalid_grant" }, "response_invalid"],
    [200, { error: "invalid_grant" }, "response_invalid"],
    [401, { error: "invalid_grant" }, "http_error"],
  ];
  for (const [status, body, code] of faults) {
    answer = { status, headers: {}, body: JSON.stringify(body) };
    const err = await rejection(session.accessToken());
    assert.equal(err.code, code, `HTTP ${status} ${JSON.stringify(body)}: ${err.message}`);
    assert.equal(err.retryable, true);
    assert.equal(err.oauthError, "invalid_grant");
    assert.equal((await store.get("gorgias:acme"))?.value, row, `HTTP ${status}: the stored tokens are untouched`);
  }
  answer = { status: 400, headers: {}, body: JSON.stringify({ error: "invalid_grant" }) };
  assert.equal((await rejection(session.accessToken())).code, "reauthorization_required");
  assert.equal(await store.get("gorgias:acme"), undefined, "a real 400 invalid_grant removes the dead grant");
});

test("a non-string `error` member is response_invalid and says so, not provider_error with an empty oauthError", async () => {
  const client = scriptedClient();
  const tokens = await tokensFor(client);
  for (const error of [5, { code: "invalid_grant" }, ["invalid_grant"], true]) {
    answer = { status: 400, headers: {}, body: JSON.stringify({ error }) };
    const err = await rejection(client.refresh(tokens));
    assert.equal(err.code, "response_invalid", JSON.stringify(error));
    assert.equal(err.oauthError, undefined);
    assert.match(err.message, /`error` member that is not a string/);
  }
});

test("without keys (the Gorgias preset) the id_token header, nbf, aud members and exp (to the millisecond) are still checked", async () => {
  const b64u = (v) => Buffer.from(typeof v === "string" ? v : JSON.stringify(v)).toString("base64url");
  const jwt = (header, claims) => `${b64u(header)}.${b64u(claims)}.${b64u("not-a-signature")}`;
  const nowMs = Date.UTC(2030, 0, 1);
  const now = nowMs / 1000;
  const client = scriptedClient({ scopes: SCOPES, now: () => nowMs + 500, clockToleranceSeconds: 60 });
  const exchange = async (makeToken) => {
    const req = client.authorize({ account: "acme" });
    const claims = { iss: "https://acme.gorgias.com", aud: [CLIENT_ID], sub: 10, iat: now, exp: now + 3600, nonce: req.nonce };
    answer = { status: 200, headers: {}, body: JSON.stringify({ access_token: "at-1", token_type: "Bearer", id_token: makeToken(claims) }) };
    return client.exchangeCode(`${REDIRECT_URI}?code=c&state=${req.state}`, req.pending);
  };
  // What Gorgias sends: RS256 without kid, integer sub; the signature cannot be checked.
  const tokens = await exchange((c) => jwt({ alg: "RS256", typ: "JWT" }, c));
  assert.equal(tokens.idTokenClaims().sub, 10);
  const cases = [
    ["alg none", (c) => `${b64u({ alg: "none" })}.${b64u(c)}.`, "id_token_alg_unsupported"],
    ["HS256", (c) => jwt({ alg: "HS256" }, c), "id_token_alg_unsupported"],
    ["PS256 (not supported)", (c) => jwt({ alg: "PS256" }, c), "id_token_alg_unsupported"],
    ["es256 (wrong case)", (c) => jwt({ alg: "es256" }, c), "id_token_alg_unsupported"],
    ["no alg", (c) => jwt({ typ: "JWT" }, c), "id_token_alg_unsupported"],
    ["crit", (c) => jwt({ alg: "RS256", crit: ["exp"] }, c), "id_token_invalid"],
    ["nbf in the future", (c) => jwt({ alg: "RS256" }, { ...c, nbf: now + 61 }), "id_token_issued_in_future"],
    ["nbf a string", (c) => jwt({ alg: "RS256" }, { ...c, nbf: String(now) }), "id_token_invalid"],
    ["aud with a number", (c) => jwt({ alg: "RS256" }, { ...c, aud: [CLIENT_ID, 5] }), "id_token_invalid"],
    ["exp + tolerance 500 ms ago", (c) => jwt({ alg: "RS256" }, { ...c, exp: now - 60 }), "id_token_expired"],
  ];
  for (const [name, make, code] of cases) {
    const err = await rejection(exchange(make));
    assert.ok(err instanceof pkg.HelpdeskOAuthError, `${name}: ${err}`);
    assert.equal(err.code, code, `${name}: ${err.message}`);
  }
});

test("expires_in: 0 means expired now (RFC 6749 §5.1), unless the access token is a JWT with its own exp", async () => {
  const client = scriptedClient();
  const opaque = await exchangeWith(client, 200, { access_token: "at-zero", token_type: "Bearer", expires_in: 0, refresh_token: "rt-zero" });
  assert.ok(opaque.expiresAt !== undefined && opaque.expiresAt <= Date.now(), `expiresAt ${opaque.expiresAt}`);
  assert.equal(opaque.isExpired(), true);
  const exp = Math.floor(Date.now() / 1000) + 3600;
  const jwtAccess = `${Buffer.from('{"alg":"RS256"}').toString("base64url")}.${Buffer.from(JSON.stringify({ exp })).toString("base64url")}.c2ln`;
  const gorgiasStyle = await exchangeWith(client, 200, { access_token: jwtAccess, token_type: "Bearer", expires_in: 0 });
  assert.equal(gorgiasStyle.expiresAt, exp * 1000);
  assert.equal(gorgiasStyle.isExpired(), false);
});

test("an access token with CR/LF, NUL or non-ASCII is refused as response_invalid, and the message does not carry it", async () => {
  const client = scriptedClient();
  for (const access_token of ["at-x\r\nX-Injected: 1", "at-x\u0000", "at x", "at-\u00e9"]) {
    const err = await rejection(exchangeWith(client, 200, { access_token, token_type: "Bearer", refresh_token: "rt-x" }));
    assert.ok(err instanceof pkg.HelpdeskOAuthError, `${JSON.stringify(access_token)}: ${err}`);
    assert.equal(err.code, "response_invalid");
    assertNoSecret(err, ["at-x", "X-Injected", "rt-x"]);
  }
  const err = await rejection(exchangeWith(client, 200, { access_token: "at-ok", token_type: "Bearer", refresh_token: "rt\r\nx" }));
  assert.equal(err.code, "response_invalid");
});

test("a cookieSecret with next to no entropy is refused with invalid_config when sealing and opening", async () => {
  const pending = scriptedClient().authorize({ account: "acme" }).pending;
  const weak = ["a".repeat(32), new Uint8Array(32), "ab".repeat(16), "password".repeat(4), "0123456789abcdef".repeat(2), "abcdefghijklmnopqrstuvwxyzABCDEF"];
  for (const secret of weak) {
    const err = await rejection(pkg.sealPendingCookie(pending, secret));
    assert.equal(err.code, "invalid_config", `${secret}: ${err.message}`);
    assert.ok(!err.message.includes("password") && !err.message.includes("aaaa"), err.message);
    assert.equal((await rejection(pkg.openPendingCookie("__Host-helpdesk-oauth=v1.x.y", secret))).code, "invalid_config");
  }
  const strong = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");
  const header = await pkg.sealPendingCookie(pending, strong);
  const opened = await pkg.openPendingCookie(header.split(";")[0], strong);
  assert.equal(opened.pending.state, pending.state);
});

test("a refreshed id_token must continue the original authentication (OIDC Core 12.2); a refused one leaves the stored token set as it was", async () => {
  const b64u = (v) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const jwt = (claims) => `${b64u({ alg: "RS256" })}.${b64u(claims)}.c2ln`;
  const now = Math.floor(Date.now() / 1000);
  const client = scriptedClient({ scopes: SCOPES });
  const req = client.authorize({ account: "acme" });
  const original = { iss: "https://acme.gorgias.com", aud: [CLIENT_ID], sub: 10, iat: now, exp: now + 3600, nonce: req.nonce };
  answer = { status: 200, headers: {}, body: JSON.stringify({ access_token: "at-1", refresh_token: "rt-1", token_type: "Bearer", expires_in: 60, id_token: jwt(original) }) };
  const tokens = await client.exchangeCode(`${REDIRECT_URI}?code=c&state=${req.state}`, req.pending);
  const store = new pkg.MemoryTokenStore();
  await store.set("gorgias:acme", tokens.serialize(), {});
  const stored = (await store.get("gorgias:acme")).value;
  const session = pkg.createSession({ client, store, account: "acme", now: () => Date.now() + 10 * 60 * 1000 });
  // Newly issued (iat a second later), still within the client's clock tolerance.
  const { nonce, ...renewed } = { ...original, iat: now + 1, exp: now + 3601 };
  const foreign = [
    [{ ...renewed, sub: 11 }, "id_token_refresh_mismatch"],
    [{ ...renewed, aud: [CLIENT_ID, "evil-app"], azp: CLIENT_ID }, "id_token_refresh_mismatch"],
    [{ ...renewed, nonce: "attacker-nonce" }, "id_token_refresh_mismatch"],
    [{ ...renewed, iss: "https://evil.gorgias.com" }, "id_token_issuer_mismatch"],
    [{ ...renewed, aud: ["evil-app"] }, "id_token_audience_mismatch"],
  ];
  for (const [claims, code] of foreign) {
    answer = { status: 200, headers: {}, body: JSON.stringify({ access_token: "at-2", token_type: "Bearer", expires_in: 60, id_token: jwt(claims) }) };
    assert.equal((await rejection(client.refresh(tokens))).code, code, JSON.stringify(claims));
    assert.equal((await rejection(session.accessToken())).code, code, `session: ${JSON.stringify(claims)}`);
    assert.equal((await store.get("gorgias:acme")).value, stored, "the stored token set is untouched");
    assert.equal(tokens.idTokenClaims().sub, 10);
  }
  answer = { status: 200, headers: {}, body: JSON.stringify({ access_token: "at-3", token_type: "Bearer", expires_in: 3600, id_token: jwt(renewed) }) };
  const refreshed = await client.refresh(tokens);
  assert.equal(refreshed.idTokenClaims().iat, now + 1);
  assert.equal(refreshed.refreshToken, "rt-1");
});

test("client.apiUrl and session.fetch stay under the API base: ../../oauth/revoke and its encoded forms are invalid_api_path, and nothing is sent", async () => {
  const client = scriptedClient();
  assert.equal(client.apiUrl("/tickets/1/../2", "acme"), `${scripted.url}/acme/api/tickets/2`);
  const escapes = ["../../oauth/revoke", "../oauth/token", "%2e%2e/oauth/revoke", ".%2E/oauth/revoke", "%2E%2e/%2e%2e/oauth/revoke", "..;/oauth/revoke", "..\\oauth\\revoke", "/.\t./oauth/revoke", "..%2foauth/revoke", `${scripted.url}/acme/api/../oauth/revoke`, `${scripted.url}/other/api/account`];
  for (const path of escapes) {
    const err = thrown(() => client.apiUrl(path, "acme"));
    assert.ok(err instanceof pkg.HelpdeskOAuthError, `${JSON.stringify(path)}: ${err}`);
    assert.equal(err.code, "invalid_api_path", JSON.stringify(path));
  }
  const store = new pkg.MemoryTokenStore();
  await store.set("gorgias:acme", (await tokensFor(client)).serialize(), {});
  const session = pkg.createSession({ client, store, account: "acme" });
  const before = received.length;
  for (const path of escapes) {
    const err = await rejection(session.fetch(path, { method: "POST", body: "token=x" }));
    assert.equal(err.code, "invalid_api_path", JSON.stringify(path));
  }
  assert.equal(received.length, before, "no request left the client");
  answer = { status: 200, headers: {}, body: "{}" };
  const ok = await session.fetch("/tickets/../account");
  assert.equal(ok.status, 200);
  assert.equal(received.at(-1).url, "/acme/api/account");
  assert.equal(received.at(-1).headers.authorization, "Bearer at-1");
});

test("a missing clientSecret is refused by the OAuthClient constructor when the provider's client authentication needs one", () => {
  for (const provider of ["gorgias", "kustomer", { preset: "kustomer" }, { id: "custom", authorizeUrl: "https://idp.example/a", tokenUrl: "https://idp.example/t" }]) {
    const err = thrown(() => new pkg.OAuthClient({ provider, clientId: "c", redirectUri: "https://app.example.com/cb", scopes: ["x"] }));
    assert.ok(err instanceof pkg.HelpdeskOAuthError, String(err));
    assert.equal(err.code, "invalid_config");
    assert.match(err.message, /clientSecret is required/);
  }
  // A public client says so.
  const c = new pkg.OAuthClient({ provider: { preset: "kustomer", clientAuth: "none" }, clientId: "c", redirectUri: "https://app.example.com/cb", scopes: ["offline_access"] });
  assert.ok(c.authorize({ account: "myorg" }).url.startsWith("https://api.apps.kustomerapp.com/oauth/authorize?"));
});
