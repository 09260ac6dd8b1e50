// Small pieces several flavours use: RFC 6749 §5.2 error answers, sample data, a stable number
// per account (HubSpot hub_id, org ids).
import { createHash, randomUUID } from 'node:crypto';
import { sendJson } from '../http.mjs';

const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

/** The engine's error kinds as RFC 6749 §5.2 answers. */
export const RFC_ERRORS = {
  invalid_request: [400, 'invalid_request'],
  invalid_client: [401, 'invalid_client'],
  unsupported_grant_type: [400, 'unsupported_grant_type'],
  bad_code: [400, 'invalid_grant'],
  bad_refresh: [400, 'invalid_grant'],
  bad_redirect: [400, 'invalid_grant'],
};

export function rfcError(res, kind, description) {
  const [status, error] = RFC_ERRORS[kind];
  return sendJson(res, status, { error, error_description: description }, status === 401 ? { ...NO_STORE, 'WWW-Authenticate': 'Basic realm="oauth"' } : NO_STORE);
}

export function json(res, status, body, headers = {}) {
  return sendJson(res, status, body, { ...NO_STORE, ...headers });
}

export const correlationId = () => randomUUID();

/** A stable 8-digit number for an account name. */
export function numberFor(account, base = 20_000_000) {
  return base + (createHash('sha256').update(account).digest().readUInt32BE(0) % 1_000_000);
}

export const SAMPLE = [
  { subject: 'Where is my order #1001?', customer: 'Ada Lovelace', email: 'ada@example.com' },
  { subject: 'Refund for a damaged mug', customer: 'Grace Hopper', email: 'grace@example.com' },
  { subject: 'Change my delivery address', customer: 'Alan Turing', email: 'alan@example.com' },
];

export const CREATED = '2026-01-05T09:30:00Z';
export const unix = (ms) => Math.floor(ms / 1000);
