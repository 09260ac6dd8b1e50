// `make bench`: every measurement in one run, written as Markdown tables to benches/results.md
// (and stdout). Re-run after every size or speed change; README.md quotes the latest figures.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { BENCH_DIR } from "./lib/package-link.mjs";
import { runCpu, cpuMarkdown } from "./cpu.mjs";
import { nodeColdStart, workerColdStart, coldStartMarkdown } from "./cold-start.mjs";
import { bundleSizes, sizeMarkdown, runtimeSizesMarkdown } from "./size.mjs";
import { runThroughput, throughputMarkdown } from "./throughput.mjs";

const load = { flows: 1500, seconds: 10, concurrency: 8, rounds: 2 };
// Reports name the commit they measured (with "+ local changes" when the tree was dirty).
const git = (...args) => execFileSync("git", args, { cwd: BENCH_DIR, encoding: "utf8" }).trim();
const commit = `${git("rev-parse", "--short", "HEAD")}${git("status", "--porcelain", "--", "../src", "../js", "../pkg-templates") ? " + local changes" : ""}`;
const sections = [
  `# Benchmark results (${new Date().toISOString()})`,
  "",
  `Machine: ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, shared and noisy; Node ${process.version}. One run; medians and ratios. Package built from commit ${commit}.`,
  "",
];
const step = (title) => console.error(`bench: ${title}`);

step("size");
sections.push("## Size: what each runtime loads from this package", "", runtimeSizesMarkdown(), "");
sections.push("## Size: the same flow bundled by esbuild (--bundle --minify --format=esm, browser condition)", "", sizeMarkdown(await bundleSizes()), "");
step("per-op CPU");
sections.push("## Per-operation CPU (fetch answered in-process)", "", cpuMarkdown(await runCpu()), "");
step("cold start (node)");
const nodeRows = await nodeColdStart({ runs: 20 });
step("cold start (workerd)");
const workerRows = await workerColdStart({ runs: 10 });
sections.push("## Cold start", "", coldStartMarkdown(nodeRows, workerRows), "");
step("throughput");
sections.push("## Throughput: install flow (node:http and workerd) against the local provider", "", throughputMarkdown(await runThroughput(load), load), "");

const text = sections.join("\n");
writeFileSync(join(BENCH_DIR, "results.md"), text);
// README.md quotes the latest run between these markers (its analysis around them is by hand).
const readme = join(BENCH_DIR, "README.md");
const START = "<!-- results:start -->";
const END = "<!-- results:end -->";
if (existsSync(readme)) {
  const r = readFileSync(readme, "utf8");
  const a = r.indexOf(START);
  const b = r.indexOf(END);
  if (a >= 0 && b > a) writeFileSync(readme, `${r.slice(0, a + START.length)}\n${text.replace(/^# .*\n/, "").replace(/^## /gm, "### ")}\n${r.slice(b)}`);
}
console.log(text);
