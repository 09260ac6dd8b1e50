// Runs a seeded batch of cases through both libraries on one fixed clock and gathers the
// disagreement classes, each with its count and the smallest example seen.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateCases } from './cases.mjs';
import { createRunner } from './libraries.mjs';
import { classify } from './classify.mjs';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const O4W_ENTRY = path.join(REPO_ROOT, 'benches', 'node_modules', 'oauth4webapi', 'build', 'index.js');

/** oauth4webapi from the benchmarks' install (benches/package.json pins it; `make bench-deps`). */
export async function loadOauth4webapi() {
  if (!existsSync(O4W_ENTRY)) throw new Error(`oauth4webapi is not installed at ${O4W_ENTRY}: run \`make bench-deps\``);
  return import(pathToFileURL(O4W_ENTRY).href);
}

/** A fixed clock with a fractional second, so that whole-second rounding shows. */
export const FIXED_NOW_MS = Date.UTC(2026, 0, 15, 12, 0, 0) + 500;

/**
 * @returns {Promise<{cases: number, classes: Map<string, {count: number, example: object}>}>}
 */
export async function runDifferential({ pkg, o4w, seed, count }) {
  // oauth4webapi reads the clock from Date.now(); helpdesk-oauth takes it as an option.
  const realNow = Date.now;
  Date.now = () => FIXED_NOW_MS;
  try {
    const runner = await createRunner({ pkg, o4w, nowMs: FIXED_NOW_MS });
    const classes = new Map();
    for (const spec of generateCases(seed, count)) {
      const outcome = await runner.run(spec);
      for (const key of classify(spec, outcome)) {
        const example = {
          seed,
          index: spec.index,
          profile: spec.profile,
          flow: spec.flow,
          callbackUrl: outcome.built.callbackUrl,
          response: { ...outcome.built.response, body: outcome.built.response.body.length > 600 ? `${outcome.built.response.body.slice(0, 600)}…(${outcome.built.response.body.length} chars)` : outcome.built.response.body },
          helpdesk: outcome.helpdesk,
          oauth4webapi: outcome.oauth4webapi,
        };
        const seen = classes.get(key);
        if (!seen) classes.set(key, { count: 1, example });
        else {
          seen.count += 1;
          if (example.response.body.length < seen.example.response.body.length) seen.example = example;
        }
      }
    }
    return { cases: count, classes };
  } finally {
    Date.now = realNow;
  }
}
