// Where the time goes in one library's scenario: runs it in a loop under the V8 sampling
// profiler (node:inspector) and prints self time by function (wasm functions appear by name
// when the wasm keeps its name section; the release build has none, so they show as wasm-function[N]).
// Usage: node profile/where-time-goes.mjs [library id] [scenario id] [seconds]
import { Session } from "node:inspector/promises";
import { linkPackage } from "../lib/package-link.mjs";
import { adapterEnv } from "../lib/fixtures.mjs";
import { createResponder } from "../lib/responder.mjs";
import { loadLibrary } from "../lib/libraries/index.mjs";
import { SCENARIOS } from "../lib/scenarios.mjs";

const [id = "helpdesk-oauth", scenarioId = "exchange", seconds = "3"] = process.argv.slice(2);
linkPackage();
const responder = createResponder();
const lib = (await loadLibrary(id)).create(adapterEnv(responder.fetch));
const scenario = SCENARIOS.find((s) => s.id === scenarioId);
const state = await scenario.prepare(lib, responder);
responder.respondWith(state.body);

const session = new Session();
session.connect();
await session.post("Profiler.enable");
await session.post("Profiler.setSamplingInterval", { interval: 50 });
await session.post("Profiler.start");
const end = performance.now() + Number(seconds) * 1000;
let ops = 0;
while (performance.now() < end) {
  for (let i = 0; i < 100; i++) await scenario.run(lib, state);
  ops += 100;
}
const { profile } = await session.post("Profiler.stop");

// Buckets, so the wasm, its JS glue, AbortSignal timers and undici's Response read add up.
const BUCKETS = [
  ["wasm code", (f) => f.url.startsWith("wasm://")],
  ["wasm-bindgen glue + package JS", (f) => /helpdesk_oauth\.js|api\.mjs|errors\.js/.test(f.url)],
  ["AbortSignal.timeout", (f) => /abort_controller|js_transferable|primordials/.test(f.url)],
  ["undici Response / body", (f) => /undici|encoding|webstreams/.test(f.url)],
  ["garbage collector", (f) => f.functionName === "(garbage collector)"],
  ["library JS (node_modules)", (f) => f.url.includes("node_modules")],
];
const buckets = new Map();
const self = new Map();
const inclusive = new Map();
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const dt = new Map();
for (let i = 0; i < profile.samples.length; i++) dt.set(profile.samples[i], (dt.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0));
let total = 0;
for (const node of profile.nodes) {
  const t = dt.get(node.id) ?? 0;
  total += t;
  const f = node.callFrame;
  const file = f.url.replace(/^.*node_modules\//, "").replace(/^file:\/\/.*\/benches\//, "");
  const key = `${f.functionName || "(anonymous)"}  ${file}${f.url ? `:${f.lineNumber + 1}` : ""}`;
  self.set(key, (self.get(key) ?? 0) + t);
  const bucket = BUCKETS.find(([, test]) => test(f))?.[0] ?? "other (node internals, harness)";
  buckets.set(bucket, (buckets.get(bucket) ?? 0) + t);
}
// Inclusive time: each sample counts once for every distinct function on its stack.
for (const [leaf, t] of dt) {
  const seen = new Set();
  for (let cur = leaf; cur !== undefined; cur = parent.get(cur)) {
    const name = byId.get(cur).callFrame.functionName.replace(/::h[0-9a-f]{16}.*$/, "");
    if (!seen.has(name)) {
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + t);
    }
  }
}
console.log(`${id} / ${scenarioId}: ${ops} ops, ${((Number(seconds) * 1e9) / ops).toFixed(0)} ns/op wall; self time by function:`);
for (const [k, t] of [...buckets].sort((a, b) => b[1] - a[1])) console.log(`${((100 * t) / total).toFixed(1).padStart(5)}%  [${k}]`);
console.log("inclusive, this package's wasm functions:");
for (const [k, t] of [...inclusive].filter(([k]) => /^helpdesk_oauth::|^getrandom|^talc/.test(k)).sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`${((100 * t) / total).toFixed(1).padStart(5)}%  ${k}`);
console.log("self:");
for (const [k, t] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`${((100 * t) / total).toFixed(1).padStart(5)}%  ${k}`);
