// Per-operation CPU time of each scenario, every library in this one process on the same inputs,
// with fetch answered in-process. Libraries are interleaved round by round (rotating the order)
// so slow phases of a noisy machine hit all of them alike.
// Usage: node cpu.mjs [--rounds N] [--sample-ms N] [--warmup-ms N]
import { hrtime } from "node:process";
import { linkPackage } from "./lib/package-link.mjs";
import { adapterEnv } from "./lib/fixtures.mjs";
import { createResponder } from "./lib/responder.mjs";
import { summary, fmt } from "./lib/stats.mjs";
import { LIBRARIES, loadLibrary } from "./lib/libraries/index.mjs";
import { SCENARIOS } from "./lib/scenarios.mjs";
import { isMain, parseArgs } from "./lib/cli.mjs";

// The floor every library pays for: the responder's Response plus reading its JSON.
const BASELINE = "baseline: fetch responder + res.json()";

async function setUp(ids) {
  const libs = [];
  for (const id of ids) {
    const mod = await loadLibrary(id);
    const responder = createResponder();
    libs.push({ id, name: mod.name, responder, lib: mod.create(adapterEnv(responder.fetch)) });
  }
  return libs;
}

async function timeBatch(op, n) {
  const t0 = hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const r = op();
    if (r !== null && typeof r === "object" && typeof r.then === "function") await r;
  }
  return Number(hrtime.bigint() - t0) / n;
}

// Runs `op` for about `ms` and returns how many calls fit in one millisecond.
async function calibrate(op, ms) {
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    await timeBatch(op, 16);
    n += 16;
  }
  return n / (performance.now() - t0);
}

export async function runCpu({ rounds = 30, sampleMs = 6, warmupMs = 250, libraries = LIBRARIES } = {}) {
  linkPackage();
  const libs = await setUp(libraries);
  const results = [];
  for (const scenario of SCENARIOS) {
    const entries = [];
    for (const l of libs) {
      const state = await scenario.prepare(l.lib, l.responder);
      entries.push({ name: l.name, op: () => scenario.run(l.lib, state), before: () => l.responder.respondWith(state.body), samples: [] });
    }
    if (scenario.id !== "authorize") {
      const responder = createResponder();
      const body = entries.length ? (await scenario.prepare(libs[0].lib, libs[0].responder)).body : "{}";
      responder.respondWith(body);
      entries.push({ name: BASELINE, baseline: true, op: () => responder.fetch("https://x/").then((r) => r.json()), before() {}, samples: [] });
    }
    for (const e of entries) {
      e.before();
      const perMs = await calibrate(e.op, warmupMs);
      e.batch = Math.max(1, Math.round(perMs * sampleMs));
    }
    for (let r = 0; r < rounds; r++) {
      for (let k = 0; k < entries.length; k++) {
        const e = entries[(k + r) % entries.length];
        e.before();
        e.samples.push(await timeBatch(e.op, e.batch));
        // A macrotask turn between samples, as a server has between requests: FinalizationRegistry
        // callbacks (which free wasm-side objects nobody called free() on) only run there.
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    const rows = entries.map((e) => ({ name: e.name, baseline: !!e.baseline, batch: e.batch, ...summary(e.samples) }));
    const peers = rows.filter((x) => !x.baseline && x.name !== "helpdesk-oauth");
    const fastestPeer = Math.min(...peers.map((x) => x.median));
    for (const row of rows) row.ratio = row.median / fastestPeer;
    results.push({ id: scenario.id, title: scenario.title, rows });
  }
  return results;
}

export function cpuMarkdown(results) {
  const out = [];
  for (const s of results) {
    out.push(`#### ${s.title}`, "", "| library | median ns/op | p10 | p90 | × fastest peer |", "| --- | ---: | ---: | ---: | ---: |");
    for (const r of s.rows) {
      const name = r.name === "helpdesk-oauth" ? "**helpdesk-oauth**" : r.baseline ? `_${r.name}_` : r.name;
      out.push(`| ${name} | ${fmt(r.median)} | ${fmt(r.p10)} | ${fmt(r.p90)} | ${r.baseline ? "–" : fmt(r.ratio, 2)} |`);
    }
    out.push("");
  }
  return out.join("\n");
}

if (isMain(import.meta.url)) {
  const args = parseArgs({ rounds: 30, "sample-ms": 6, "warmup-ms": 250 });
  const results = await runCpu({ rounds: args.rounds, sampleMs: args["sample-ms"], warmupMs: args["warmup-ms"] });
  console.log(cpuMarkdown(results));
}
