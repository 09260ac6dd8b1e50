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
    scopes: SCOPES,
    ...extra,
  });

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
