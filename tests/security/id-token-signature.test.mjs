// id_token signature verification through WebCrypto, for providers that publish keys: RS256 and
// ES256 tokens signed with real keys (node:crypto), the JWK set served by a real local HTTP
// server (jwksUri) or given inline (jwks), and every way a signature check must fail.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { generateKeyPairSync, createSign, randomBytes } from "node:crypto";
import { loadPackage } from "../node/support/install-package.mjs";

const b64u = (b) => Buffer.from(b).toString("base64url");
const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
const otherRsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
const jwk = (kp, kid) => ({ ...kp.publicKey.export({ format: "jwk" }), kid, use: "sig" });

function sign(alg, header, claims, keyPair = alg === "ES256" ? ec : rsa) {
  const input = `${b64u(JSON.stringify({ alg, typ: "JWT", ...header }))}.${b64u(JSON.stringify(claims))}`;
  const signer = createSign("SHA256").update(input);
  const sig = alg === "ES256" ? signer.sign({ key: keyPair.privateKey, dsaEncoding: "ieee-p1363" }) : signer.sign(keyPair.privateKey);
  return `${input}.${b64u(sig)}`;
}

let pkg, server, base, nextIdToken, jwksRequests = 0;
before(async () => {
  pkg = await loadPackage();
  server = http.createServer((req, res) => {
    if (req.url.startsWith("/acme/jwks")) {
      jwksRequests++;
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [jwk(rsa, "rsa-1"), jwk(ec, "ec-1")] }));
    } else if (req.url.startsWith("/acme/token")) {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ access_token: "at-" + randomBytes(8).toString("hex"), refresh_token: "rt-sig", token_type: "Bearer", expires_in: 3600, id_token: nextIdToken }));
    } else res.writeHead(404).end();
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${server.address().port}`;
});
after(() => server.close());

function client(providerExtra) {
  return new pkg.esm.OAuthClient({
    provider: { id: "oidc-test", authorizeUrl: `${base}/{account}/authorize`, tokenUrl: `${base}/{account}/token`, issuer: "https://{account}.idp.example", refreshScope: null, pkce: true, ...providerExtra },
    clientId: "client-1",
    clientSecret: "secret-1",
    redirectUri: "https://app.example.com/cb",
    scopes: ["openid"],
  });
}

async function exchange(c, makeToken) {
  const req = c.authorize({ account: "acme" });
  const now = Math.floor(Date.now() / 1000);
  const claims = { iss: "https://acme.idp.example", aud: "client-1", sub: "user-1", iat: now, exp: now + 600, nonce: req.nonce };
  nextIdToken = makeToken(claims);
  return c.exchangeCode(`https://app.example.com/cb?code=c&state=${req.state}`, req.pending);
}

test("RS256 and ES256 id_tokens verify against a JWK set fetched from jwksUri", async () => {
  const c = client({ jwksUri: `${base}/{account}/jwks` });
  const before = jwksRequests;
  const t1 = await exchange(c, (claims) => sign("RS256", { kid: "rsa-1" }, claims));
  assert.equal(t1.idTokenClaims().sub, "user-1");
  const t2 = await exchange(c, (claims) => sign("ES256", { kid: "ec-1" }, claims));
  assert.equal(t2.idTokenClaims().aud, "client-1");
  assert.equal(jwksRequests - before, 2, "the JWK set is fetched from the account's jwksUri");
});

test("an inline JWK set works without any request for keys", async () => {
  const c = client({ jwks: { keys: [jwk(rsa, "rsa-1")] } });
  const before = jwksRequests;
  await exchange(c, (claims) => sign("RS256", {}, claims));
  assert.equal(jwksRequests, before);
});

test("signature failures each have their code", async () => {
  const c = client({ jwksUri: `${base}/{account}/jwks` });
  const cases = [
    ["tampered payload", (claims) => { const [h, , s] = sign("RS256", { kid: "rsa-1" }, claims).split("."); return `${h}.${b64u(JSON.stringify({ ...claims, sub: "admin" }))}.${s}`; }, "id_token_signature_invalid"],
    ["signed by another key with a known kid", (claims) => sign("RS256", { kid: "rsa-1" }, claims, otherRsa), "id_token_signature_invalid"],
    ["unknown kid", (claims) => sign("RS256", { kid: "nope" }, claims), "id_token_key_not_found"],
    ["alg none", (claims) => `${b64u(JSON.stringify({ alg: "none" }))}.${b64u(JSON.stringify(claims))}.`, "id_token_alg_unsupported"],
    ["HS256 with the client secret", (claims) => `${b64u(JSON.stringify({ alg: "HS256" }))}.${b64u(JSON.stringify(claims))}.${b64u("x")}`, "id_token_alg_unsupported"],
    ["ES256 signature in DER instead of r||s", (claims) => { const input = `${b64u(JSON.stringify({ alg: "ES256", kid: "ec-1" }))}.${b64u(JSON.stringify(claims))}`; return `${input}.${b64u(createSign("SHA256").update(input).sign(ec.privateKey))}`; }, "id_token_signature_invalid"],
    ["wrong issuer, validly signed", (claims) => sign("RS256", { kid: "rsa-1" }, { ...claims, iss: "https://evil.idp.example" }), "id_token_issuer_mismatch"],
  ];
  for (const [name, make, code] of cases) {
    const err = await exchange(c, make).then(() => null, (e) => e);
    assert.ok(err instanceof pkg.esm.HelpdeskOAuthError, `${name}: ${err}`);
    assert.equal(err.code, code, `${name}: ${err.message}`);
  }
});

test("Gorgias publishes no keys: only the claims are checked, as documented", async () => {
  const c = client({});
  const t = await exchange(c, (claims) => sign("RS256", {}, claims, otherRsa));
  assert.equal(t.idTokenClaims().iss, "https://acme.idp.example");
});

test("a refreshed id_token is signature-checked too, against the same keys", async () => {
  const c = client({ jwksUri: `${base}/{account}/jwks` });
  const tokens = await exchange(c, (claims) => sign("RS256", { kid: "rsa-1" }, claims));
  const original = tokens.idTokenClaims();
  const { nonce, ...renewed } = { ...original, iat: original.iat + 1 };
  nextIdToken = sign("RS256", { kid: "rsa-1" }, renewed, otherRsa);
  const err = await c.refresh(tokens).then(() => null, (e) => e);
  assert.ok(err instanceof pkg.esm.HelpdeskOAuthError, String(err));
  assert.equal(err.code, "id_token_signature_invalid");
  nextIdToken = sign("RS256", { kid: "rsa-1" }, renewed);
  const refreshed = await c.refresh(tokens);
  assert.equal(refreshed.idTokenClaims().iat, original.iat + 1);
});
