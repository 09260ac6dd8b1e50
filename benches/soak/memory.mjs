// What the soak reads about a process's memory, and how.
//
// - rss, heapUsed, heapTotal, external, arrayBuffers: process.memoryUsage().
// - peak RSS: process.resourceUsage().maxRSS, the kernel's high-water mark for the whole process
//   (start-up included), so a peak between two samples is not missed.
// - wasm memory: the byteLength of this package's WebAssembly.Memory. The package does not expose
//   it, so it is read from the wasm-bindgen glue module (helpdesk_oauth.js) of the built package:
//   importing it by its real path gives the very module instance the package's entry loaded (Node
//   keys ES modules by real path), and its initSync() returns that instance's exports once the
//   entry has initialised it (it compiles nothing the second time). Linear memory never shrinks,
//   so its size at any sample is also its peak so far.
import { realpathSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

/** A function returning the package's wasm memory size in bytes (the package must be imported first). */
export async function wasmMemoryReader(pkgDir) {
  await import("helpdesk-oauth"); // the entry initialises the wasm; the glue then hands back its exports
  const glue = await import(pathToFileURL(join(realpathSync(pkgDir), "helpdesk_oauth.js")).href);
  const exports = glue.initSync();
  if (!(exports?.memory instanceof WebAssembly.Memory)) throw new Error("the glue module did not hand back the package's wasm memory");
  return () => exports.memory.buffer.byteLength;
}

/** One reading, in bytes. */
export function reading(wasmBytes) {
  const m = process.memoryUsage();
  return {
    rss: m.rss,
    heapUsed: m.heapUsed,
    heapTotal: m.heapTotal,
    external: m.external,
    arrayBuffers: m.arrayBuffers,
    wasm: wasmBytes ? wasmBytes() : null,
  };
}

/** The kernel's peak RSS for this process, in bytes (maxRSS is in KiB on Linux). */
export function maxRssBytes() {
  return process.resourceUsage().maxRSS * 1024;
}
