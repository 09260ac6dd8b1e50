// Smoke test of the benchmark harness (benches/): every scenario runs once per library and the
// libraries agree on what they send and return, so the benchmark compares the same work. Then
// each measurement runs at its smallest size and must produce a row per library. Nothing here
// is timed: benchmarks report, they do not gate.
import { test } from "node:test";
import assert from "node:assert/strict";
import { linkPackage } from "../../benches/lib/package-link.mjs";
import * as fx from "../../benches/lib/fixtures.mjs";
import { createResponder } from "../../benches/lib/responder.mjs";
import { LIBRARIES, loadLibrary } from "../../benches/lib/libraries/index.mjs";
import { SCENARIOS } from "../../benches/lib/scenarios.mjs";
import { runCpu } from "../../benches/cpu.mjs";
import { nodeColdStart, workerColdStart } from "../../benches/cold-start.mjs";
import { bundleSizes } from "../../benches/size.mjs";
import { runThroughput, oneFlow, freePort, startChild, stop } from "../../benches/throughput.mjs";
import { prepareApps, appCommand } from "../../benches/throughput/apps.mjs";
import { startProviderServer } from "../node/support/provider-server.mjs";

linkPackage();

async function instances() {
  const out = [];
  for (const id of LIBRARIES) {
    const responder = createResponder();
    out.push({ id, responder, lib: (await loadLibrary(id)).create(fx.adapterEnv(responder.fetch)) });
  }
  return out;
}

// Runs one scenario once for one library and returns its result and the token request it sent.
async function runOnce(scenarioId, { lib, responder }) {
  const scenario = SCENARIOS.find((s) => s.id === scenarioId);
  const state = await scenario.prepare(lib, responder);
  responder.respondWith(state.body);
  responder.capture(true);
  const before = Date.now();
  const result = await scenario.run(lib, state);
  const after = Date.now();
  const requests = [...responder.requests];
  responder.capture(false);
  return { state, result, requests, before, after };
}

test("authorize: every library builds the same Gorgias URL with fresh state and nonce", async () => {
  const seen = new Set();
  for (const inst of await instances()) {
    const { result, requests } = await runOnce("authorize", inst);
    assert.equal(requests.length, 0, `${inst.id} made a request while building a URL`);
    const url = new URL(result.url);
    assert.equal(`${url.origin}${url.pathname}`, fx.AUTHORIZE_ENDPOINT, inst.id);
    const params = Object.fromEntries(url.searchParams);
    assert.deepEqual(Object.keys(params).sort(), ["client_id", "nonce", "redirect_uri", "response_type", "scope", "state"], inst.id);
    assert.equal(params.response_type, "code", inst.id);
    assert.equal(params.client_id, fx.CLIENT_ID, inst.id);
    assert.equal(params.redirect_uri, fx.REDIRECT_URI, inst.id);
    assert.deepEqual(params.scope.split(" "), fx.SCOPES, inst.id);
    assert.equal(params.state, result.state, inst.id);
    assert.equal(params.nonce, result.nonce, inst.id);
    assert.ok(result.state.length >= 22 && result.nonce.length >= 22, `${inst.id}: state/nonce too short`);
    for (const v of [result.state, result.nonce]) {
      assert.ok(!seen.has(v), `${inst.id} reused a state or nonce`);
      seen.add(v);
    }
    const again = await inst.lib.authorize();
    assert.notEqual(again.state, result.state, `${inst.id}: state is not fresh`);
  }
});

test("exchange: same token request and same token set (with expiry) from every library", async () => {
  let reference;
  for (const inst of await instances()) {
    const { result, requests, before, after } = await runOnce("exchange", inst);
    assert.equal(requests.length, 1, inst.id);
    const [req] = requests;
    const sent = { method: req.method, url: req.url, authorization: req.headers.authorization, params: req.params };
    reference ??= sent;
    assert.deepEqual(sent, reference, `${inst.id} sends a different token request`);
    assert.deepEqual(req.params, { grant_type: "authorization_code", code: fx.CODE, redirect_uri: fx.REDIRECT_URI });
    assert.equal(req.headers.authorization, `Basic ${btoa(`${fx.CLIENT_ID}:${fx.CLIENT_SECRET}`)}`);
    assert.equal(result.accessToken, fx.ACCESS_TOKEN, inst.id);
    assert.equal(result.refreshToken, fx.REFRESH_TOKEN, inst.id);
    // openid-client's expiresIn() counts whole seconds left, so its expiry can read up to 1 s early.
    assert.ok(result.expiresAt >= before - 1000 + fx.EXPIRES_IN * 1000 && result.expiresAt <= after + fx.EXPIRES_IN * 1000, `${inst.id}: expiresAt ${result.expiresAt}`);
  }
});

test("exchange: every library refuses a callback whose state does not match", async () => {
  for (const inst of await instances()) {
    const ctx = await inst.lib.authorize();
    inst.responder.respondWith(fx.tokenResponse());
    const wrong = fx.callbackUrl(`${ctx.state}x`);
    await assert.rejects(inst.lib.exchange(wrong, ctx), `${inst.id} accepted a mismatched state`);
  }
});

test("refresh: same request, new access token, Gorgias refresh token kept", async () => {
  for (const inst of await instances()) {
    const { result, requests } = await runOnce("refresh", inst);
    assert.equal(requests.length, 1, inst.id);
    assert.deepEqual(requests[0].params, { grant_type: "refresh_token", refresh_token: fx.REFRESH_TOKEN }, inst.id);
    assert.equal(result.accessToken, fx.REFRESHED_ACCESS_TOKEN, inst.id);
    assert.equal(result.refreshToken, fx.REFRESH_TOKEN, `${inst.id} dropped the refresh token`);
  }
});

test("id_token: a 2 KB response, the same checked claims from every library", async () => {
  for (const inst of await instances()) {
    const { state, result } = await runOnce("id_token", inst);
    assert.equal(state.body.length, fx.ID_TOKEN_RESPONSE_BYTES);
    const c = result.claims;
    assert.equal(c.iss, fx.ISSUER, inst.id);
    assert.deepEqual([].concat(c.aud), [fx.CLIENT_ID], inst.id);
    assert.equal(c.nonce, state.ctx.nonce, inst.id);
    assert.equal(String(c.sub), "10", inst.id);
    assert.equal(c.email, "alice@example.com", inst.id);
    // A nonce from another authorization must be refused.
    inst.responder.respondWith(fx.idTokenResponse("not-the-nonce"));
    await assert.rejects(inst.lib.exchangeIdToken(state.cb, state.ctx), `${inst.id} accepted a wrong nonce`);
  }
});

test("per-op bench: one round yields a finite median per library and scenario", async () => {
  const results = await runCpu({ rounds: 1, sampleMs: 0.05, warmupMs: 2 });
  assert.deepEqual(results.map((r) => r.id), SCENARIOS.map((s) => s.id));
  for (const s of results) {
    const names = s.rows.filter((r) => !r.baseline).map((r) => r.name);
    assert.equal(names.length, LIBRARIES.length, s.id);
    for (const r of s.rows) assert.ok(Number.isFinite(r.median) && r.median > 0 && Number.isFinite(r.ratio), `${s.id}/${r.name}`);
  }
});

test("cold start: a fresh Node process and a fresh workerd isolate per library", async () => {
  for (const rows of [await nodeColdStart({ runs: 1 }), await workerColdStart({ runs: 1 })]) {
    assert.equal(rows.length, LIBRARIES.length + 1);
    for (const r of rows) assert.ok(r.median > 0, r.id);
  }
});

test("size: every library's flow bundles; this package ships its wasm beside the JS", async () => {
  const rows = await bundleSizes();
  assert.equal(rows.length, LIBRARIES.length);
  for (const r of rows) assert.ok(r.js.raw > 1000 && r.js.gzip < r.js.raw, r.id);
  const own = rows.find((r) => r.id === "helpdesk-oauth");
  assert.ok(own.wasm && own.wasm.raw > 10_000, "no wasm counted for helpdesk-oauth");
});

// The hand-written node:http apps go through the whole measurement (provider in its own process);
// the handler and Worker apps below are checked flow by flow against an in-process provider.
const HAND_WRITTEN = ["helpdesk-oauth", "oauth4webapi"];
// The real fetch, kept before the arctic adapter replaces the global one with its responder.
const realFetch = globalThis.fetch;
const HANDLER_AND_WORKER_APPS = ["handlers-node-http", "handlers-workerd", "example-worker", "oauth4webapi-workerd"];

test("throughput: both hand-written node:http apps complete install flows against the local provider", async () => {
  const rows = await runThroughput({ flows: 6, seconds: 5, concurrency: 2, warmup: 2, rounds: 1, variants: HAND_WRITTEN });
  assert.deepEqual(rows.map((r) => r.variant), HAND_WRITTEN);
  for (const r of rows) assert.equal(r.flows, 6, r.variant);
});

test("throughput: the handler apps (node:http, workerd, the example Worker) and oauth4webapi in workerd exchange one code per flow and refuse a foreign cookie", async () => {
  const clientId = "smokeClient";
  const clientSecret = "smokeSecret0123456789abcdef";
  const port = await freePort();
  const provider = await startProviderServer({ clientId, clientSecret, redirectUris: [`http://127.0.0.1:${port}/oauth/callback`] });
  const prepared = await prepareApps(HANDLER_AND_WORKER_APPS);
  try {
    for (const id of HANDLER_AND_WORKER_APPS) {
      const app = await startChild(...appCommand(id, { port, providerUrl: provider.url, clientId, clientSecret, dirs: prepared.dirs }));
      try {
        const before = provider.state.tokenRequests;
        for (let i = 0; i < 2; i++) await oneFlow(app.url); // throws unless the callback succeeded
        assert.equal(provider.state.tokenRequests, before + 2, `${id}: one token request per flow`);
        // A callback carrying another install's cookie is refused before any token request.
        const starts = [];
        for (let i = 0; i < 2; i++) {
          const res = await realFetch(`${app.url}/install?account=acme`, { redirect: "manual" });
          await res.arrayBuffer();
          assert.equal(res.status, 302, id);
          starts.push({ cookie: res.headers.get("set-cookie").split(";")[0], location: res.headers.get("location") });
        }
        assert.notEqual(starts[0].cookie, starts[1].cookie, id);
        const authorized = await realFetch(starts[0].location, { redirect: "manual" });
        await authorized.arrayBuffer();
        const refused = await realFetch(authorized.headers.get("location"), { redirect: "manual", headers: { cookie: starts[1].cookie } });
        await refused.arrayBuffer();
        assert.equal(refused.status, 400, `${id} accepted a callback with another install's cookie`);
        assert.equal(provider.state.tokenRequests, before + 2, `${id} exchanged a code for a foreign cookie`);
      } finally {
        await stop(app.child);
      }
    }
  } finally {
    prepared.cleanup();
    await provider.close();
  }
});
