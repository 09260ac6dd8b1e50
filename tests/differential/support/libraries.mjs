// One case through each library, reduced to an outcome: accepted (with the facts both report:
// access token, refresh token, expiry) or refused (with what kind of refusal).
//   helpdesk-oauth: the built package's public API (OAuthClient.authorize / exchangeCode /
//                   refresh) with a `fetch` option that answers in-process.
//   oauth4webapi:   validateAuthResponse + authorizationCodeGrantRequest +
//                   processAuthorizationCodeResponse, or refreshTokenGrantRequest +
//                   processRefreshTokenResponse, with customFetch answering the same response.
import { ACCOUNT, CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, PROFILES, TOLERANCE_SECONDS } from './profiles.mjs';
import { BASE_SUB, buildCase, toResponse } from './cases.mjs';

/** Everything one run needs: both libraries set up per profile, on the fixed clock `nowMs`. */
export async function createRunner({ pkg, o4w, nowMs }) {
  let current; // the response the next request gets, for either library
  const fetchCurrent = async () => toResponse(current);
  const nowS = Math.floor(nowMs / 1000);
  const setups = {};
  for (const profile of Object.values(PROFILES)) {
    const client = new pkg.OAuthClient({
      provider: profile.provider,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      redirectUri: REDIRECT_URI,
      scopes: profile.scopes,
      now: () => nowMs,
      fetch: fetchCurrent,
    });
    const as = { issuer: profile.issuer, token_endpoint: profile.tokenEndpoint };
    // The algorithms helpdesk-oauth means to accept (RS256, ES256); the same tolerance.
    const o4wClient = { client_id: CLIENT_ID, id_token_signed_response_alg: ['RS256', 'ES256'], [o4w.clockTolerance]: TOLERANCE_SECONDS };
    const auth = profile.clientAuth === 'basic' ? o4w.ClientSecretBasic(CLIENT_SECRET) : o4w.ClientSecretPost(CLIENT_SECRET);
    setups[profile.name] = { profile, client, as, o4wClient, auth };
  }
  // The token set every refresh case starts from: a plain, valid exchange per profile.
  for (const setup of Object.values(setups)) {
    const req = setup.client.authorize({ account: ACCOUNT });
    const spec = { profile: setup.profile.name, flow: 'exchange', mutation: null, values: { code: 'base-code', accessToken: 'at-base', refreshToken: 'rt-base', sub: BASE_SUB } };
    const built = buildCase(spec, { state: req.state, nonce: req.nonce, issuer: setup.profile.issuer, nowS });
    current = built.response;
    setup.baseTokens = await setup.client.exchangeCode(built.callbackUrl, req.pending);
  }

  async function helpdesk(setup, spec, built, pending) {
    current = built.response;
    try {
      const tokens = spec.flow === 'exchange' ? await setup.client.exchangeCode(built.callbackUrl, pending) : await setup.client.refresh(setup.baseTokens);
      return { ok: true, facts: { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: tokens.expiresAt } };
    } catch (err) {
      if (!(err instanceof pkg.HelpdeskOAuthError)) return { ok: false, code: `NOT_TYPED:${err?.name}`, message: String(err?.message).slice(0, 200) };
      return { ok: false, code: err.code, retryable: err.retryable, status: err.status, message: err.message };
    }
  }

  async function oauth4webapi(setup, spec, built, state, nonce) {
    const { profile, as, o4wClient, auth } = setup;
    const options = { [o4w.customFetch]: async () => toResponse(built.response) };
    try {
      let json;
      if (spec.flow === 'exchange') {
        const params = o4w.validateAuthResponse(as, o4wClient, new URL(built.callbackUrl), state);
        const verifier = profile.pkce ? 'a-code-verifier-of-forty-three-characters-xx' : o4w.nopkce;
        const response = await o4w.authorizationCodeGrantRequest(as, o4wClient, auth, params, REDIRECT_URI, verifier, options);
        const expect = profile.nonce ? { expectedNonce: nonce } : profile.openid ? { requireIdToken: true } : undefined;
        json = await o4w.processAuthorizationCodeResponse(as, o4wClient, response, expect);
      } else {
        const response = await o4w.refreshTokenGrantRequest(as, o4wClient, auth, setup.baseTokens.refreshToken, options);
        json = await o4w.processRefreshTokenResponse(as, o4wClient, response);
      }
      const refreshToken = json.refresh_token ?? (spec.flow === 'refresh' ? setup.baseTokens.refreshToken : undefined);
      const expiresAt = json.expires_in === undefined ? undefined : nowMs + json.expires_in * 1000;
      return { ok: true, facts: { accessToken: json.access_token, refreshToken, expiresAt } };
    } catch (err) {
      if (err instanceof o4w.ResponseBodyError) return { ok: false, kind: 'oauth_error', error: err.error, status: err.status };
      if (err instanceof o4w.AuthorizationResponseError) return { ok: false, kind: 'authorization_error', error: err.error };
      return { ok: false, kind: err?.code ?? err?.name ?? 'error', message: String(err?.message).slice(0, 200) };
    }
  }

  return {
    nowS,
    /** Runs one case through both libraries: { built, helpdesk, oauth4webapi }. */
    async run(spec) {
      const setup = setups[spec.profile];
      const req = spec.flow === 'exchange' ? setup.client.authorize({ account: ACCOUNT }) : undefined;
      const rt = { state: req?.state ?? 'no-state', nonce: req?.nonce ?? 'no-nonce', issuer: setup.profile.issuer, nowS };
      const built = buildCase(spec, rt);
      const h = await helpdesk(setup, spec, built, req?.pending);
      const o = await oauth4webapi(setup, spec, built, rt.state, req?.nonce);
      return { built, helpdesk: h, oauth4webapi: o };
    },
  };
}
