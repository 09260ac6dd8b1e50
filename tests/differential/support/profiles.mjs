// The three client set-ups the differential test runs, each described for both libraries:
//   gorgias   the Gorgias preset: nonce, no PKCE, `openid`, and no published keys, so id_tokens
//             are unsigned as far as the client can tell (claims checks only);
//   kustomer  the Kustomer preset: PKCE, no nonce, no `openid`, client_secret_post;
//   oidc-jwks a custom provider with PKCE, nonce, `openid` and an inline JWK set (RS256 and ES256
//             keys made here), so that id_token signatures are checked too.
import { generateKeyPairSync } from 'node:crypto';

export const CLIENT_ID = 'diff-client';
export const CLIENT_SECRET = 'diff-client-secret';
export const REDIRECT_URI = 'https://app.example.com/cb';
export const ACCOUNT = 'acme';
/** id_token clock tolerance, the same for both libraries (helpdesk-oauth's default). */
export const TOLERANCE_SECONDS = 60;

export const keys = {
  rsa: generateKeyPairSync('rsa', { modulusLength: 2048 }),
  ec: generateKeyPairSync('ec', { namedCurve: 'P-256' }),
  otherRsa: generateKeyPairSync('rsa', { modulusLength: 2048 }),
};
const publicJwk = (pair, kid) => ({ ...pair.publicKey.export({ format: 'jwk' }), kid, use: 'sig' });

export const PROFILES = {
  gorgias: {
    name: 'gorgias',
    provider: 'gorgias',
    scopes: ['openid', 'offline'],
    issuer: `https://${ACCOUNT}.gorgias.com`,
    tokenEndpoint: `https://${ACCOUNT}.gorgias.com/oauth/token`,
    openid: true,
    nonce: true,
    pkce: false,
    signed: false,
    clientAuth: 'basic',
    rotates: false,
  },
  kustomer: {
    name: 'kustomer',
    provider: 'kustomer',
    scopes: ['org.permission.customer', 'offline_access'],
    issuer: 'https://api.apps.kustomerapp.com',
    tokenEndpoint: 'https://api.apps.kustomerapp.com/oauth/token',
    openid: false,
    nonce: false,
    pkce: true,
    signed: false,
    clientAuth: 'post',
    rotates: true,
  },
  'oidc-jwks': {
    name: 'oidc-jwks',
    provider: {
      id: 'oidc-diff',
      authorizeUrl: 'https://idp.example/{account}/authorize',
      tokenUrl: 'https://idp.example/{account}/token',
      issuer: 'https://idp.example/{account}',
      refreshScope: null,
      pkce: true,
      nonce: true,
      jwks: { keys: [publicJwk(keys.rsa, 'rsa-1'), publicJwk(keys.ec, 'ec-1')] },
    },
    scopes: ['openid'],
    issuer: `https://idp.example/${ACCOUNT}`,
    tokenEndpoint: `https://idp.example/${ACCOUNT}/token`,
    openid: true,
    nonce: true,
    pkce: true,
    signed: true,
    clientAuth: 'basic',
    rotates: false,
  },
};

export const PROFILE_NAMES = Object.keys(PROFILES);
