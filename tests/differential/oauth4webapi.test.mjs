// Differential test against oauth4webapi: seeded random callbacks, token responses and id_tokens
// (tests/differential/support/) through the built package's public API and through
// oauth4webapi, on one fixed clock, comparing what each accepts and refuses (and, where both
// accept, the access token, refresh token and expiry). Every disagreement must be a deliberate
// difference (documented in ERRORS.md, "Differences from oauth4webapi") or one of the classes
// pending on the Rust-core fixes of issue 15 (PENDING_SEC_CORE below); anything else fails.
//
// DIFF_CASES (default 2000) and DIFF_SEED (default 1) size and pick the run; `make fuzz` runs it
// larger. DIFF_REPORT=path writes every class with its count and smallest example as JSON.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { loadPackage } from '../node/support/install-package.mjs';
import { runDifferential, loadOauth4webapi, FIXED_NOW_MS } from './support/run.mjs';
import { createRunner } from './support/libraries.mjs';
import { classify } from './support/classify.mjs';

const CASES = Number(process.env.DIFF_CASES ?? 2000);
const SEED = Number(process.env.DIFF_SEED ?? 1);

// Class keys are `${profile}/${flow} ${mutation}=${variant}|${what}` (support/classify.mjs).

/** Differences on purpose; each is explained in ERRORS.md, "Differences from oauth4webapi". */
const DELIBERATE = [
  { match: /^\S+ (tr\.error_member=.*|tr\.oauth_error="200:invalid_grant\+token")\|helpdesk-refuses$/, why: 'a 2xx that also carries `error` is ambiguous and refused' },
  { match: /^\S+ tr\.expires_in=("0x10"|"3600abc"|\[3600\]|raw:-0)\|helpdesk-refuses$/, why: '`expires_in` must be a JSON number or a string in JSON number grammar (no parseFloat prefixes)' },
  { match: /^\S+ tr\.expires_in=(1\.5|3600\.9)\|facts:expiresAt$/, why: 'fractions of `expires_in` are cut (whole seconds; expiring early is safe)' },
  { match: /^\S+ tr\.expires_in=(1000000000000|raw:1e400)\|(facts:expiresAt|helpdesk-accepts)$/, why: '`expires_in` is capped at ten years' },
  { match: /^\S+ tr\.(expires_in=null|refresh_token=(""|null)|scope=null)\|helpdesk-accepts$/, why: 'a null or empty optional member counts as absent' },
  { match: /^(kustomer\/exchange|\S+\/refresh) tr\.id_token=(""|null)\|helpdesk-accepts$/, why: 'a null or empty optional member counts as absent (where no id_token is required)' },
  { match: /^\S+ tr\.status=20[1-9]\|helpdesk-accepts$/, why: 'any 2xx with a valid body is a token response' },
  { match: /^\S+ tr\.raw_body="(DEEP|HUGE|LONE_SURROGATE)"\|helpdesk-refuses$/, why: 'limits: nesting over 64 levels, bodies over 1 MiB, lone surrogates' },
  { match: /^\S+ tr\.token_type="(DPoP|dpop)"\|helpdesk-refuses$/, why: 'only Bearer tokens: DPoP is not implemented' },
  { match: /^\S+ tr\.(access_token|refresh_token)=.*\|helpdesk-refuses$/, why: 'tokens must be RFC 6749 VSCHAR strings that can be sent as they are (no control characters)' },
  { match: /^\S+\/exchange cb\.extra="(id_token|token|response)"\|helpdesk-accepts$/, why: 'callback parameters other than code, state, iss and error are ignored, never used' },
  { match: /^\S+\/exchange cb\.iss=""\|helpdesk-refuses$/, why: 'an empty `iss` is present and not the issuer' },
  { match: /^\S+ idt\.azp=.*\|helpdesk-refuses$/, why: '`azp` is checked whenever present, and must be a string' },
  { match: /^\S+ idt\.iat=(now\+(61|121|3600)|-1)\|helpdesk-refuses$/, why: '`iat` more than the tolerance in the future, or negative, is refused' },
  { match: /^oidc-jwks\/\S+ idt\.(signature=.*|shape="empty-signature")\|helpdesk-refuses$/, why: 'id_token signatures are verified when the provider publishes keys (oauth4webapi relies on TLS in the code flow)' },
  { match: /^\S+ idt\.auth_time=.*\|helpdesk-accepts$/, why: '`auth_time` is not requested (no max_age) and not checked' },
  { match: /^kustomer\/exchange idt\.nonce=.*\|helpdesk-accepts$/, why: 'a nonce is checked only when one was sent (Kustomer: PKCE binds the code)' },
  { match: /^gorgias\/exchange idt\.sub=(5|0)\|helpdesk-accepts$/, why: 'Gorgias sends its user id as an integer `sub`' },
  { match: /^\S+ idt\.sub=""\|helpdesk-refuses$/, why: 'an empty `sub` identifies no one and is refused' },
  { match: /^\S+ idt\.aud=\["CLIENT",5,"AZP"\]\|helpdesk-refuses$/, why: 'an `aud` array with a member that is not a string is refused, `azp` or not' },
  { match: /^\S+\/refresh idt\.(nonce|sub|iat)=.*\|helpdesk-refuses$/, why: 'a refreshed id_token must continue the original authentication (OIDC Core §12.2: same `sub`, no nonce the original did not have, a fresh `iat`)' },
];

/**
 * Disagreements that waited on the Rust-core fixes of issues 15 and 14: empty since those landed
 * (each former class is now an agreement, or a deliberate difference above). A class that shows
 * up here again is a regression.
 */
const PENDING_SEC_CORE = [];

let pkg;
let o4w;
let result;

before(async () => {
  pkg = (await loadPackage()).esm;
  o4w = await loadOauth4webapi();
});

test('the harness tells a disagreement from an agreement', async () => {
  const realNow = Date.now;
  Date.now = () => FIXED_NOW_MS;
  try {
    const runner = await createRunner({ pkg, o4w, nowMs: FIXED_NOW_MS });
    const values = { code: 'c', accessToken: 'at-1', refreshToken: 'rt-1', sub: 'user-1' };
    const plain = { index: 0, profile: 'gorgias', flow: 'exchange', mutation: null, values };
    const outcome = await runner.run(plain);
    assert.equal(outcome.helpdesk.ok, true, JSON.stringify(outcome.helpdesk));
    assert.equal(outcome.oauth4webapi.ok, true, JSON.stringify(outcome.oauth4webapi));
    assert.deepEqual(classify(plain, outcome), []);
    // A 201 is a token response to helpdesk-oauth, not to oauth4webapi.
    const created = { ...plain, mutation: { name: 'tr.status', variant: 0, label: 'tr.status=201' } };
    assert.deepEqual(classify(created, await runner.run(created)), ['gorgias/exchange tr.status=201|helpdesk-accepts']);
    // A wrong state: both refuse, no class.
    const wrongState = { ...plain, mutation: { name: 'cb.state', variant: 2, label: 'cb.state="wrong-state"' } };
    const refused = await runner.run(wrongState);
    assert.equal(refused.helpdesk.code, 'state_mismatch');
    assert.equal(refused.oauth4webapi.ok, false);
    assert.deepEqual(classify(wrongState, refused), []);
  } finally {
    Date.now = realNow;
  }
});

test(`${CASES} seeded cases (seed ${SEED}): every disagreement is deliberate or pending on sec-core`, async (t) => {
  result = await runDifferential({ pkg, o4w, seed: SEED, count: CASES });
  const unexpected = [];
  const byGroup = new Map();
  for (const [key, { count, example }] of [...result.classes].sort()) {
    const deliberate = DELIBERATE.find((d) => d.match.test(key));
    const pending = PENDING_SEC_CORE.find((p) => p.match.test(key));
    const group = deliberate ? `deliberate: ${deliberate.why}` : pending ? `pending sec-core: ${pending.item}` : 'UNEXPECTED';
    if (!byGroup.has(group)) byGroup.set(group, []);
    byGroup.get(group).push({ key, count });
    if (!deliberate && !pending) unexpected.push({ key, count, example });
  }
  for (const [group, entries] of byGroup) {
    t.diagnostic(`${group}: ${entries.reduce((n, e) => n + e.count, 0)} cases in ${entries.length} classes`);
  }
  if (process.env.DIFF_REPORT) {
    const report = [...result.classes].sort().map(([key, v]) => ({
      key,
      count: v.count,
      group: DELIBERATE.find((d) => d.match.test(key))?.why ?? PENDING_SEC_CORE.find((p) => p.match.test(key))?.item ?? 'UNEXPECTED',
      example: v.example,
    }));
    writeFileSync(process.env.DIFF_REPORT, `${JSON.stringify({ seed: SEED, cases: CASES, classes: report }, null, 2)}\n`);
  }
  assert.deepEqual(
    unexpected.map((u) => `${u.key} (${u.count}×) e.g. ${JSON.stringify({ index: u.example.index, response: u.example.response, callbackUrl: u.example.callbackUrl, helpdesk: u.example.helpdesk, oauth4webapi: u.example.oauth4webapi })}`),
    [],
    'disagreements that are neither deliberate nor pending on sec-core',
  );
});
