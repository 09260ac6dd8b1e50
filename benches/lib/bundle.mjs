// esbuild bundles of the library adapters, used for the workerd cold start and the size table.
import { build } from "esbuild";
import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { BENCH_DIR, linkPackage } from "./package-link.mjs";

const CONDITIONS = { workerd: ["workerd", "worker", "browser"], browser: ["browser"] };

/**
 * Bundles `entry` (with "bench-adapter" aliased to the adapter of `id`) into outDir/worker.mjs;
 * this package's wasm stays a separate file next to it, as each runtime loads it.
 */
export async function bundleAdapter({ id, entry, outDir, target = "workerd", minify = true }) {
  const pkgDir = linkPackage();
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, "worker.mjs");
  await build({
    entryPoints: [entry],
    bundle: true,
    minify,
    format: "esm",
    platform: "neutral",
    mainFields: ["module", "main"],
    conditions: CONDITIONS[target],
    alias: {
      "bench-adapter": join(BENCH_DIR, "lib", "libraries", `${id}.mjs`),
      crypto: join(BENCH_DIR, "lib", "crypto-shim.mjs"),
    },
    external: ["*.wasm"],
    outfile,
    logLevel: "error",
    nodePaths: [join(BENCH_DIR, "node_modules")],
  });
  const files = [outfile];
  if (id === "helpdesk-oauth") {
    copyFileSync(join(pkgDir, "helpdesk_oauth_bg.wasm"), join(outDir, "helpdesk_oauth_bg.wasm"));
    files.push(join(outDir, "helpdesk_oauth_bg.wasm"));
  }
  return files;
}
