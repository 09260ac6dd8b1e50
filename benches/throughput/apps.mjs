// The apps the throughput bench drives, each the same install → callback flow on the same port:
// how to prepare and start each one as its own process (node:http or workerd). Worker variants are
// bundled by esbuild with the workerd condition (the package's wasm stays a file beside the
// bundle, loaded as a CompiledWasm module), the way wrangler builds them.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { BENCH_DIR, REPO_DIR, linkPackage } from "../lib/package-link.mjs";
import { providerConfig } from "../../emulator/index.mjs";

// No `openid`: the provider (like Gorgias) sends an integer id_token `sub`, which oauth4webapi
// refuses, so every variant runs the flow without an id_token (as app.mjs does).
export const SCOPES = "email profile offline tickets:read";
export const COOKIE_SECRET = "bench-cookie-secret-0123456789abcdefABCDEF";

/**
 * id → { library, runtime, app, script, worker? }. `worker`: the entry bundled for workerd;
 * `durableObjects`: bindings for examples/cloudflare-worker's token store.
 */
export const APPS = {
  "helpdesk-oauth": { library: "helpdesk-oauth", runtime: "node:http", app: "hand-written (`throughput/app.mjs`): `authorize` + `exchangeCode`, server-side session" },
  oauth4webapi: { library: "oauth4webapi", runtime: "node:http", app: "hand-written (`throughput/app.mjs`), server-side session" },
  "handlers-node-http": { library: "helpdesk-oauth", runtime: "node:http", app: "handlers via `examples/node-http` (Request/Response adapter, MemoryTokenStore)" },
  "handlers-workerd": { library: "helpdesk-oauth", runtime: "workerd", app: "handlers in a minimal Worker (`throughput/handlers-worker.mjs`), tokens in isolate memory", worker: join(BENCH_DIR, "throughput", "handlers-worker.mjs") },
  "example-worker": {
    library: "helpdesk-oauth",
    runtime: "workerd",
    app: "`examples/cloudflare-worker` as shipped: handlers, tokens saved in a Durable Object",
    worker: join(REPO_DIR, "examples", "cloudflare-worker", "src", "index.js"),
    durableObjects: { TOKENS: "HelpdeskTokens" },
  },
  "oauth4webapi-workerd": { library: "oauth4webapi", runtime: "workerd", app: "hand-written Worker (`throughput/oauth4webapi-worker.mjs`), session in isolate memory", worker: join(BENCH_DIR, "throughput", "oauth4webapi-worker.mjs") },
};
export const VARIANTS = Object.keys(APPS);

/** Bundles the Worker variants among `ids` into a scratch dir; returns { dirs, cleanup }. */
export async function prepareApps(ids) {
  const pkgDir = linkPackage();
  const root = mkdtempSync(join(tmpdir(), "helpdesk-oauth-bench-throughput-"));
  const dirs = {};
  for (const id of ids.filter((i) => APPS[i].worker)) {
    const dir = join(root, id);
    mkdirSync(dir);
    await build({
      entryPoints: [APPS[id].worker],
      outfile: join(dir, "worker.mjs"),
      bundle: true,
      format: "esm",
      platform: "neutral",
      target: "es2022",
      conditions: ["workerd", "worker", "browser"],
      mainFields: ["module", "main"],
      nodePaths: [join(BENCH_DIR, "node_modules")],
      external: ["*.wasm"],
      logLevel: "error",
    });
    copyFileSync(join(pkgDir, "helpdesk_oauth_bg.wasm"), join(dir, "helpdesk_oauth_bg.wasm"));
    dirs[id] = dir;
  }
  return { dirs, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** [script, args] that start app `id` on 127.0.0.1:port against the provider at providerUrl. */
export function appCommand(id, { port, providerUrl, clientId, clientSecret, dirs }) {
  const redirectUri = `http://127.0.0.1:${port}/oauth/callback`;
  const provider = JSON.stringify(providerConfig(providerUrl, "gorgias"));
  const a = APPS[id];
  if (a.runtime === "node:http" && a.library === "helpdesk-oauth" && id !== "helpdesk-oauth") {
    return ["node-http-example.mjs", [String(port), provider, clientId, clientSecret, COOKIE_SECRET, SCOPES]];
  }
  if (a.runtime === "node:http") return ["app.mjs", [id, String(port), providerUrl, clientId, clientSecret]];
  const bindings = { PROVIDER: provider, PROVIDER_URL: providerUrl, CLIENT_ID: clientId, CLIENT_SECRET: clientSecret, REDIRECT_URI: redirectUri, COOKIE_SECRET, SCOPES };
  const args = [dirs[id], String(port), JSON.stringify(bindings)];
  if (a.durableObjects) args.push(JSON.stringify(a.durableObjects));
  return ["worker-process.mjs", args];
}
