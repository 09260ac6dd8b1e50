// Cases for the differential test: a seeded list of (profile, flow, one mutation) and, for one
// case, the callback URL and token response it stands for, built once the authorization's state
// and nonce are known (they come from the platform CSPRNG; everything else from the seed).
import { createSign } from 'node:crypto';
import { prng } from './prng.mjs';
import { CLIENT_ID, REDIRECT_URI, PROFILES, PROFILE_NAMES, keys } from './profiles.mjs';
import { MUTATIONS, ID_TOKEN, label } from './mutations.mjs';

const b64u = (text) => Buffer.from(text).toString('base64url');
const GARBAGE_SIGNATURE = b64u('not a signature');
/** The user of the token set every refresh case starts from. */
export const BASE_SUB = 'user-base';

/**
 * @returns {{index: number, profile: string, flow: 'exchange'|'refresh', mutation: {name: string, variant: number, label: string}|null, values: {code: string, accessToken: string, refreshToken: string, sub: string}}[]}
 */
export function generateCases(seed, count) {
  const rng = prng(seed);
  const cases = [];
  for (let index = 0; index < count; index += 1) {
    const profile = PROFILES[rng.pick(PROFILE_NAMES)];
    const flow = rng.chance(0.7) ? 'exchange' : 'refresh';
    let mutation = null;
    if (!rng.chance(0.05)) {
      const candidates = MUTATIONS.filter((m) => !m.when || m.when(profile, flow));
      const m = rng.pick(candidates);
      const variant = rng.int(m.variants.length);
      mutation = { name: m.name, variant, label: `${m.name}=${label(m.variants[variant])}` };
    }
    const values = { code: rng.token(24), accessToken: `at-${rng.token(20)}`, refreshToken: `rt-${rng.token(20)}`, sub: `user-${rng.int(1000)}` };
    cases.push({ index, profile: profile.name, flow, mutation, values });
  }
  return cases;
}

function baseContext(profile, flow, spec, rt) {
  const exchange = flow === 'exchange';
  const members = [
    ['access_token', spec.values.accessToken],
    ['token_type', 'Bearer'],
    ['expires_in', 3600],
  ];
  if (exchange || profile.rotates) members.push(['refresh_token', spec.values.refreshToken]);
  if (exchange) members.push(['scope', profile.scopes.join(' ')]);
  if (exchange && profile.openid) members.push(['id_token', ID_TOKEN]);
  // A refreshed id_token names the same user as the first one (OIDC Core 12.2); see libraries.mjs.
  const claims = { iss: profile.issuer, aud: CLIENT_ID, sub: exchange ? spec.values.sub : BASE_SUB, iat: rt.nowS, exp: rt.nowS + 600 };
  if (exchange && profile.nonce) claims.nonce = rt.nonce;
  const header = profile.signed ? { alg: 'RS256', typ: 'JWT', kid: 'rsa-1' } : { alg: 'RS256', typ: 'JWT' };
  return {
    callback: exchange ? [['code', spec.values.code], ['state', rt.state]] : [],
    status: 200,
    contentType: 'application/json',
    members,
    rawBody: undefined,
    idToken: { header, claims, signing: 'valid', shape: undefined },
  };
}

function signature(profile, idToken, input) {
  if (!profile.signed || idToken.signing === 'garbage') return GARBAGE_SIGNATURE;
  const alg = idToken.header.alg;
  const ec = alg === 'ES256';
  if (alg !== 'RS256' && !ec) return GARBAGE_SIGNATURE;
  const pair = idToken.signing === 'other-key' ? keys.otherRsa : ec ? keys.ec : keys.rsa;
  const signer = createSign('SHA256').update(input);
  return b64u(ec && idToken.signing !== 'other-key' ? signer.sign({ key: pair.privateKey, dsaEncoding: 'ieee-p1363' }) : signer.sign(pair.privateKey));
}

function idTokenText(profile, idToken) {
  const header = { ...idToken.header };
  if (idToken.signing === 'unknown-kid') header.kid = 'nobody';
  if (idToken.signing === 'no-kid') delete header.kid;
  if (idToken.signing === 'es256-with-rsa-kid') Object.assign(header, { alg: 'ES256', kid: 'rsa-1' });
  let h = b64u(JSON.stringify(header));
  let p = b64u(JSON.stringify(idToken.claims));
  switch (idToken.shape) {
    case 'bad-b64-header': h = '!!!'; break;
    case 'header-array': h = b64u('[1]'); break;
    case 'header-not-json': h = b64u('{'); break;
    case 'payload-array': p = b64u('[1]'); break;
    case 'payload-not-json': p = b64u('not json'); break;
    case 'padded-b64': p = Buffer.from(JSON.stringify(idToken.claims)).toString('base64').replace(/\+/g, '-').replace(/\//g, '_'); break;
    default:
  }
  let s = signature(profile, { ...idToken, header }, `${h}.${p}`);
  if (idToken.signing === 'tampered') p = b64u(JSON.stringify({ ...idToken.claims, sub: 'admin' }));
  switch (idToken.shape) {
    case 'two-parts': return `${h}.${p}`;
    case 'four-parts': return `${h}.${p}.${s}.x`;
    case 'empty-signature': s = ''; break;
    default:
  }
  return `${h}.${p}.${s}`;
}

function memberText([name, value], idToken) {
  const v = value === ID_TOKEN ? idToken : value;
  const json = v && typeof v === 'object' && 'raw' in v ? v.raw : JSON.stringify(v);
  return `${JSON.stringify(name)}:${json}`;
}

function bodyText(ctx, idToken) {
  const valid = `{${ctx.members.map((m) => memberText(m, idToken)).join(',')}}`;
  switch (ctx.rawBody) {
    case undefined: return valid;
    case 'DEEP': return `{"nested":${'['.repeat(70)}${']'.repeat(70)},${valid.slice(1)}`;
    case 'BOM+VALID': return `\ufeff${valid}`;
    case 'VALID+garbage': return `${valid} x`;
    case 'VALID+whitespace': return `${valid}\n  `;
    case 'LONE_SURROGATE': return `{"x_note":"\\ud800",${valid.slice(1)}`;
    case 'HUGE': return `${valid}${' '.repeat(1024 * 1024 + 16)}`;
    default: return ctx.rawBody;
  }
}

/**
 * The callback URL and token response of `spec`. `rt`: { state, nonce, issuer, nowS }.
 * @returns {{callbackUrl: string, response: {status: number, contentType?: string, body: string}}}
 */
export function buildCase(spec, rt) {
  const profile = PROFILES[spec.profile];
  const ctx = baseContext(profile, spec.flow, spec, rt);
  if (spec.mutation) {
    const m = MUTATIONS.find((x) => x.name === spec.mutation.name);
    m.apply(ctx, m.variants[spec.mutation.variant], rt);
  }
  const query = ctx.callback.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  return {
    callbackUrl: `${REDIRECT_URI}?${query}`,
    response: { status: ctx.status, contentType: ctx.contentType, body: bodyText(ctx, idTokenText(profile, ctx.idToken)) },
  };
}

/** A fresh Response for a built response (each library reads its own). */
export function toResponse({ status, contentType, body }) {
  const headers = new Headers();
  if (contentType !== undefined) headers.set('content-type', contentType);
  const nullBody = status === 204 || status === 304;
  // Bytes, not a string: a string body would get a text/plain content type of its own.
  return new Response(nullBody ? null : new TextEncoder().encode(body), { status, headers });
}
