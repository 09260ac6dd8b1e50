// The shipped TypeScript types: real usage compiles under --strict, misuse does not, and the
// public declarations contain no `any`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, cpSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const pkgDir = process.env.HELPDESK_OAUTH_PKG_DIR ?? join(root, "pkg");

test("usage.ts type-checks against the package with --strict", () => {
  const dir = mkdtempSync(join(tmpdir(), "helpdesk-oauth-types-"));
  mkdirSync(join(dir, "node_modules"), { recursive: true });
  cpSync(pkgDir, join(dir, "node_modules", "helpdesk-oauth"), { recursive: true });
  writeFileSync(join(dir, "usage.ts"), readFileSync(join(root, "tests", "types", "usage.ts")));
  const tsc = join(dirname(createRequire(join(root, "package.json")).resolve("typescript/package.json")), "bin", "tsc");
  const args = [tsc, "--strict", "--noEmit", "--target", "es2022", "--module", "nodenext", "--moduleResolution", "nodenext", "--lib", "es2022,dom,esnext.disposable", "--types", "", "usage.ts"];
  try {
    execFileSync(process.execPath, args, { cwd: dir, encoding: "utf8" });
  } catch (e) {
    assert.fail(`tsc reported errors:\n${e.stdout}${e.stderr}`);
  }
});

test("the public declarations contain no `any`", () => {
  const index = readFileSync(join(pkgDir, "index.d.ts"), "utf8");
  assert.doesNotMatch(index, /\bany\b/);
  // The core API's declarations (hand-written: the classes are JS, the wasm exports internal).
  const core = readFileSync(join(pkgDir, "core.d.ts"), "utf8");
  const offending = core.split("\n").filter((line) => /\bany\b/.test(line) && !line.trim().startsWith("*"));
  assert.deepEqual(offending, []);
  for (const name of ["OAuthClient", "TokenSet", "PendingAuthorization", "AuthorizationRequest", "validateAccount", "accountFromInstallUrl", "HelpdeskOAuthError"]) {
    assert.match(index, new RegExp(`\\b${name}\\b`), `${name} is exported`);
  }
});
