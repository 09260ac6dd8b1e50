// Where the two outcomes of a case disagree, as class keys: `${profile}/${flow} ${mutation label}|${what}`
// with
// `what` one of
//   helpdesk-accepts / helpdesk-refuses   one library accepted what the other refused
//   facts:<name>                          both accepted, but report a different access token,
//                                         refresh token or expiry
//   refusal:oauth-error-code              both refused an RFC 6749 error body, with another code
//   refusal:oauth-error-outside-4xx       helpdesk-oauth reported an RFC 6749 error code from a
//                                         non-4xx answer, which oauth4webapi does not read as one
//   refusal:5xx-not-retryable             both refused a 5xx, helpdesk-oauth as not retryable
//   refusal:not-typed                     helpdesk-oauth threw something else than its error class
const RFC6749_ERRORS = new Set(['invalid_request', 'invalid_client', 'invalid_grant', 'unauthorized_client', 'unsupported_grant_type', 'invalid_scope']);

/** @returns {string[]} the case's disagreement classes (empty when the libraries agree) */
export function classify(spec, { built, helpdesk: h, oauth4webapi: o }) {
  const name = `${spec.profile}/${spec.flow} ${spec.mutation?.label ?? 'none'}`;
  const found = [];
  if (!h.ok && h.code.startsWith('NOT_TYPED:')) found.push('refusal:not-typed');
  if (h.ok && !o.ok) found.push('helpdesk-accepts');
  else if (!h.ok && o.ok) found.push('helpdesk-refuses');
  else if (h.ok && o.ok) {
    for (const fact of ['accessToken', 'refreshToken', 'expiresAt']) {
      if (h.facts[fact] !== o.facts[fact]) found.push(`facts:${fact}`);
    }
  } else {
    if (o.kind === 'oauth_error' && RFC6749_ERRORS.has(o.error) && h.code !== o.error) found.push('refusal:oauth-error-code');
    // oauth4webapi reads an error body only from a 4xx; helpdesk-oauth must not report a 5xx's
    // (or a 2xx's) body as a refused grant or client either.
    if (o.kind === 'OAUTH_RESPONSE_IS_NOT_CONFORM' && RFC6749_ERRORS.has(h.code)) found.push('refusal:oauth-error-outside-4xx');
    // One mutation per case: a 5xx comes with a valid callback, so the refusal is the response's.
    if (built.response.status >= 500 && h.retryable !== true) found.push('refusal:5xx-not-retryable');
  }
  return found.map((what) => `${name}|${what}`);
}
