// The soak's figures as Markdown (benches/soak-results.md) and as an SVG plot (benches/soak.svg).
import { fmt } from "../lib/stats.mjs";
import { lineChartSvg } from "./svg-plot.mjs";

const MB = 1024 * 1024;
const mb = (bytes, digits = 1) => (bytes === null || bytes === undefined ? "–" : fmt(bytes / MB, digits));
const REFERENCE = "oauth4webapi";
export const MODES = {
  flow: "install + refresh the README's way (authorize, pending.serialize(), exchangeCode, tokens.serialize(), TokenSet.fromJSON, refresh)",
  session: "install, then createSession + session.fetch once the access token has expired (refresh, store, API call)",
};
// The live heap (after gc) is read as flat when both its fitted growth after warm-up and its change
// from the 2nd to the last sample stay below this.
const FLAT_BYTES = MB;

/** Least-squares growth of the live heap from the 2nd to the last sample (the 1st is before warm-up). */
export function liveHeapTrend(samples) {
  const pts = samples.slice(1);
  if (pts.length < 2) return { growth: 0, perFlow: 0, delta: 0, min: pts[0]?.heapUsed ?? 0, max: pts[0]?.heapUsed ?? 0 };
  const n = pts.length;
  const mx = pts.reduce((a, p) => a + p.flows, 0) / n;
  const my = pts.reduce((a, p) => a + p.heapUsed, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const p of pts) {
    sxy += (p.flows - mx) * (p.heapUsed - my);
    sxx += (p.flows - mx) ** 2;
  }
  const perFlow = sxx === 0 ? 0 : sxy / sxx;
  const heaps = pts.map((p) => p.heapUsed);
  return {
    perFlow,
    growth: perFlow * (pts[n - 1].flows - pts[0].flows),
    delta: pts[n - 1].heapUsed - pts[0].heapUsed,
    min: Math.min(...heaps),
    max: Math.max(...heaps),
  };
}

function rows(results, mode) {
  const ref = results.find((r) => r.library === REFERENCE && r.mode === mode);
  const ratio = (v, base) => (ref && base ? `${fmt(v / base, 2)}×` : "–");
  return results
    .filter((r) => r.mode === mode)
    .map((r) => {
      const t = liveHeapTrend(r.samples);
      const last = r.samples[r.samples.length - 1];
      const name = r.library === REFERENCE ? r.library : `**${r.library}**`;
      return `| ${name} | ${mb(r.maxRss)} | ${ratio(r.maxRss, ref?.maxRss)} | ${mb(r.peakHeapUsed)} | ${ratio(r.peakHeapUsed, ref?.peakHeapUsed)} | ${mb(r.samples[1]?.heapUsed, 2)} → ${mb(last.heapUsed, 2)} | ${t.growth >= 0 ? "+" : ""}${mb(t.growth, 2)} (${fmt(t.perFlow, 1)} B/flow) | ${mb(last.rss)} | ${r.library === REFERENCE ? "–" : `${mb(r.samples[0].wasm, 2)} → ${mb(last.wasm, 2)}`} | ${fmt(r.seconds, 0)} | ${fmt(r.flowsPerSecond, 0)} |`;
    });
}

function targets(results) {
  const out = [];
  for (const mode of Object.keys(MODES)) {
    const own = results.find((r) => r.library !== REFERENCE && r.mode === mode);
    const ref = results.find((r) => r.library === REFERENCE && r.mode === mode);
    if (!own || !ref) continue;
    const ratio = own.maxRss / ref.maxRss;
    const t = liveHeapTrend(own.samples);
    const tr = liveHeapTrend(ref.samples);
    out.push(
      `- ${mode}: peak RSS ${fmt(ratio, 2)}× oauth4webapi's (target ≤ 1.2×: ${ratio <= 1.2 ? "met" : "**missed**"}); ` +
        `live heap after warm-up ${Math.abs(t.growth) < FLAT_BYTES && Math.abs(t.delta) < FLAT_BYTES ? "flat" : "**not flat**"} ` +
        `(fitted growth ${mb(t.growth, 2)} MB, 2nd → last sample ${mb(t.delta, 2)} MB; oauth4webapi ${mb(tr.growth, 2)} and ${mb(tr.delta, 2)} MB; "flat" = both under 1 MB).`,
    );
  }
  return out;
}

/** @param meta {{ commit: string, date: string, node: string, machine: string, flows: number, every: number, yieldEachFlow: boolean, wallSeconds: number, parallel: number }} */
export function soakMarkdown(results, meta) {
  const lines = [
    `# Soak: memory over ${fmt(meta.flows)} flows, one fresh Node process per library and loop`,
    "",
    `Commit ${meta.commit}, ${meta.date}; Node ${meta.node}; ${meta.machine}, shared and noisy. ` +
      `Sampled every ${fmt(meta.every)} flows after \`gc()\` (node --expose-gc); ` +
      (meta.yieldEachFlow ? "each flow ends with a return to the event loop (as a server between requests). " : "flows run back to back as one promise chain (no return to the event loop between flows). ") +
      `${meta.parallel} process(es) at a time (the two libraries of a loop side by side); the whole run took ${fmt(meta.wallSeconds / 60, 1)} min.`,
    "",
    "Columns: **peak RSS** is the kernel's high-water mark for the process (`process.resourceUsage().maxRSS`, start-up included); " +
      "**peak JS heap** is the largest `heapUsed` read without gc (20 reads per sample interval); **live heap** is `heapUsed` after gc at the 2nd sample (after warm-up) and at the last; " +
      "**fitted growth** is the least-squares slope of the live heap over those samples times the flows between them; **RSS at end** is after the last gc; " +
      "**wasm memory** is this package's `WebAssembly.Memory` `buffer.byteLength` at the first and last sample (read through the glue module's own exports, see benches/soak/memory.mjs; linear memory never shrinks, so the last is its peak). " +
      "Time is wall-clock for the whole process; flows/s leaves out the sampling's gc().",
    "",
  ];
  for (const [mode, what] of Object.entries(MODES)) {
    if (!results.some((r) => r.mode === mode)) continue;
    lines.push(
      `## ${mode === "flow" ? "Install + refresh" : "Session: API call after expiry"}`,
      "",
      `${what}; fetch answered in-process.`,
      "",
      "| library | peak RSS MB | × oauth4webapi | peak JS heap MB | × oauth4webapi | live heap MB (2nd → last sample) | fitted growth MB | RSS at end MB | wasm memory MB | time s | flows/s |",
      "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
      ...rows(results, mode),
      "",
    );
  }
  lines.push("## Targets (issue 16)", "", ...targets(results), "", "![RSS and live JS heap after gc, per sample](soak.svg)", "");
  lines.push("## Samples (MB, after gc)", "", "| flows | " + results.map((r) => `${r.library} ${r.mode} RSS / heap${r.library === REFERENCE ? "" : " / wasm"}`).join(" | ") + " |");
  lines.push(`| ---: | ${results.map(() => "---:").join(" | ")} |`);
  const count = Math.max(...results.map((r) => r.samples.length));
  for (let i = 0; i < count; i++) {
    const flows = results.find((r) => r.samples[i])?.samples[i].flows;
    const cells = results.map((r) => {
      const s = r.samples[i];
      if (!s) return "";
      return `${mb(s.rss)} / ${mb(s.heapUsed, 2)}${r.library === REFERENCE ? "" : ` / ${mb(s.wasm, 2)}`}`;
    });
    lines.push(`| ${fmt(flows)} | ${cells.join(" | ")} |`);
  }
  return `${lines.join("\n")}\n`;
}

const COLORS = { "helpdesk-oauth": "#1f6fb4", oauth4webapi: "#e0761b" };
const DASH = { flow: undefined, session: "6 4" };

export function soakSvg(results, meta) {
  const series = (field) =>
    results.map((r) => ({
      name: `${r.library} — ${r.mode === "flow" ? "install + refresh" : "session.fetch after expiry"}`,
      color: COLORS[r.library] ?? "#555",
      dash: DASH[r.mode],
      points: r.samples.map((s) => [s.flows, s[field] / MB]),
    }));
  return lineChartSvg({
    title: `Soak at ${meta.commit}: memory after gc() every ${fmt(meta.every)} flows (one process per line)`,
    xLabel: "flows",
    panels: [
      { title: "RSS (MB)", yLabel: "MB", series: series("rss") },
      { title: "JS heap used (MB)", yLabel: "MB", series: series("heapUsed") },
    ],
  });
}
