// One soak run in a fresh Node process (started with --expose-gc by soak.mjs), so one library's
// heap never sits under the other's figures. Prints one JSON line: the samples and the peaks.
// Usage: node --expose-gc soak/child.mjs <library> <flow|session> <flows> <every> [yield]
// `yield` 1 (default): back to the event loop after every flow, as a server is between requests;
// 0: flows run back to back as one promise chain (a batch script), the loop yields only to sample.
import { setImmediate as nextTask } from "node:timers/promises";
import * as fx from "../lib/fixtures.mjs";
import { createResponder } from "../lib/responder.mjs";
import { linkPackage } from "../lib/package-link.mjs";
import { wasmMemoryReader, reading, maxRssBytes } from "./memory.mjs";

const LOOPS = { "helpdesk-oauth": "./loops/helpdesk-oauth.mjs", oauth4webapi: "./loops/oauth4webapi.mjs" };
// Past the fixtures' 24 h access-token lifetime: a Session sees the stored tokens as expired.
const LATER_MS = (fx.EXPIRES_IN + 3600) * 1000;
// Heap and RSS are also read (without gc) this many times per sample interval, for the peaks.
const PROBES_PER_SAMPLE = 20;

const [library, mode, flowsArg, everyArg, yieldArg = "1"] = process.argv.slice(2);
const yieldEachFlow = yieldArg !== "0";
const flows = Number(flowsArg);
const every = Number(everyArg);
if (!LOOPS[library] || !["flow", "session"].includes(mode) || !(flows > 0) || !(every > 0)) {
  throw new Error("usage: child.mjs <helpdesk-oauth|oauth4webapi> <flow|session> <flows> <every>");
}
if (typeof globalThis.gc !== "function") throw new Error("run with node --expose-gc");

/** What a loop gets: the fixtures, and the provider's token endpoint and the account's API answered in this process. */
function loopEnv() {
  const tokenEndpoint = createResponder();
  const refreshBody = fx.refreshResponse();
  let bearer = null;
  const api = createResponder();
  api.respondWith(JSON.stringify({ data: [], meta: { next_cursor: null } }));
  return {
    ...fx.adapterEnv(tokenEndpoint.fetch),
    callbackUrl: fx.callbackUrl,
    later: () => Date.now() + LATER_MS,
    provider: {
      // The user approved: the code exchange will answer with an id_token bound to the URL's nonce.
      authorized: (url) => tokenEndpoint.respondWith(fx.idTokenResponse(new URL(url).searchParams.get("nonce"))),
      refreshing: () => tokenEndpoint.respondWith(refreshBody),
    },
    apiFetch: (url, init) => {
      bearer = new Headers(init?.headers).get("authorization");
      return api.fetch(url, init);
    },
    lastBearer: () => bearer,
  };
}

async function settle() {
  // A server returns to the event loop between requests: finalizers and timers get their turn.
  await nextTask();
  globalThis.gc();
  await nextTask();
  globalThis.gc();
}

const env = loopEnv();
const wasmBytes = library === "helpdesk-oauth" ? await wasmMemoryReader(linkPackage()) : null;
const loop = (await import(LOOPS[library])).create(env);
const run = mode === "flow" ? loop.flow : loop.sessionFlow;
const expected = mode === "flow" ? fx.REFRESHED_ACCESS_TOKEN : `Bearer ${fx.REFRESHED_ACCESS_TOKEN}`;

await settle();
const samples = [{ flows: 0, ...reading(wasmBytes) }];
const peak = { rss: samples[0].rss, heapUsed: samples[0].heapUsed };
const probeEvery = Math.max(1, Math.floor(every / PROBES_PER_SAMPLE));
const t0 = performance.now();
let busyMs = 0; // time in flows only, without the sampling's gc()
let tStart = performance.now();
for (let i = 1; i <= flows; i++) {
  const got = await run();
  if (got !== expected) throw new Error(`flow ${i} ended with an unexpected token`);
  if (yieldEachFlow) await nextTask();
  if (i % probeEvery === 0) {
    const m = process.memoryUsage();
    if (m.rss > peak.rss) peak.rss = m.rss;
    if (m.heapUsed > peak.heapUsed) peak.heapUsed = m.heapUsed;
  }
  if (i % every === 0 || i === flows) {
    busyMs += performance.now() - tStart;
    await settle();
    samples.push({ flows: i, ...reading(wasmBytes) });
    tStart = performance.now();
  }
}
const seconds = (performance.now() - t0) / 1000;
process.stdout.write(
  `${JSON.stringify({ library, mode, flows, every, yieldEachFlow, seconds, flowsPerSecond: flows / (busyMs / 1000), maxRss: maxRssBytes(), peakRssSampled: peak.rss, peakHeapUsed: peak.heapUsed, samples })}\n`,
);
