// Installs the npm package the way a user gets it: `npm pack` in the built package directory,
// then `npm install <tarball>` into a scratch project under os.tmpdir(), and loads it from there
// (ESM through a probe module inside that project, CJS through createRequire). Nothing is loaded
// from the source tree, so a file missing from the tarball or a broken `exports` map fails here.
//
// What is installed: the tarball $HELPDESK_OAUTH_TARBALL when set (the Makefile's `make pack`
// output), else a fresh `npm pack` of $HELPDESK_OAUTH_PKG_DIR, else of <repo>/pkg. Every test file
// runs in its own process under `node --test`, so the installed project is cached in
// os.tmpdir()/helpdesk-oauth-node-tests/<key>, where <key> hashes the tarball's (or the package
// directory's) paths, sizes and mtimes: a rebuilt package gets a fresh install; an unchanged one
// is reused.
// Concurrent first runs each install into their own temp dir and the first atomic rename wins.

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { pathToFileURL, fileURLToPath } from 'node:url';
import fs from 'node:fs/promises';
import { existsSync, statSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const run = promisify(execFile);
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const CACHE_ROOT = path.join(os.tmpdir(), 'helpdesk-oauth-node-tests');
const STALE_MS = 6 * 3600 * 1000;

export function packageDir() {
  return path.resolve(process.env.HELPDESK_OAUTH_PKG_DIR || path.join(REPO_ROOT, 'pkg'));
}

export function packageTarball() {
  return process.env.HELPDESK_OAUTH_TARBALL ? path.resolve(process.env.HELPDESK_OAUTH_TARBALL) : null;
}

function fingerprint(dir) {
  const h = createHash('sha256');
  h.update(dir);
  if (statSync(dir).isFile()) {
    const st = statSync(dir);
    h.update(`\0${st.size}\0${st.mtimeMs}`);
    return h.digest('hex').slice(0, 16);
  }
  const walk = (d, rel) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.name === 'node_modules' || e.name.endsWith('.tgz')) continue;
      const abs = path.join(d, e.name);
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(abs, r);
      else {
        const st = statSync(abs);
        h.update(`${r}\0${st.size}\0${st.mtimeMs}\n`);
      }
    }
  };
  walk(dir, '');
  return h.digest('hex').slice(0, 16);
}

async function install(pkgDir, givenTarball) {
  if (givenTarball && !existsSync(givenTarball)) {
    throw new Error(`HELPDESK_OAUTH_TARBALL=${givenTarball} does not exist`);
  }
  if (!givenTarball && !existsSync(path.join(pkgDir, 'package.json'))) {
    throw new Error(`no built package at ${pkgDir} (package.json missing): build it first, or set HELPDESK_OAUTH_PKG_DIR / HELPDESK_OAUTH_TARBALL`);
  }
  await fs.mkdir(CACHE_ROOT, { recursive: true });
  const target = path.join(CACHE_ROOT, fingerprint(givenTarball ?? pkgDir));
  if (existsSync(path.join(target, '.ready'))) return target;

  const work = await fs.mkdtemp(path.join(CACHE_ROOT, 'tmp-'));
  try {
    const npmEnv = { ...process.env, npm_config_update_notifier: 'false', npm_config_loglevel: 'error' };
    let tarball = givenTarball;
    if (!tarball) {
      const { stdout } = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: pkgDir, env: npmEnv, maxBuffer: 16 << 20 });
      tarball = path.join(work, JSON.parse(stdout)[0].filename);
    }
    await fs.writeFile(path.join(work, 'package.json'), JSON.stringify({ name: 'helpdesk-oauth-consumer', version: '0.0.0', private: true }, null, 2));
    await run('npm', ['install', '--no-audit', '--no-fund', tarball], { cwd: work, env: npmEnv, maxBuffer: 16 << 20 });
    await fs.writeFile(
      path.join(work, 'probe.mjs'),
      // The main entry and the subpaths, as one namespace for the tests.
      "import * as ns from 'helpdesk-oauth';\nexport * from 'helpdesk-oauth';\nexport * from 'helpdesk-oauth/session';\nexport * from 'helpdesk-oauth/handlers';\nexport default ns;\n",
    );
    await fs.writeFile(path.join(work, '.ready'), new Date().toISOString());
    try {
      await fs.rename(work, target);
    } catch (err) {
      if (!existsSync(path.join(target, '.ready'))) throw err;
      await fs.rm(work, { recursive: true, force: true }); // another test process won the race
    }
  } catch (err) {
    await fs.rm(work, { recursive: true, force: true });
    throw err;
  }
  await pruneStale(path.basename(target));
  return target;
}

async function pruneStale(keep) {
  for (const name of await fs.readdir(CACHE_ROOT).catch(() => [])) {
    if (name === keep) continue;
    const p = path.join(CACHE_ROOT, name);
    try {
      if (Date.now() - statSync(p).mtimeMs > STALE_MS) await fs.rm(p, { recursive: true, force: true });
    } catch {
      // raced with another process: fine
    }
  }
}

let loaded;

/**
 * @returns {Promise<{esm: object, cjs: object, dir: string, pkgDir: string, tarball: string|null}>}
 *   esm: the ESM namespace (`import * from 'helpdesk-oauth'` inside the scratch project);
 *   cjs: `require('helpdesk-oauth')` from the scratch project, loaded on first access (so a broken
 *        CJS entry fails only the tests that use it); dir: the scratch project.
 */
export function loadPackage() {
  loaded ??= (async () => {
    const pkgDir = packageDir();
    const tarball = packageTarball();
    const dir = await install(pkgDir, tarball);
    const esm = await import(pathToFileURL(path.join(dir, 'probe.mjs')).href);
    let cjs;
    return {
      esm,
      dir,
      pkgDir,
      tarball,
      get cjs() {
        cjs ??= createRequire(path.join(dir, 'package.json'))('helpdesk-oauth');
        return cjs;
      },
    };
  })();
  return loaded;
}
