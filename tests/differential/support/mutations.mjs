// The changes a case makes to an otherwise valid exchange or refresh: one per case, so that any
// disagreement between the libraries is explained by that one change. Each mutation has
// variants; a case names one variant, and `${mutation}=${variant label}` is the class a
// disagreement is filed under.
//
// A context (see cases.mjs) holds the callback parameters, the token response (status, content
// type, ordered JSON members, or a raw body) and the id_token (header, claims, how it is signed).
import { CLIENT_ID } from './profiles.mjs';

const ID_TOKEN = Symbol('id_token');
export { ID_TOKEN };

/** A JSON value written as is (numbers JSON.stringify cannot write, broken escapes). */
const raw = (text) => ({ raw: text });
const ABSENT = Symbol('absent');

function setMember(ctx, name, value) {
  const i = ctx.members.findIndex(([k]) => k === name);
  if (value === ABSENT) {
    if (i >= 0) ctx.members.splice(i, 1);
  } else if (i >= 0) ctx.members[i] = [name, value];
  else ctx.members.push([name, value]);
}

function ensureIdToken(ctx) {
  if (!ctx.members.some(([k]) => k === 'id_token')) ctx.members.push(['id_token', ID_TOKEN]);
}

function setParam(ctx, name, value) {
  ctx.callback = ctx.callback.filter(([k]) => k !== name);
  if (value !== ABSENT) ctx.callback.push([name, value]);
}

const claimSetter = (claim) => (ctx, value) => {
  ensureIdToken(ctx);
  if (value === ABSENT) delete ctx.idToken.claims[claim];
  else ctx.idToken.claims[claim] = value;
};

/** Seconds relative to the fixed clock, resolved when the case is built. */
const at = (offset) => ({ relative: offset });
const resolveTime = (value, rt) => (value && typeof value === 'object' && 'relative' in value ? rt.nowS + value.relative : value);

const label = (v) => {
  if (v === ABSENT) return 'absent';
  if (v && typeof v === 'object' && 'raw' in v) return `raw:${v.raw.length > 40 ? `${v.raw.slice(0, 40)}…(${v.raw.length})` : v.raw}`;
  if (v && typeof v === 'object' && 'relative' in v) return `now${v.relative >= 0 ? '+' : ''}${v.relative}`;
  const text = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v);
  return text.length > 40 ? `${text.slice(0, 40)}…(${text.length})` : text;
};

const exchangeOnly = (profile, flow) => flow === 'exchange';

/** @type {{name: string, when?: (profile: object, flow: string) => boolean, variants: unknown[], apply: (ctx: object, value: unknown, rt: object) => void}[]} */
export const MUTATIONS = [
  // ---- callback (exchange only) ----
  { name: 'cb.state', when: exchangeOnly, variants: [ABSENT, '', 'wrong-state', 'DUPLICATE'], apply(ctx, v, rt) {
    if (v === 'DUPLICATE') ctx.callback.push(['state', rt.state]);
    else setParam(ctx, 'state', v);
  } },
  { name: 'cb.iss', when: exchangeOnly, variants: ['ISSUER', 'https://evil.example', 'ISSUER/', 'DUPLICATE', ''], apply(ctx, v, rt) {
    if (v === 'DUPLICATE') ctx.callback.push(['iss', rt.issuer], ['iss', rt.issuer]);
    else setParam(ctx, 'iss', v === 'ISSUER' ? rt.issuer : v === 'ISSUER/' ? `${rt.issuer}/` : v);
  } },
  { name: 'cb.error', when: exchangeOnly, variants: ['access_denied', 'server_error', 'access_denied+code', 'invalid_request-no-state'], apply(ctx, v) {
    if (v === 'access_denied+code') ctx.callback.push(['error', 'access_denied']);
    else if (v === 'invalid_request-no-state') {
      ctx.callback = [['error', 'invalid_request']];
    } else {
      setParam(ctx, 'code', ABSENT);
      ctx.callback.push(['error', v]);
    }
  } },
  { name: 'cb.code', when: exchangeOnly, variants: [ABSENT, '', 'DUPLICATE', 'x'.repeat(2000)], apply(ctx, v) {
    if (v === 'DUPLICATE') ctx.callback.push(['code', 'second-code']);
    else setParam(ctx, 'code', v);
  } },
  { name: 'cb.extra', when: exchangeOnly, variants: ['id_token', 'token', 'response', 'session_state', 'scope'], apply(ctx, v) {
    ctx.callback.push([v, 'x.y.z']);
  } },

  // ---- token response ----
  { name: 'tr.status', variants: [201, 202, 204, 301, 302, 304, 400, 401, 403, 404, 429, 500, 502, 503], apply(ctx, v) {
    ctx.status = v;
  } },
  { name: 'tr.content_type', variants: ['text/plain', ABSENT, 'application/json; charset=utf-8', 'APPLICATION/JSON', 'application/jwt', 'text/html', 'application/x-www-form-urlencoded'], apply(ctx, v) {
    ctx.contentType = v === ABSENT ? undefined : v;
  } },
  { name: 'tr.access_token', variants: [ABSENT, '', null, 123, true, {}, [], ' ', 'has space', 'tab\tx', 'crlf\r\nx', 'lf\nx', 'nul\u0000x', 'del\u007fx', 'é-non-ascii', ' leading', 'trailing ', 'a'.repeat(5000)], apply(ctx, v) {
    setMember(ctx, 'access_token', v);
  } },
  { name: 'tr.token_type', variants: [ABSENT, '', 'bearer', 'BEARER', 'BeArEr', 'DPoP', 'dpop', 'mac', 'Basic', 'bearer ', 1, null], apply(ctx, v) {
    setMember(ctx, 'token_type', v);
  } },
  { name: 'tr.expires_in', variants: [ABSENT, 0, -1, 1, 1.5, 3600.9, '3600', ' 3600 ', '3600abc', 'abc', '', true, null, 1e12, '1e3', raw('-0'), raw('1e400'), '0x10', [3600], raw('3600.0')], apply(ctx, v) {
    setMember(ctx, 'expires_in', v);
  } },
  { name: 'tr.refresh_token', variants: [ABSENT, '', null, 5, {}, 'has space', 'crlf\r\nx', 'nul\u0000x'], apply(ctx, v) {
    setMember(ctx, 'refresh_token', v);
  } },
  { name: 'tr.scope', variants: [ABSENT, '', 'a b', 5, ['openid'], null, 'openid  offline', 'other'], apply(ctx, v) {
    setMember(ctx, 'scope', v);
  } },
  { name: 'tr.id_token', variants: [ABSENT, null, '', 5, 'garbage', 'a.b', 'a.b.c.d', 'a.b.c.d.e'], apply(ctx, v) {
    setMember(ctx, 'id_token', v);
  } },
  { name: 'tr.error_member', variants: ['invalid_grant', 'server_error', 5, '', null], apply(ctx, v) {
    ctx.members.push(['error', v]);
  } },
  { name: 'tr.duplicate_member', variants: ['access_token:same', 'access_token:other', 'token_type', 'expires_in', 'id_token'], apply(ctx, v) {
    const [name, how] = v.split(':');
    if (name === 'id_token') ensureIdToken(ctx);
    const member = ctx.members.find(([k]) => k === name);
    ctx.members.push([name, how === 'other' ? 'another-access-token' : member[1]]);
  } },
  { name: 'tr.raw_body', variants: ['', 'not json', '[]', 'null', '"text"', '{"access_token":', '{}', 'DEEP', 'BOM+VALID', 'VALID+garbage', 'VALID+whitespace', 'LONE_SURROGATE', 'HUGE'], apply(ctx, v) {
    ctx.rawBody = v;
  } },
  { name: 'tr.oauth_error', variants: ['400:invalid_grant', '400:invalid_request', '401:invalid_client', '400:unauthorized_client', '400:invalid_scope', '400:unsupported_grant_type', '400:custom_error', '400:5', '500:invalid_grant', '502:invalid_grant', '503:invalid_grant', '500:server_error', '503:temporarily_unavailable', '400:invalid_grant+dup', '200:invalid_grant+token'], apply(ctx, v) {
    const [status, rest] = v.split(':');
    const [error, extra] = rest.split('+');
    ctx.status = Number(status);
    const errorValue = error === '5' ? 5 : error;
    if (extra === 'token') {
      ctx.members.push(['error', errorValue]);
      return;
    }
    ctx.members = [['error', errorValue], ['error_description', 'described']];
    if (extra === 'dup') ctx.members.push(['error_description', 'twice']);
  } },
  { name: 'tr.extra_member', variants: ['string', 'object', 'array', 'null', 'number'], apply(ctx, v) {
    ctx.members.push([`x_${v}`, { string: 's', object: { a: 1 }, array: [1], null: null, number: 1 }[v]]);
  } },

  // ---- id_token (added where the response has none) ----
  { name: 'idt.alg', variants: ['none', 'HS256', 'PS256', 'es256', 'RS384', ABSENT, 'ES256', 'RS256', ''], apply(ctx, v) {
    ensureIdToken(ctx);
    if (v === ABSENT) delete ctx.idToken.header.alg;
    else ctx.idToken.header.alg = v;
    if (v === 'ES256' && ctx.idToken.header.kid) ctx.idToken.header.kid = 'ec-1';
  } },
  { name: 'idt.crit', variants: [['exp'], [], 'x'], apply(ctx, v) {
    ensureIdToken(ctx);
    ctx.idToken.header.crit = v;
  } },
  { name: 'idt.iss', variants: [ABSENT, 'https://evil.example', 'ISSUER/', 5, 'UPPER', null], apply(ctx, v, rt) {
    ensureIdToken(ctx);
    const value = v === 'ISSUER/' ? `${rt.issuer}/` : v === 'UPPER' ? rt.issuer.toUpperCase() : v;
    claimSetter('iss')(ctx, value);
  } },
  { name: 'idt.aud', variants: [ABSENT, 'other', ['CLIENT'], ['CLIENT', 'other'], ['CLIENT', 'other', 'AZP'], ['CLIENT', 'other', 'AZP:other'], ['CLIENT', 5], ['CLIENT', 5, 'AZP'], [5], [], 5, ['CLIENT', 'CLIENT'], null, ['other']], apply(ctx, v) {
    ensureIdToken(ctx);
    if (!Array.isArray(v)) return claimSetter('aud')(ctx, v === 'CLIENT' ? CLIENT_ID : v);
    const aud = v.filter((x) => typeof x !== 'string' || !x.startsWith('AZP')).map((x) => (x === 'CLIENT' ? CLIENT_ID : x));
    ctx.idToken.claims.aud = aud;
    const azp = v.find((x) => typeof x === 'string' && x.startsWith('AZP'));
    if (azp) ctx.idToken.claims.azp = azp === 'AZP' ? CLIENT_ID : azp.slice(4);
  } },
  { name: 'idt.azp', variants: ['other', 'CLIENT', 5, null], apply(ctx, v) {
    claimSetter('azp')(ctx, v === 'CLIENT' ? CLIENT_ID : v);
  } },
  { name: 'idt.exp', variants: [at(-3600), at(-121), at(-61), at(-60), at(-59), at(-1), at(0), at(1), at(600), ABSENT, 'STRING', 'FLOAT_EDGE', 'FLOAT_FUTURE', null, 1e20], apply(ctx, v, rt) {
    ensureIdToken(ctx);
    if (v === 'STRING') return claimSetter('exp')(ctx, String(rt.nowS + 600));
    if (v === 'FLOAT_EDGE') return claimSetter('exp')(ctx, rt.nowS - 60 - 0.25);
    if (v === 'FLOAT_FUTURE') return claimSetter('exp')(ctx, rt.nowS + 600.5);
    claimSetter('exp')(ctx, resolveTime(v, rt));
  } },
  { name: 'idt.iat', variants: [at(3600), at(121), at(61), at(60), at(59), at(0), at(-86400), ABSENT, 'STRING', 1.5, null, -1], apply(ctx, v, rt) {
    ensureIdToken(ctx);
    if (v === 'STRING') return claimSetter('iat')(ctx, String(rt.nowS));
    claimSetter('iat')(ctx, resolveTime(v, rt));
  } },
  { name: 'idt.nbf', variants: [at(3600), at(121), at(61), at(60), at(59), at(0), at(-60), 'STRING', null], apply(ctx, v, rt) {
    ensureIdToken(ctx);
    if (v === 'STRING') return claimSetter('nbf')(ctx, String(rt.nowS));
    claimSetter('nbf')(ctx, resolveTime(v, rt));
  } },
  { name: 'idt.sub', variants: [ABSENT, '', 5, 0, {}, null, 'another-user', 1.5], apply(ctx, v) {
    claimSetter('sub')(ctx, v);
  } },
  { name: 'idt.nonce', variants: [ABSENT, 'wrong', 5, '', 'NONCE+x', 'NONCE'], apply(ctx, v, rt) {
    ensureIdToken(ctx);
    const value = v === 'NONCE' ? rt.nonce : v === 'NONCE+x' ? `${rt.nonce}x` : v;
    claimSetter('nonce')(ctx, value);
  } },
  { name: 'idt.auth_time', variants: ['x', 5, -1, null], apply(ctx, v) {
    claimSetter('auth_time')(ctx, v);
  } },
  { name: 'idt.shape', variants: ['two-parts', 'four-parts', 'bad-b64-header', 'header-array', 'payload-array', 'payload-not-json', 'empty-signature', 'header-not-json', 'padded-b64'], apply(ctx, v) {
    ensureIdToken(ctx);
    ctx.idToken.shape = v;
  } },
  { name: 'idt.signature', when: (profile) => profile.signed, variants: ['tampered', 'other-key', 'unknown-kid', 'no-kid', 'garbage', 'es256-with-rsa-kid'], apply(ctx, v) {
    ensureIdToken(ctx);
    ctx.idToken.signing = v;
  } },
];

export { label };
