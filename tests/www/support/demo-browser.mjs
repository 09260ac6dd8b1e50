// What every www/ test file needs: the demo stack (example app + emulator on 127.0.0.1) and
// Debian's Chromium driven by playwright-core, started before the file's tests and stopped after.
import { before, after } from 'node:test';
import { mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startDemoStack } from '../../../examples/demo/stack.mjs';

/** Where screenshots go, for a person to look at. */
export const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'artifacts');

/** Registers the file's before/after hooks; `env.stack` and `env.browser` are set once they ran. */
export function demoAndBrowser() {
  mkdirSync(ARTIFACTS, { recursive: true });
  const env = {};
  before(async () => {
    env.stack = await startDemoStack();
    env.browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  });
  after(async () => {
    await env.browser?.close();
    await env.stack?.close();
  });
  return env;
}
