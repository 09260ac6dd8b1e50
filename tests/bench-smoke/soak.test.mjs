// Smoke test of the soak harness (benches/soak.mjs): a few hundred flows per library and loop, in
// their own processes, must come back with finite readings, and the report and plot must be
// written from them. No memory or time is asserted: the soak reports, it does not gate.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { BENCH_DIR, linkPackage, packageDir } from "../../benches/lib/package-link.mjs";
import { runSoak, SOAK_LIBRARIES } from "../../benches/soak.mjs";
import { MODES, soakMarkdown, soakSvg } from "../../benches/soak/report.mjs";
import { wasmMemoryReader } from "../../benches/soak/memory.mjs";

linkPackage();

test("soak: every library runs both loops in its own process and reports finite readings", async () => {
  const flows = 300;
  const every = 100;
  const results = await runSoak({ flows, every, parallel: 2 });
  assert.deepEqual(
    results.map((r) => `${r.library}/${r.mode}`),
    Object.keys(MODES).flatMap((m) => SOAK_LIBRARIES.map((l) => `${l}/${m}`)),
  );
  for (const r of results) {
    const what = `${r.library}/${r.mode}`;
    assert.equal(r.flows, flows, what);
    assert.deepEqual(r.samples.map((s) => s.flows), [0, 100, 200, 300], what);
    for (const v of [r.seconds, r.flowsPerSecond, r.maxRss, r.peakHeapUsed]) assert.ok(Number.isFinite(v) && v > 0, `${what}: ${v}`);
    for (const s of r.samples) {
      for (const k of ["rss", "heapUsed", "heapTotal", "external", "arrayBuffers"]) assert.ok(Number.isFinite(s[k]) && s[k] > 0, `${what} ${k} at ${s.flows}`);
      if (r.library === "helpdesk-oauth") assert.ok(Number.isInteger(s.wasm) && s.wasm % 65536 === 0 && s.wasm > 0, `${what} wasm at ${s.flows}`);
      else assert.equal(s.wasm, null, what);
    }
  }
  const meta = { commit: "abc1234", date: "2026-01-01", node: process.version, machine: "test", flows, every, yieldEachFlow: true, parallel: 2, wallSeconds: 1 };
  const md = soakMarkdown(results, meta);
  assert.doesNotMatch(md, /NaN|undefined|Infinity/);
  assert.match(md, /\| \*\*helpdesk-oauth\*\* \| [\d.]+ \| [\d.]+× \|/);
  const svg = soakSvg(results, meta);
  assert.match(svg, /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.equal((svg.match(/<polyline /g) ?? []).length, 2 * results.length);
  assert.doesNotMatch(svg, /NaN|undefined/);
});

test("soak: the wasm memory reader reads the memory of the package's own instance", async () => {
  // node.mjs: what the package's exports map gives `import "helpdesk-oauth"` in Node (as in the soak).
  const { OAuthClient } = await import(pathToFileURL(join(BENCH_DIR, "node_modules", "helpdesk-oauth", "node.mjs")).href);
  const read = await wasmMemoryReader(packageDir());
  const before = read();
  // Clients held here own wasm memory; the reader must see it grow, or it reads another instance.
  const held = [];
  for (let i = 0; i < 5000 && read() === before; i++) {
    held.push(new OAuthClient({ provider: "gorgias", clientId: "soakClient", clientSecret: "soakSecret0123456789abcdefABCDEF", redirectUri: "https://app.example.com/cb", scopes: ["openid"] }));
  }
  assert.ok(read() > before, `wasm memory stayed at ${before} bytes with ${held.length} clients held`);
  for (const c of held) c.free();
});
