// Registered apps and emulator settings: checked up front so a typo in apps.json fails at start
// with a message naming the field, not later as a puzzling invalid_client.
import { readFileSync } from 'node:fs';
import { PROVIDER_IDS as CLASSIC_IDS } from './providers.mjs';
import { FLAVOUR_IDS } from './flavours/index.mjs';
import { ROUTING_MODES } from './routing.mjs';
import { ZOHO_DATA_CENTRES } from './flavours/zoho.mjs';

const ZOHO_DC_IDS = Object.keys(ZOHO_DATA_CENTRES);

export class EmulatorConfigError extends Error {
  constructor(message) {
    super(message);
    this.name = 'EmulatorConfigError';
  }
}

const PROVIDER_IDS = [...CLASSIC_IDS, ...FLAVOUR_IDS];
const APP_KEYS = new Set(['provider', 'name', 'clientId', 'clientSecret', 'redirectUris']);
const FILE_KEYS = new Set(['apps', 'kustomerApiKeys', 'port', 'host', 'routing', 'hostSuffix', 'autoApprove', 'expiresIn', 'codeTtlSeconds', 'rateLimit', 'zohoDataCentre', 'reuseDetection']);
const KUSTOMER_KEY_KEYS = new Set(['key', 'org']);
const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
// Sent as `Authorization: Bearer KEY`, so a key with a space or a control character could never match.
const API_KEY = /^[\x21-\x7e]{8,}$/;

/** Validates one registered app; returns a normalised copy. */
export function checkApp(app, where = 'app') {
  const fail = (m) => {
    throw new EmulatorConfigError(`${where}: ${m}`);
  };
  if (!app || typeof app !== 'object' || Array.isArray(app)) fail('must be an object');
  for (const k of Object.keys(app)) if (!APP_KEYS.has(k)) fail(`unknown field ${k} (known: ${[...APP_KEYS].join(', ')})`);
  if (app.provider !== undefined && !PROVIDER_IDS.includes(app.provider)) fail(`provider must be one of ${PROVIDER_IDS.join(', ')}`);
  if (typeof app.clientId !== 'string' || !app.clientId) fail('clientId must be a non-empty string');
  if (typeof app.clientSecret !== 'string' || !app.clientSecret) fail('clientSecret must be a non-empty string');
  if (!Array.isArray(app.redirectUris) || app.redirectUris.length === 0) fail('redirectUris must be a non-empty array');
  for (const uri of app.redirectUris) {
    let u;
    try {
      u = new URL(uri);
    } catch {
      fail(`redirect URI ${JSON.stringify(uri)} is not an absolute URL`);
    }
    if (u.hash) fail(`redirect URI ${uri} must not have a fragment (RFC 6749 §3.1.2)`);
  }
  if (app.name !== undefined && (typeof app.name !== 'string' || !app.name)) fail('name must be a non-empty string');
  return { ...app, redirectUris: [...app.redirectUris] };
}

/**
 * Validates one Kustomer API key ({ key, org }); `names` says what to call the two fields in a
 * message (a file path and index, or the flags). The key itself is never quoted.
 */
export function checkKustomerApiKey(entry, names) {
  if (!entry || typeof entry !== 'object' || Array.isArray(entry)) throw new EmulatorConfigError(`${names.entry ?? names.key}: must be an object { key, org }`);
  for (const k of Object.keys(entry)) if (!KUSTOMER_KEY_KEYS.has(k)) throw new EmulatorConfigError(`${names.entry ?? names.key}: unknown field ${k} (known: key, org)`);
  if (typeof entry.key !== 'string' || !API_KEY.test(entry.key)) throw new EmulatorConfigError(`${names.key} must be 8 or more printable characters without spaces`);
  if (typeof entry.org !== 'string' || !DNS_LABEL.test(entry.org)) throw new EmulatorConfigError(`${names.org} must be one DNS label (lower-case letters, digits and -)`);
  return { key: entry.key, org: entry.org };
}

function checkKustomerApiKeys(keys, where) {
  if (keys === undefined) return;
  if (!Array.isArray(keys)) throw new EmulatorConfigError(`${where}: kustomerApiKeys must be an array of { key, org }`);
  const seen = new Set();
  keys.forEach((entry, i) => {
    const at = `${where}: kustomerApiKeys[${i}]`;
    const { key } = checkKustomerApiKey(entry, { entry: at, key: `${at}.key`, org: `${at}.org` });
    if (seen.has(key)) throw new EmulatorConfigError(`${at}: the same key is listed twice`);
    seen.add(key);
  });
}

function positiveInt(v, name) {
  if (v !== undefined && !(Number.isInteger(v) && v > 0)) throw new EmulatorConfigError(`${name} must be a positive integer`);
}

/** Checks the settings object `startEmulator` and the config file share. */
export function checkSettings(s, where) {
  positiveInt(s.expiresIn, `${where}: expiresIn`);
  positiveInt(s.codeTtlSeconds, `${where}: codeTtlSeconds`);
  if (s.port !== undefined && !(Number.isInteger(s.port) && s.port >= 0 && s.port < 65536)) {
    throw new EmulatorConfigError(`${where}: port must be an integer 0..65535`);
  }
  if (s.routing !== undefined && !ROUTING_MODES.includes(s.routing)) {
    throw new EmulatorConfigError(`${where}: routing must be one of ${ROUTING_MODES.join(', ')}`);
  }
  if (s.autoApprove !== undefined && typeof s.autoApprove !== 'boolean') throw new EmulatorConfigError(`${where}: autoApprove must be true or false`);
  if (s.zohoDataCentre !== undefined && !ZOHO_DC_IDS.includes(s.zohoDataCentre)) throw new EmulatorConfigError(`${where}: zohoDataCentre must be one of ${ZOHO_DC_IDS.join(', ')}`);
  if (s.reuseDetection !== undefined && typeof s.reuseDetection !== 'boolean') throw new EmulatorConfigError(`${where}: reuseDetection must be true or false`);
  checkKustomerApiKeys(s.kustomerApiKeys, where);
  for (const [provider, limit] of Object.entries(s.rateLimit ?? {})) {
    if (!PROVIDER_IDS.includes(provider)) throw new EmulatorConfigError(`${where}: rateLimit.${provider}: unknown provider`);
    if (limit === false) continue;
    positiveInt(limit?.capacity, `${where}: rateLimit.${provider}.capacity`);
    positiveInt(limit?.windowSeconds, `${where}: rateLimit.${provider}.windowSeconds`);
  }
}

/**
 * Reads an apps file:
 *   { "apps": [{ "provider": "gorgias", "name": "My app", "clientId": "…", "clientSecret": "…",
 *                "redirectUris": ["http://127.0.0.1:3000/oauth/callback"] }],
 *     "kustomerApiKeys": [{ "key": "…", "org": "acme" }],
 *     "port": 4010, "autoApprove": false, "expiresIn": 86400, "codeTtlSeconds": 60 }
 * An app without `provider` is registered at every provider.
 */
export function loadConfigFile(path) {
  let data;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new EmulatorConfigError(`${path}: ${e.code === 'ENOENT' ? 'file not found' : e.message}`);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new EmulatorConfigError(`${path}: must hold a JSON object`);
  for (const k of Object.keys(data)) if (!FILE_KEYS.has(k)) throw new EmulatorConfigError(`${path}: unknown field ${k}`);
  if (!Array.isArray(data.apps)) throw new EmulatorConfigError(`${path}: apps must be an array`);
  checkSettings(data, path);
  return { ...data, apps: data.apps.map((a, i) => checkApp(a, `${path}: apps[${i}]`)) };
}
