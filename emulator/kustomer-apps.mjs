// Kustomer app registration, the seed guide's steps 1-2, so that `helpdesk-oauth kustomer
// register-app` / `kustomer secret` can be tried and tested without a real org:
//   POST /v1/apps/available                  a private app definition → namespaced name, client id
//   POST /v1/apps/available/{app}/secret     a new client secret (the previous one stops working)
// Both want `Authorization: Bearer <API key>`; keys are registered with the `kustomerApiKeys`
// option as { key, org }, because a real key belongs to one org and private apps are namespaced
// with it. A registered app joins the emulator's apps (provider kustomer), so it can log in.
// Reachable on any host at the bare path (the org comes from the key, as at
// api.kustomerapp.com), under `/kustomer/{org}/...`, or on `{org}.api.kustomer.{hostSuffix}`;
// an org in the URL must be the key's org.
import { randomBytes } from 'node:crypto';
import { readBody, sendJson } from './http.mjs';
import { checkApp, EmulatorConfigError } from './config.mjs';

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const APP_NAME = /^[a-z][a-z0-9]{0,63}$/;
const VERSION = /^\d+\.\d+\.\d+$/;
const ROUTE = /^\/v1\/apps\/available(?:\/([^/]+)\/secret)?\/?$/;
const DEFINITION_KEYS = new Set(['app', 'version', 'title', 'visibility', 'description', 'redirectUris']);

function checkKeys(keys) {
  if (keys === undefined) return [];
  const fail = (m) => {
    throw new EmulatorConfigError(`kustomerApiKeys: ${m}`);
  };
  if (!Array.isArray(keys)) fail('must be an array of { key, org }');
  return keys.map((k, i) => {
    if (!k || typeof k.key !== 'string' || k.key.length < 8) fail(`[${i}].key must be a string of at least 8 characters`);
    if (typeof k.org !== 'string' || !LABEL.test(k.org)) fail(`[${i}].org must be one DNS label`);
    return { key: k.key, org: k.org };
  });
}

/** JSON:API error document, the shape Kustomer's API answers with. */
function apiError(res, status, title, detail) {
  return sendJson(res, status, { errors: [{ status: String(status), title, detail }] }, { 'Cache-Control': 'no-store' });
}

/** Which org the URL names (null: none, the key decides), or undefined when it is not our route. */
function orgFromUrl(hostHeader, pathname, { routing, hostSuffix }) {
  if (routing !== 'path') {
    const host = String(hostHeader ?? '').toLowerCase().replace(/:\d+$/, '');
    const suffix = `.api.kustomer.${hostSuffix.toLowerCase()}`;
    if (host.endsWith(suffix)) {
      const org = host.slice(0, -suffix.length);
      return LABEL.test(org) && ROUTE.test(pathname) ? { org, path: pathname } : undefined;
    }
    if (routing === 'host') return undefined;
  }
  const prefixed = /^\/kustomer\/([^/]+)(\/v1\/.*)$/.exec(pathname);
  if (prefixed) return LABEL.test(prefixed[1]) && ROUTE.test(prefixed[2]) ? { org: prefixed[1], path: prefixed[2] } : undefined;
  return ROUTE.test(pathname) ? { org: null, path: pathname } : undefined;
}

/**
 * @param {object[]} apps the emulator's registered apps (shared: a new app is pushed here)
 * @param {Array<{key: string, org: string}>|undefined} apiKeys
 * @param {{routing: string, hostSuffix: string}} routeOptions
 */
export function createKustomerApps(apps, apiKeys, routeOptions) {
  const keys = checkKeys(apiKeys);
  const registered = new Map(); // namespaced name → { definition, app, org }

  function authenticate(req) {
    const m = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
    return m ? keys.find((k) => k.key === m[1]) : undefined;
  }

  function document(entry, withSecret) {
    const { definition, app } = entry;
    const attributes = {
      name: entry.name,
      title: definition.title,
      version: definition.version,
      visibility: definition.visibility,
      auth: {},
      redirectUris: [...app.redirectUris],
      clientId: app.clientId,
    };
    if (withSecret) attributes.clientSecret = app.clientSecret;
    return { data: { type: 'available_app', id: `${entry.name}-${definition.version}`, attributes } };
  }

  async function register(req, res, org) {
    let body;
    try {
      body = JSON.parse(await readBody(req));
    } catch {
      return apiError(res, 400, 'Bad Request', 'the body must be a JSON app definition');
    }
    if (!body || typeof body !== 'object' || Array.isArray(body)) return apiError(res, 400, 'Bad Request', 'the body must be a JSON object');
    const unknown = Object.keys(body).find((k) => !DEFINITION_KEYS.has(k));
    if (unknown) return apiError(res, 400, 'Bad Request', `unknown field ${unknown}`);
    if (typeof body.app !== 'string' || !APP_NAME.test(body.app)) return apiError(res, 400, 'Bad Request', 'app must be lower-case letters and digits, starting with a letter');
    if (typeof body.version !== 'string' || !VERSION.test(body.version)) return apiError(res, 400, 'Bad Request', 'version must look like 0.0.1');
    if (typeof body.title !== 'string' || !body.title.trim()) return apiError(res, 400, 'Bad Request', 'title is required');
    if (body.visibility !== 'private') return apiError(res, 400, 'Bad Request', 'only private apps can be registered with an API key');
    const name = `${body.app}_${org}`;
    if (registered.has(name)) return apiError(res, 409, 'Conflict', `app ${name} is already registered`);
    let app;
    try {
      // The secret exists only after step 2; until then nobody can authenticate as this client.
      app = checkApp(
        { provider: 'kustomer', name: body.title, clientId: randomBytes(12).toString('hex'), clientSecret: randomBytes(32).toString('base64url'), redirectUris: body.redirectUris ?? [] },
        'app definition',
      );
    } catch (e) {
      return apiError(res, 400, 'Bad Request', e.message.replace(/^app definition: /, ''));
    }
    const entry = { name, org, definition: { app: body.app, version: body.version, title: body.title, visibility: 'private' }, app };
    registered.set(name, entry);
    apps.push(app);
    return sendJson(res, 201, document(entry, false), { 'Cache-Control': 'no-store' });
  }

  function newSecret(res, org, name) {
    const entry = registered.get(name);
    if (!entry || entry.org !== org) return apiError(res, 404, 'Not Found', `no app named ${name} in this org`);
    entry.app.clientSecret = `ks_${randomBytes(32).toString('base64url')}`;
    return sendJson(res, 200, document(entry, true), { 'Cache-Control': 'no-store' });
  }

  /** Answers the request when it is one of ours; resolves to whether it was. */
  async function handle(req, res, url) {
    const target = orgFromUrl(req.headers.host, url.pathname, routeOptions);
    if (!target) return false;
    if (req.method !== 'POST') {
      sendJson(res, 405, { errors: [{ status: '405', title: 'Method Not Allowed' }] }, { Allow: 'POST' });
      return true;
    }
    const key = authenticate(req);
    if (!key) {
      apiError(res, 401, 'Unauthorized', 'a valid API key (Authorization: Bearer) is required');
      return true;
    }
    if (target.org !== null && target.org !== key.org) {
      apiError(res, 403, 'Forbidden', 'this API key belongs to another org');
      return true;
    }
    const appName = ROUTE.exec(target.path)[1];
    if (appName === undefined) await register(req, res, key.org);
    else {
      let name;
      try {
        name = decodeURIComponent(appName);
      } catch {
        name = appName;
      }
      newSecret(res, key.org, name);
    }
    return true;
  }

  return { handle };
}
