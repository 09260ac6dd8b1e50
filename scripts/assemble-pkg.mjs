// Turns wasm-pack's output in pkg/ into the one npm package: our package.json (with the exports
// map), the per-runtime entries, the CommonJS build, the types and the npm README.
// Usage: node scripts/assemble-pkg.mjs [pkgDir]
import { readFileSync, writeFileSync, readdirSync, rmSync, copyFileSync, existsSync, mkdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { buildSync, transformSync } from "esbuild";
import { npmReadme } from "./npm-readme.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = process.argv[2] ?? join(root, "pkg");
const templates = join(root, "pkg-templates");

const cargo = readFileSync(join(root, "Cargo.toml"), "utf8");
const version = /^version\s*=\s*"([^"]+)"/m.exec(cargo)?.[1];
if (!version) throw new Error("no version in Cargo.toml");

// wasm-bindgen puts the JS error class under snippets/<crate>-<hash>/js/errors.js.
const snippetDirs = existsSync(join(pkg, "snippets")) ? readdirSync(join(pkg, "snippets")) : [];
const errorsModule = snippetDirs.map((d) => `./snippets/${d}/js/errors.js`).find((p) => existsSync(join(pkg, p)));
if (!errorsModule) throw new Error(`errors.js snippet not found in ${pkg}/snippets: run wasm-pack build first`);

const repository = /^repository\s*=\s*"([^"]+)"/m.exec(cargo)?.[1];
if (!repository) throw new Error("no repository in Cargo.toml");

const fill = (text) => text.replaceAll("{{version}}", version).replaceAll("{{repository}}", repository).replaceAll("{{errors_module}}", errorsModule);
const runtimes = ["node", "workerd", "browser"];
const entryTemplates = [...runtimes.flatMap((rt) => [`${rt}.mjs`, `init-${rt}.mjs`]), "api.mjs", "session-api.mjs", "handlers-api.mjs"];
for (const file of ["package.json", ...entryTemplates, "index.d.ts", "core.d.ts", "session.d.ts", "handlers.d.ts"]) {
  writeFileSync(join(pkg, file), fill(readFileSync(join(templates, file), "utf8")));
}
copyFileSync(join(root, "ERRORS.md"), join(pkg, "ERRORS.md"));
copyFileSync(join(root, "SECURITY.md"), join(pkg, "SECURITY.md"));
// The npm README is the repository's, without its repo-only parts and with absolute links.
writeFileSync(join(pkg, "README.md"), npmReadme(readFileSync(join(root, "README.md"), "utf8"), { name: "helpdesk-oauth", version, repository, shipped: new Set(["ERRORS.md", "SECURITY.md"]) }));
// The subpaths' entries, one per runtime: the runtime's wasm set-up, then the subpath's API (an
// app may import a subpath before, or without, the main entry).
for (const sub of ["session", "handlers"]) {
  for (const rt of runtimes) {
    writeFileSync(join(pkg, `${sub}-${rt}.mjs`), `// helpdesk-oauth/${sub} (${rt})\nimport "./init-${rt}.mjs";\n\nexport * from "./${sub}-api.mjs";\n`);
  }
}
// helpdesk-oauth/emulator (Node only): the local provider emulator, shipped as its source files.
// The provider flavours beyond Gorgias and Kustomer live in emulator/flavours/.
for (const dir of ["emulator", join("emulator", "flavours")]) {
  mkdirSync(join(pkg, dir), { recursive: true });
  for (const file of readdirSync(join(root, dir))) {
    if (/\.(mjs|d\.ts|json)$/.test(file)) copyFileSync(join(root, dir, file), join(pkg, dir, file));
  }
}
// The `helpdesk-oauth` command line (js/cli/): plain ESM that imports the package by its own name.
mkdirSync(join(pkg, "cli"), { recursive: true });
for (const file of readdirSync(join(root, "js", "cli"))) {
  if (file.endsWith(".js")) copyFileSync(join(root, "js", "cli", file), join(pkg, "cli", file));
}
// The JS layer, one file per job: the client around the synchronous wasm steps, the transport
// (fetch, timeout, body cap), the record classes, WebCrypto (signatures, cookie sealing), and the
// sessions and handlers. Each imports the one error class that the wasm throws too.
// read-body (bodies read with a cap on the decoded bytes), refresh-outcome (which refresh failures
// revoke) and bearer (the Authorization value) are shared with helpdesk-oauth/workers and the CLI.
const jsModules = ["client", "transport", "token-set", "pending", "inspect", "id-token-signature", "cookie", "session", "token-store", "retry-after", "read-body", "refresh-outcome", "bearer", "used-states", "handlers"];
// Every runtime loads these on every cold start: shipped without comments and whitespace (names
// kept, so stack traces stay readable; lines of at most 500 characters, so Node's report of an
// uncaught error never prints one huge line). The .d.ts files carry the documentation.
const shrink = (code) => transformSync(code, { minifyWhitespace: true, minifySyntax: true, format: "esm", target: "es2022", lineLimit: 500, legalComments: "none" }).code;
for (const name of jsModules) {
  writeFileSync(join(pkg, `${name}.mjs`), shrink(fill(readFileSync(join(root, "js", `${name}.js`), "utf8"))));
}
// helpdesk-oauth/node: the node:http / Express adapter for the handlers (no wasm), with its types.
writeFileSync(join(pkg, "node-adapter.mjs"), shrink(fill(readFileSync(join(root, "js", "node-adapter.js"), "utf8"))));
copyFileSync(join(root, "js", "node-adapter.d.ts"), join(pkg, "node-adapter.d.ts"));
// helpdesk-oauth/workers: Cloudflare-only parts (KV store, Durable Object), with their types.
mkdirSync(join(pkg, "workers"), { recursive: true });
for (const file of readdirSync(join(root, "js", "workers"))) {
  if (file.endsWith(".d.ts")) copyFileSync(join(root, "js", "workers", file), join(pkg, "workers", file));
  else if (file.endsWith(".js")) copyFileSync(join(root, "js", "workers", file), join(pkg, "workers", file.replace(/\.js$/, ".mjs")));
}

// helpdesk-oauth/postgres, /redis and /sealed (js/stores/): stores that take the app's own
// database client (never imported here) and the at-rest sealing wrapper; nothing in the main
// entry imports them. One directory down, so the errors module is one `..` further.
mkdirSync(join(pkg, "stores"), { recursive: true });
const fillStores = (text) => fill(text).replaceAll(`"${errorsModule}"`, `".${errorsModule}"`);
for (const file of readdirSync(join(root, "js", "stores"))) {
  if (file.endsWith(".d.ts")) copyFileSync(join(root, "js", "stores", file), join(pkg, "stores", file));
  else if (file.endsWith(".js")) writeFileSync(join(pkg, "stores", file.replace(/\.js$/, ".mjs")), fillStores(readFileSync(join(root, "js", "stores", file), "utf8")));
}

// The glue is loaded by every runtime on every cold start: ship it minified (exports keep their
// names; the .d.ts files carry the documentation), in lines of at most 500 characters so that
// Node's report of an uncaught error never prints one huge line as its source line.
const gluePath = join(pkg, "helpdesk_oauth.js");
writeFileSync(gluePath, transformSync(readFileSync(gluePath, "utf8"), { minify: true, format: "esm", target: "es2022", lineLimit: 500 }).code);

// CommonJS for `require()`: the ESM glue bundled with a __dirname-based loader.
writeFileSync(join(pkg, "node-cjs.mjs"), fill(readFileSync(join(templates, "node-cjs.mjs"), "utf8")));
buildSync({
  entryPoints: [join(pkg, "node-cjs.mjs")],
  outfile: join(pkg, "node.cjs"),
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  logLevel: "error",
  // The glue's async init refers to import.meta.url; the CJS entry never calls it.
  logOverride: { "empty-import-meta": "silent" },
});
rmSync(join(pkg, "node-cjs.mjs"));
// wasm-pack writes a .gitignore of "*", which npm would read as an ignore list.
rmSync(join(pkg, ".gitignore"), { force: true });
console.log(`assembled helpdesk-oauth ${version} in ${pkg}`);
