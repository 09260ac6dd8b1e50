// One Worker in workerd (npm miniflare: `cf: false`, the wasm as a CompiledWasm module, as
// wrangler deploys it), listening on 127.0.0.1:<port>, in its own process so the load goes over
// loopback HTTP straight to workerd. Prints {"url": ...} once ready; SIGTERM disposes it.
// Usage: node worker-process.mjs <bundle dir holding worker.mjs> <port> <bindings as JSON> [durableObjects as JSON]
import { join } from "node:path";
import { Miniflare } from "miniflare";

const [dir, port, bindings, durableObjects] = process.argv.slice(2);
const mf = new Miniflare({
  modules: true,
  scriptPath: join(dir, "worker.mjs"),
  modulesRoot: dir,
  modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
  compatibilityDate: "2025-06-01",
  cf: false,
  host: "127.0.0.1",
  port: Number(port),
  bindings: JSON.parse(bindings),
  ...(durableObjects ? { durableObjects: JSON.parse(durableObjects) } : {}),
});
const url = await mf.ready;
process.stdout.write(`${JSON.stringify({ url: url.origin })}\n`);
process.on("SIGTERM", () => mf.dispose().then(() => process.exit(0)));
