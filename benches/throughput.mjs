// Throughput of the install flow under a small, bounded loopback load generator: each virtual
// user runs install → provider authorize → callback (the app exchanges the code at the local
// provider) with a fixed concurrency, until `flows` flows or `seconds` have passed. The apps
// (throughput/apps.mjs) are this package and oauth4webapi in node:http and in workerd (the
// package's handlers, examples/node-http, examples/cloudflare-worker). Provider, app and
// generator are three processes on 127.0.0.1.
// Usage: node throughput.mjs [--flows N] [--seconds N] [--concurrency N] [--rounds N] [--variants a,b]
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { BENCH_DIR, linkPackage } from "./lib/package-link.mjs";
import { summary, fmt } from "./lib/stats.mjs";
import { isMain, parseArgs } from "./lib/cli.mjs";
import { APPS, VARIANTS, prepareApps, appCommand } from "./throughput/apps.mjs";

// The real fetch, kept before any adapter (arctic's) replaces the global one with a responder.
const realFetch = globalThis.fetch;

export { APPS, VARIANTS };
const CLIENT_ID = "benchClient7f3a";
const CLIENT_SECRET = "benchSecret0123456789abcdefABCDEF";

export async function freePort() {
  const s = createServer();
  s.listen(0, "127.0.0.1");
  await once(s, "listening");
  const { port } = s.address();
  s.close();
  await once(s, "close");
  return port;
}

// Starts a node child that prints one JSON line when ready.
export async function startChild(script, args) {
  const child = spawn(process.execPath, [join(BENCH_DIR, "throughput", script), ...args], { stdio: ["ignore", "pipe", "inherit"] });
  const line = await Promise.race([
    once(createInterface({ input: child.stdout }), "line").then(([l]) => l),
    once(child, "exit").then(([code]) => {
      throw new Error(`${script} exited with ${code} before it was ready`);
    }),
  ]);
  return { child, ...JSON.parse(line) };
}

export async function stop(child) {
  if (child.exitCode !== null) return;
  child.kill("SIGTERM");
  await once(child, "exit");
}

export async function oneFlow(appUrl) {
  const t0 = performance.now();
  const install = await realFetch(`${appUrl}/install?account=acme`, { redirect: "manual" });
  await install.arrayBuffer();
  const cookie = install.headers.get("set-cookie")?.split(";")[0];
  if (install.status !== 302 || !cookie) throw new Error(`install answered ${install.status}`);
  const authorize = await realFetch(install.headers.get("location"), { redirect: "manual" });
  await authorize.arrayBuffer();
  if (authorize.status !== 302) throw new Error(`authorize answered ${authorize.status}`);
  const t1 = performance.now();
  // The package's handlers answer 303 to the return path once the tokens are stored; the
  // hand-written apps answer 200. The 303 is not followed: one flow stays three requests.
  const callback = await realFetch(authorize.headers.get("location"), { headers: { cookie }, redirect: "manual" });
  const text = await callback.text();
  const done = callback.status === 200 || (callback.status === 303 && callback.headers.get("location") === "/installed");
  if (!done) throw new Error(`callback answered ${callback.status}: ${text.slice(0, 300)}`);
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

export async function runThroughput({ flows = 1500, seconds = 10, concurrency = 8, warmup = 100, rounds = 2, variants = VARIANTS } = {}) {
  linkPackage();
  for (const v of variants) if (!APPS[v]) throw new Error(`unknown variant ${v} (known: ${VARIANTS.join(", ")})`);
  const prepared = await prepareApps(variants);
  const appPort = await freePort();
  const redirectUri = `http://127.0.0.1:${appPort}/oauth/callback`;
  const provider = await startChild("provider-process.mjs", [CLIENT_ID, CLIENT_SECRET, redirectUri]);
  const acc = Object.fromEntries(variants.map((v) => [v, { flowMs: [], callbackMs: [], flows: 0, elapsed: 0 }]));
  try {
    for (let r = 0; r < rounds; r++) {
      for (const variant of r % 2 ? [...variants].reverse() : variants) {
        const app = await startChild(...appCommand(variant, { port: appPort, providerUrl: provider.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, dirs: prepared.dirs }));
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
    prepared.cleanup();
  }
  return variants.map((v) => ({ variant: v, flows: acc[v].flows, perSecond: acc[v].flows / acc[v].elapsed, flow: summary(acc[v].flowMs), callback: summary(acc[v].callbackMs) }));
}

export function throughputMarkdown(rows, { concurrency, rounds }) {
  const out = [
    `${concurrency} virtual users, ${rounds} alternating round(s) per variant; one flow = 3 HTTP requests (install, provider authorize, callback with code exchange). Every app listens on the same 127.0.0.1 port in its own process (node, or workerd via miniflare).`,
    "",
    "| library | runtime | app | flows | flows/s | requests/s | flow p50 ms | flow p99 ms | callback p50 ms | callback p99 ms |",
    "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const r of rows) {
    const a = APPS[r.variant];
    const name = a.library === "helpdesk-oauth" ? "**helpdesk-oauth**" : a.library;
    out.push(`| ${name} | ${a.runtime} | ${a.app} | ${r.flows} | ${fmt(r.perSecond)} | ${fmt(r.perSecond * 3)} | ${fmt(r.flow.median, 2)} | ${fmt(r.flow.p99, 2)} | ${fmt(r.callback.median, 2)} | ${fmt(r.callback.p99, 2)} |`);
  }
  return out.join("\n");
}

if (isMain(import.meta.url)) {
  const args = parseArgs({ flows: 1500, seconds: 10, concurrency: 8, rounds: 2, variants: VARIANTS.join(",") });
  const rows = await runThroughput({ ...args, variants: args.variants.split(",") });
  console.log(throughputMarkdown(rows, args));
}
