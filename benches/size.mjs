// Size: (a) what each runtime loads from this package (scripts/size.mjs on the built package);
// (b) every library's adapter (the whole flow: authorize, callback + exchange, refresh, id_token
// claims) bundled by esbuild --bundle --minify --format=esm --platform=neutral with the browser
// condition; this package's wasm counts beside its bundled JS. gzip -9, each file on its own.
// Usage: node size.mjs
import { execFileSync } from "node:child_process";
import { readFileSync, mkdtempSync, rmSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { BENCH_DIR, REPO_DIR, linkPackage } from "./lib/package-link.mjs";
import { bundleAdapter } from "./lib/bundle.mjs";
import { LIBRARIES, loadLibrary } from "./lib/libraries/index.mjs";
import { fmt } from "./lib/stats.mjs";
import { isMain } from "./lib/cli.mjs";

const sizes = (file) => {
  const bytes = readFileSync(file);
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
};

export async function bundleSizes({ libraries = LIBRARIES } = {}) {
  const root = mkdtempSync(join(tmpdir(), "helpdesk-oauth-bench-size-"));
  try {
    const rows = [];
    for (const id of libraries) {
      const files = await bundleAdapter({ id, entry: join(BENCH_DIR, "lib", "libraries", `${id}.mjs`), outDir: join(root, id), target: "browser" });
      const [js, wasm] = files.map(sizes);
      rows.push({
        id,
        name: (await loadLibrary(id)).name,
        js,
        wasm,
        total: { raw: js.raw + (wasm?.raw ?? 0), gzip: js.gzip + (wasm?.gzip ?? 0) },
      });
    }
    const peers = rows.filter((r) => r.id !== "helpdesk-oauth");
    const smallest = Math.min(...peers.map((r) => r.total.gzip));
    for (const r of rows) r.ratio = r.total.gzip / smallest;
    return rows;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

export function runtimeSizesMarkdown() {
  const pkgDir = linkPackage();
  return execFileSync(process.execPath, [join(REPO_DIR, "scripts", "size.mjs"), pkgDir], { encoding: "utf8" }).trim();
}

export function sizeMarkdown(rows) {
  const out = ["| library (bundled flow) | JS bytes | JS gzip | wasm bytes | wasm gzip | total gzip | × smallest peer |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"];
  for (const r of rows) {
    const name = r.id === "helpdesk-oauth" ? "**helpdesk-oauth**" : r.name;
    out.push(`| ${name} | ${fmt(r.js.raw)} | ${fmt(r.js.gzip)} | ${r.wasm ? fmt(r.wasm.raw) : "–"} | ${r.wasm ? fmt(r.wasm.gzip) : "–"} | ${fmt(r.total.gzip)} | ${fmt(r.ratio, 2)} |`);
  }
  return out.join("\n");
}

if (isMain(import.meta.url)) {
  console.log(runtimeSizesMarkdown(), "\n");
  console.log(sizeMarkdown(await bundleSizes()));
}
