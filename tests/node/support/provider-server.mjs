// The Node tests' provider: the product emulator (emulator/, shipped as helpdesk-oauth/emulator)
// with consent approved automatically, so the authorize URL answers 302 straight to the callback,
// plus the assertions the tests share. Steering and observing: see `state` in emulator/index.d.ts
// (nextAuthorizeError, nextTokenFault, request counters, lastTokenRequest, issued, ...).
import http from 'node:http';
import assert from 'node:assert/strict';
import { startEmulator, providerConfig } from '../../../emulator/index.mjs';

/** Same options as startEmulator; consent is auto-approved unless `autoApprove: false`. */
export function startProviderServer(options = {}) {
  return startEmulator({ autoApprove: true, ...options });
}

// ---------------------------------------------------------------------------------------------
// Helpers for the tests that drive the package against this server.

export const REDIRECT_URI = 'http://127.0.0.1:8787/oauth/callback';

/** The Gorgias preset pointed at this server (issuer stays `https://{account}.gorgias.com`). */
export const gorgiasProvider = (url) => providerConfig(url, 'gorgias');

/** The Kustomer preset pointed at this server. */
export const kustomerProvider = (url) => providerConfig(url, 'kustomer');

/**
 * Plays the browser: GETs the authorize URL without following redirects and returns the
 * callback URL from `Location` (the server answers 302 instead of showing a consent page).
 */
export async function followAuthorize(authorizeUrl) {
  const res = await fetch(authorizeUrl, { redirect: 'manual' });
  await res.arrayBuffer();
  if (res.status !== 302) throw new Error(`authorize answered ${res.status}, expected 302`);
  const location = res.headers.get('location');
  if (!location) throw new Error('authorize answered 302 without Location');
  return location;
}

/** Decodes a JWT's payload without checking anything. */
export function jwtClaims(jwt) {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
}

/** Resolves to a 127.0.0.1 port that nothing listens on (a server was bound there and closed). */
export async function closedPort() {
  const s = http.createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}

/**
 * Asserts that `err` is the package's error with the given code, and that its message (and its
 * description) leaks none of `secrets` (client secret, codes, tokens, verifiers).
 */
export function assertOAuthError(err, HelpdeskOAuthError, code, secrets = []) {
  assert.equal(typeof HelpdeskOAuthError, 'function', 'the package does not export HelpdeskOAuthError');
  assert.ok(err instanceof HelpdeskOAuthError, `expected HelpdeskOAuthError, got ${err?.constructor?.name}: ${err?.message}`);
  assert.ok(err instanceof Error, 'HelpdeskOAuthError must extend Error');
  assert.equal(err.code, code, `wrong code; message: ${err.message}`);
  assert.equal(typeof err.message, 'string');
  assert.ok(err.message.length > 0, 'message is empty');
  for (const s of secrets.filter(Boolean)) {
    assert.ok(!err.message.includes(s), `error message leaks a secret value: ${err.message}`);
    if (err.description) assert.ok(!err.description.includes(s), 'error description leaks a secret value');
    assert.ok(!String(err.stack ?? '').includes(s), 'error stack leaks a secret value');
  }
  return err;
}

/** Every value the server handed out that must never appear in an error message or a log line. */
export function issuedSecrets(server, ...extra) {
  const i = server.state.issued;
  return [...i.codes, ...i.accessTokens, ...i.refreshTokens, ...i.idTokens, ...extra];
}
