// `make bench-soak` (issue 16): does a long-running process stay as small as one using a plain JS
// client? The same loops (soak/loops/) run for this package and for oauth4webapi, each in its own
// fresh Node process (soak/child.mjs), and their memory is sampled every SOAK_EVERY flows after
// gc(). Writes benches/soak-results.md, benches/soak.svg, and the table between the soak markers
// of benches/README.md. Reports; never gates.
//
// Environment: SOAK_FLOWS (default 150000 per process), SOAK_EVERY (5000), SOAK_YIELD (1: return
// to the event loop after each flow; 0: back to back), SOAK_PARALLEL (2: the two libraries of a
// loop run side by side, so both see the same machine load).
import { execFile, execFileSync } from "node:child_process";
import { cpus } from "node:os";
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { BENCH_DIR, REPO_DIR, linkPackage } from "./lib/package-link.mjs";
import { isMain } from "./lib/cli.mjs";
import { MODES, soakMarkdown, soakSvg } from "./soak/report.mjs";

export const SOAK_LIBRARIES = ["helpdesk-oauth", "oauth4webapi"];

function runChild(library, mode, { flows, every, yieldEachFlow }) {
  const args = ["--expose-gc", join(BENCH_DIR, "soak", "child.mjs"), library, mode, String(flows), String(every), yieldEachFlow ? "1" : "0"];
  return new Promise((resolvePromise, reject) => {
    execFile(process.execPath, args, { maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`soak ${library} ${mode} failed: ${stderr || err.message}`));
      resolvePromise(JSON.parse(stdout.trim().split("\n").pop()));
    });
  });
}

/** Every library × loop, at most `parallel` processes at a time, results in a fixed order. */
export async function runSoak({ flows = 150_000, every = 5_000, yieldEachFlow = true, parallel = 2, modes = Object.keys(MODES), log = () => {} } = {}) {
  linkPackage();
  const jobs = modes.flatMap((mode) => SOAK_LIBRARIES.map((library) => ({ library, mode })));
  const results = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      const { library, mode } = jobs[i];
      log(`soak: ${library} ${mode} (${flows} flows)`);
      results[i] = await runChild(library, mode, { flows, every, yieldEachFlow });
      log(`soak: ${library} ${mode} done in ${results[i].seconds.toFixed(0)} s`);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, parallel) }, worker));
  return results;
}

/** The commit measured, and whether the package's sources differ from it. */
export function measuredCommit(pkgDir) {
  const git = (...args) => execFileSync("git", args, { cwd: REPO_DIR, encoding: "utf8" }).trim();
  let commit = git("rev-parse", "--short", "HEAD");
  if (git("status", "--porcelain", "--", "src", "js", "pkg-templates", "scripts", "Cargo.toml", "Cargo.lock")) commit += " (with uncommitted changes to the package)";
  if (resolve(pkgDir) !== resolve(REPO_DIR, "pkg")) commit += " (package from HELPDESK_OAUTH_PKG_DIR, not this tree's pkg/)";
  return commit;
}

function envNumber(name, fallback) {
  const v = process.env[name];
  if (v === undefined || v === "") return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer`);
  return n;
}

if (isMain(import.meta.url)) {
  const options = {
    flows: envNumber("SOAK_FLOWS", 150_000),
    every: envNumber("SOAK_EVERY", 5_000),
    yieldEachFlow: process.env.SOAK_YIELD !== "0",
    parallel: envNumber("SOAK_PARALLEL", 2),
    log: (line) => console.error(line),
  };
  const pkgDir = linkPackage();
  const t0 = performance.now();
  const results = await runSoak(options);
  const meta = {
    ...options,
    commit: measuredCommit(pkgDir),
    date: new Date().toISOString().slice(0, 10),
    node: process.version,
    machine: `${cpus().length} × ${cpus()[0]?.model?.trim() ?? "cpu"}`,
    wallSeconds: (performance.now() - t0) / 1000,
  };
  const text = soakMarkdown(results, meta);
  writeFileSync(join(BENCH_DIR, "soak-results.md"), text);
  writeFileSync(join(BENCH_DIR, "soak.svg"), soakSvg(results, meta));
  // benches/README.md quotes the tables between these markers (the reading around them is by hand).
  const readme = join(BENCH_DIR, "README.md");
  const START = "<!-- soak:start -->";
  const END = "<!-- soak:end -->";
  if (existsSync(readme)) {
    const r = readFileSync(readme, "utf8");
    const a = r.indexOf(START);
    const b = r.indexOf(END);
    const tables = text.slice(text.indexOf("\n## ") + 1, text.indexOf("\n## Samples")).replace(/^## /gm, "### ");
    const intro = text.split("\n").slice(2, 3).join("\n");
    if (a >= 0 && b > a) writeFileSync(readme, `${r.slice(0, a + START.length)}\n\n${intro}\n\n${tables}\n${r.slice(b)}`);
  }
  console.log(text);
}
