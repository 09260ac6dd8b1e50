// Cold start: (a) fresh Node processes that load one library and build one authorize URL;
// (b) fresh workerd isolates (npm miniflare, each run a new Miniflare = new workerd process) whose
// first request does the same, every library bundled by esbuild. Runs are interleaved across
// libraries; "none" / the empty Worker is the floor every library pays.
// Usage: node cold-start.mjs [--node-runs N] [--worker-runs N]
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { mkdtempSync, rmSync, mkdirSync, copyFileSync } from "node:fs";
import { Miniflare } from "miniflare";
import { BENCH_DIR, linkPackage } from "./lib/package-link.mjs";
import { bundleAdapter } from "./lib/bundle.mjs";
import { LIBRARIES, loadLibrary } from "./lib/libraries/index.mjs";
import { median, percentile, fmt } from "./lib/stats.mjs";
import { isMain, parseArgs } from "./lib/cli.mjs";

const run = promisify(execFile);
const NONE = "none";

async function libraryNames(ids) {
  const names = { [NONE]: "_none (node / empty Worker)_" };
  for (const id of ids) names[id] = (await loadLibrary(id)).name;
  return names;
}

export async function nodeColdStart({ runs = 20, libraries = LIBRARIES } = {}) {
  linkPackage();
  const ids = [NONE, ...libraries];
  const samples = Object.fromEntries(ids.map((id) => [id, { inProcess: [], wall: [] }]));
  for (let r = 0; r < runs; r++) {
    for (let k = 0; k < ids.length; k++) {
      const id = ids[(k + r) % ids.length];
      const t0 = performance.now();
      const { stdout } = await run(process.execPath, [join(BENCH_DIR, "cold-start", "node-child.mjs"), id], { env: process.env });
      const wall = performance.now() - t0;
      const out = JSON.parse(stdout);
      if (id !== NONE && !out.url.startsWith("https://acme.gorgias.com/oauth/authorize?")) throw new Error(`${id}: bad URL`);
      samples[id].inProcess.push(out.ms);
      samples[id].wall.push(wall);
    }
  }
  return rowsWithRatios(ids, samples, await libraryNames(libraries), "inProcess");
}

async function workerOnce(dir) {
  const t0 = performance.now();
  const mf = new Miniflare({
    modules: true,
    scriptPath: join(dir, "worker.mjs"),
    modulesRoot: dir,
    modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
    cf: false,
    compatibilityDate: "2025-01-01",
  });
  try {
    const res = await mf.dispatchFetch("http://localhost/");
    const url = await res.text();
    const ms = performance.now() - t0;
    if (!url.startsWith("https://acme.gorgias.com/oauth/authorize?")) throw new Error(`worker answered ${res.status}: ${url.slice(0, 200)}`);
    return ms;
  } finally {
    await mf.dispose();
  }
}

export async function workerColdStart({ runs = 10, libraries = LIBRARIES } = {}) {
  const root = mkdtempSync(join(tmpdir(), "helpdesk-oauth-bench-workers-"));
  try {
    const dirs = {};
    mkdirSync(join(root, NONE));
    copyFileSync(join(BENCH_DIR, "cold-start", "empty-worker.mjs"), join(root, NONE, "worker.mjs"));
    dirs[NONE] = join(root, NONE);
    for (const id of libraries) {
      dirs[id] = join(root, id);
      await bundleAdapter({ id, entry: join(BENCH_DIR, "cold-start", "worker-entry.mjs"), outDir: dirs[id], target: "workerd" });
    }
    const ids = [NONE, ...libraries];
    const samples = Object.fromEntries(ids.map((id) => [id, { total: [] }]));
    for (let r = 0; r < runs; r++) {
      for (let k = 0; k < ids.length; k++) {
        const id = ids[(k + r) % ids.length];
        samples[id].total.push(await workerOnce(dirs[id]));
      }
    }
    return rowsWithRatios(ids, samples, await libraryNames(libraries), "total");
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

// Ratios compare whole cold starts (what a user waits for); "over" shows the library's own share.
function rowsWithRatios(ids, samples, names, key) {
  const floor = median(samples[NONE][key]);
  const rows = ids.map((id) => {
    const s = samples[id];
    const m = median(s[key]);
    return { id, name: names[id], n: s[key].length, median: m, p10: percentile(s[key], 10), p90: percentile(s[key], 90), overFloor: m - floor, wall: s.wall ? median(s.wall) : undefined };
  });
  const peers = rows.filter((r) => r.id !== NONE && r.id !== "helpdesk-oauth");
  const best = Math.min(...peers.map((r) => r.median));
  for (const r of rows) r.ratio = r.id === NONE ? undefined : r.median / best;
  return rows;
}

export function coldStartMarkdown(nodeRows, workerRows) {
  const out = [];
  if (nodeRows) {
    out.push(
      `Node ${process.version}: ${nodeRows[0].n} fresh processes per library; "ms to URL" is performance.now() when the URL exists (from process start); "over none" subtracts the empty process.`,
      "",
      "| library | median ms to URL | p10 | p90 | over none | × fastest peer | median spawn→exit ms |",
      "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    );
    for (const r of nodeRows) {
      out.push(`| ${r.id === "helpdesk-oauth" ? "**helpdesk-oauth**" : r.name} | ${fmt(r.median, 1)} | ${fmt(r.p10, 1)} | ${fmt(r.p90, 1)} | ${r.id === NONE ? "–" : fmt(r.overFloor, 1)} | ${r.ratio === undefined ? "–" : fmt(r.ratio, 2)} | ${fmt(r.wall, 1)} |`);
    }
    out.push("");
  }
  if (workerRows) {
    out.push(
      `workerd (npm miniflare): ${workerRows[0].n} fresh Miniflare instances per library (new workerd process + isolate); time from \`new Miniflare\` to the first response's body; "over empty" subtracts the empty Worker.`,
      "",
      "| library | median ms | p10 | p90 | over empty | × fastest peer |",
      "| --- | ---: | ---: | ---: | ---: | ---: |",
    );
    for (const r of workerRows) {
      out.push(`| ${r.id === "helpdesk-oauth" ? "**helpdesk-oauth**" : r.name} | ${fmt(r.median, 1)} | ${fmt(r.p10, 1)} | ${fmt(r.p90, 1)} | ${r.id === NONE ? "–" : fmt(r.overFloor, 1)} | ${r.ratio === undefined ? "–" : fmt(r.ratio, 2)} |`);
    }
    out.push("");
  }
  return out.join("\n");
}

if (isMain(import.meta.url)) {
  const args = parseArgs({ "node-runs": 20, "worker-runs": 10 });
  const nodeRows = await nodeColdStart({ runs: args["node-runs"] });
  const workerRows = await workerColdStart({ runs: args["worker-runs"] });
  console.log(coldStartMarkdown(nodeRows, workerRows));
}
