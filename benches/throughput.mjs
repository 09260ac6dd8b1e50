// Throughput of the node:http install flow (benches/throughput/app.mjs) under a small, bounded
// loopback load generator: each virtual user runs install → provider authorize → callback (the
// app exchanges the code at the local provider) with a fixed concurrency, until `flows` flows or
// `seconds` have passed. Provider, app and generator are three processes on 127.0.0.1.
// Usage: node throughput.mjs [--flows N] [--seconds N] [--concurrency N] [--rounds N]
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { BENCH_DIR, linkPackage } from "./lib/package-link.mjs";
import { summary, fmt } from "./lib/stats.mjs";
import { isMain, parseArgs } from "./lib/cli.mjs";

// The real fetch, kept before any adapter (arctic's) replaces the global one with a responder.
const realFetch = globalThis.fetch;

export const VARIANTS = ["helpdesk-oauth", "oauth4webapi"];
const CLIENT_ID = "benchClient7f3a";
const CLIENT_SECRET = "benchSecret0123456789abcdefABCDEF";

async function freePort() {
  const s = createServer();
  s.listen(0, "127.0.0.1");
  await once(s, "listening");
  const { port } = s.address();
  s.close();
  await once(s, "close");
  return port;
}

// Starts a node child that prints one JSON line when ready.
async function startChild(script, args) {
  const child = spawn(process.execPath, [join(BENCH_DIR, "throughput", script), ...args], { stdio: ["ignore", "pipe", "inherit"] });
  const line = await Promise.race([
    once(createInterface({ input: child.stdout }), "line").then(([l]) => l),
    once(child, "exit").then(([code]) => {
      throw new Error(`${script} exited with ${code} before it was ready`);
    }),
  ]);
  return { child, ...JSON.parse(line) };
}

async function stop(child) {
  if (child.exitCode !== null) return;
  child.kill("SIGTERM");
  await once(child, "exit");
}

async function oneFlow(appUrl) {
  const t0 = performance.now();
  const install = await realFetch(`${appUrl}/install?account=acme`, { redirect: "manual" });
  await install.arrayBuffer();
  const cookie = install.headers.get("set-cookie")?.split(";")[0];
  if (install.status !== 302 || !cookie) throw new Error(`install answered ${install.status}`);
  const authorize = await realFetch(install.headers.get("location"), { redirect: "manual" });
  await authorize.arrayBuffer();
  if (authorize.status !== 302) throw new Error(`authorize answered ${authorize.status}`);
  const t1 = performance.now();
  const callback = await realFetch(authorize.headers.get("location"), { headers: { cookie } });
  const text = await callback.text();
  if (callback.status !== 200) throw new Error(`callback answered ${callback.status}: ${text}`);
  const t2 = performance.now();
  return { flow: t2 - t0, callback: t2 - t1 };
}

async function load(appUrl, { flows, seconds, concurrency }) {
  const flowMs = [];
  const callbackMs = [];
  let started = 0;
  const deadline = performance.now() + seconds * 1000;
  const t0 = performance.now();
  const user = async () => {
    while (started < flows && performance.now() < deadline) {
      started++;
      const r = await oneFlow(appUrl);
      flowMs.push(r.flow);
      callbackMs.push(r.callback);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, user));
  const elapsed = (performance.now() - t0) / 1000;
  return { flowMs, callbackMs, elapsed };
}

export async function runThroughput({ flows = 1500, seconds = 10, concurrency = 8, warmup = 100, rounds = 2 } = {}) {
  linkPackage();
  const appPort = await freePort();
  const redirectUri = `http://127.0.0.1:${appPort}/oauth/callback`;
  const provider = await startChild("provider-process.mjs", [CLIENT_ID, CLIENT_SECRET, redirectUri]);
  const acc = Object.fromEntries(VARIANTS.map((v) => [v, { flowMs: [], callbackMs: [], flows: 0, elapsed: 0 }]));
  try {
    for (let r = 0; r < rounds; r++) {
      for (const variant of r % 2 ? [...VARIANTS].reverse() : VARIANTS) {
        const app = await startChild("app.mjs", [variant, String(appPort), provider.url, CLIENT_ID, CLIENT_SECRET]);
        try {
          await load(app.url, { flows: warmup, seconds, concurrency });
          const res = await load(app.url, { flows, seconds, concurrency });
          const a = acc[variant];
          a.flowMs.push(...res.flowMs);
          a.callbackMs.push(...res.callbackMs);
          a.flows += res.flowMs.length;
          a.elapsed += res.elapsed;
        } finally {
          await stop(app.child);
        }
      }
    }
  } finally {
    await stop(provider.child);
  }
  return VARIANTS.map((v) => ({ variant: v, flows: acc[v].flows, perSecond: acc[v].flows / acc[v].elapsed, flow: summary(acc[v].flowMs), callback: summary(acc[v].callbackMs) }));
}

export function throughputMarkdown(rows, { concurrency, rounds }) {
  const out = [
    `${concurrency} virtual users, ${rounds} alternating round(s) per variant; one flow = 3 HTTP requests (install, provider authorize, callback with code exchange).`,
    "",
    "| app | flows | flows/s | requests/s | flow p50 ms | flow p99 ms | callback p50 ms | callback p99 ms |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const r of rows) {
    const name = r.variant === "helpdesk-oauth" ? "**helpdesk-oauth**" : r.variant;
    out.push(`| ${name} | ${r.flows} | ${fmt(r.perSecond)} | ${fmt(r.perSecond * 3)} | ${fmt(r.flow.median, 2)} | ${fmt(r.flow.p99, 2)} | ${fmt(r.callback.median, 2)} | ${fmt(r.callback.p99, 2)} |`);
  }
  return out.join("\n");
}

if (isMain(import.meta.url)) {
  const args = parseArgs({ flows: 1500, seconds: 10, concurrency: 8, rounds: 2 });
  const rows = await runThroughput(args);
  console.log(throughputMarkdown(rows, args));
}
