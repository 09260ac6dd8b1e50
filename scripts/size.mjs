// What each runtime loads, counted honestly: every file an entry reaches by following its static
// imports (esbuild's metafile), plus the wasm it instantiates. Each file is gzipped on its own
// (-9), as a server or a registry would send it. Also: a minified esbuild bundle of an app that
// uses only `authorize` + `exchangeCode`, to show what tree-shaking keeps.
// Usage: node scripts/size.mjs [pkgDir] [--json]
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { tmpdir } from "node:os";
import { gzipSync } from "node:zlib";
import { buildSync } from "esbuild";

const args = process.argv.slice(2);
const pkg = resolve(args.find((a) => !a.startsWith("--")) ?? "pkg");
const asJson = args.includes("--json");
const WASM = "helpdesk_oauth_bg.wasm";

const gz = (bytes) => gzipSync(bytes, { level: 9 }).length;

/** The files `entry` reaches through static imports, as paths relative to the package. */
function reached(entry, platform) {
  const result = buildSync({
    entryPoints: [join(pkg, entry)],
    bundle: true,
    write: false,
    metafile: true,
    platform,
    format: entry.endsWith(".cjs") ? "cjs" : "esm",
    logLevel: "silent",
    external: ["node:*"],
    // workerd's entry imports the wasm module itself; the other entries read or fetch it by URL.
    loader: { ".wasm": "empty" },
  });
  return Object.keys(result.metafile.inputs).map((p) => relative(pkg, resolve(p)));
}

function measure(files) {
  const list = [...new Set([...files, WASM])].sort();
  let raw = 0;
  let zipped = 0;
  for (const f of list) {
    const bytes = readFileSync(join(pkg, f));
    raw += bytes.length;
    zipped += gz(bytes);
  }
  return { files: list, raw, gzip: zipped };
}

const rows = {
  "Node ESM (`import`)": measure(reached("node.mjs", "node")),
  "Node CJS (`require`)": measure(reached("node.cjs", "node")),
  "Cloudflare Workers (workerd)": measure(reached("workerd.mjs", "neutral")),
  browser: measure(reached("browser.mjs", "browser")),
  "Node ESM, `helpdesk-oauth/session` (with the main entry)": measure([...reached("node.mjs", "node"), ...reached("session-node.mjs", "node")]),
  "Node ESM, `helpdesk-oauth/handlers` (with the main entry)": measure([...reached("node.mjs", "node"), ...reached("handlers-node.mjs", "node")]),
  "wasm alone": measure([]),
};

// An app that only authorizes and exchanges codes, bundled and minified for the browser.
const dir = mkdtempSync(join(tmpdir(), "helpdesk-oauth-size-"));
try {
  const app = join(dir, "app.mjs");
  writeFileSync(
    app,
    `import { OAuthClient } from ${JSON.stringify(join(pkg, "browser.mjs"))};
const client = new OAuthClient({ provider: "gorgias", clientId: "c", clientSecret: "s", redirectUri: "https://app.example/cb", scopes: ["openid", "offline"] });
const req = client.authorize({ account: "acme" });
globalThis.done = client.exchangeCode(location.href, req.pending.serialize());\n`,
  );
  const out = buildSync({ entryPoints: [app], bundle: true, minify: true, write: false, format: "esm", platform: "browser", target: "es2022", logLevel: "silent", loader: { ".wasm": "file" }, outdir: dir });
  const js = out.outputFiles.find((f) => f.path.endsWith(".js")).contents;
  const wasm = readFileSync(join(pkg, WASM));
  rows["bundle: authorize + exchangeCode only (esbuild, minified)"] = { files: ["app.js", WASM], raw: js.length + wasm.length, gzip: gz(js) + gz(wasm) };
} finally {
  rmSync(dir, { recursive: true, force: true });
}

if (asJson) {
  console.log(JSON.stringify(rows, null, 2));
} else {
  console.log("| what a runtime loads | files | bytes | gzip -9 bytes |\n| --- | ---: | ---: | ---: |");
  for (const [name, r] of Object.entries(rows)) console.log(`| ${name} | ${r.files.length} | ${r.raw} | ${r.gzip} |`);
}
