// The harness imports this package as "helpdesk-oauth", resolved through the built package's own
// `exports` map (node, workerd and browser conditions), from $HELPDESK_OAUTH_PKG_DIR (default
// <repo>/pkg). A symlink in benches/node_modules makes that work for Node and esbuild alike;
// `npm ci` removes it, so every entry point re-creates it first.
import { existsSync, lstatSync, mkdirSync, readlinkSync, rmSync, symlinkSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const BENCH_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const REPO_DIR = resolve(BENCH_DIR, "..");

export function packageDir() {
  return resolve(process.env.HELPDESK_OAUTH_PKG_DIR || join(REPO_DIR, "pkg"));
}

export function linkPackage() {
  const dir = packageDir();
  if (!existsSync(join(dir, "package.json")) || !existsSync(join(dir, "helpdesk_oauth_bg.wasm"))) {
    throw new Error(`no built package in ${dir}: run \`make build\` (or set HELPDESK_OAUTH_PKG_DIR)`);
  }
  if (!existsSync(join(BENCH_DIR, "node_modules", "oauth4webapi"))) {
    throw new Error("benches/node_modules is missing: run `npm ci` in benches/ (make bench does)");
  }
  const link = join(BENCH_DIR, "node_modules", "helpdesk-oauth");
  let current = null;
  try {
    current = lstatSync(link).isSymbolicLink() ? readlinkSync(link) : "not a link";
  } catch {}
  if (current !== dir) {
    if (current !== null) rmSync(link, { recursive: true, force: true });
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(dir, link, "dir");
  }
  return dir;
}
