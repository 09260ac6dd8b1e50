// Bytes and gzip bytes of what each runtime loads: the wasm plus the JS it imports.
// Usage: node scripts/size.mjs [pkgDir]
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const pkg = process.argv[2] ?? "pkg";
const snippets = readdirSync(join(pkg, "snippets"), { recursive: true }).filter((f) => f.endsWith(".js")).map((f) => join("snippets", f));
const sets = {
  "wasm": ["helpdesk_oauth_bg.wasm"],
  "glue (helpdesk_oauth.js + api.mjs + errors.js)": ["helpdesk_oauth.js", "api.mjs", ...snippets],
  "node (ESM): wasm + glue + node.mjs": ["helpdesk_oauth_bg.wasm", "helpdesk_oauth.js", "api.mjs", "node.mjs", ...snippets],
  "node (CJS): wasm + node.cjs": ["helpdesk_oauth_bg.wasm", "node.cjs"],
  "workerd: wasm + glue + workerd.mjs": ["helpdesk_oauth_bg.wasm", "helpdesk_oauth.js", "api.mjs", "workerd.mjs", ...snippets],
  "browser: wasm + glue + browser.mjs": ["helpdesk_oauth_bg.wasm", "helpdesk_oauth.js", "api.mjs", "browser.mjs", ...snippets],
};
console.log("| what | bytes | gzip -9 bytes |\n| --- | ---: | ---: |");
for (const [name, files] of Object.entries(sets)) {
  const raw = files.reduce((n, f) => n + readFileSync(join(pkg, f)).length, 0);
  // Each file is fetched and compressed on its own, so gzip them separately.
  const gz = files.reduce((n, f) => n + gzipSync(readFileSync(join(pkg, f)), { level: 9 }).length, 0);
  console.log(`| ${name} | ${raw} | ${gz} |`);
}
