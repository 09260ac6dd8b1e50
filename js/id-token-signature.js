// id_token signatures with the host's WebCrypto, for providers that publish keys. The core has
// already chosen the key and the algorithm (only RS256 and ES256) and split the token; this only
// imports the JWK and verifies.
import { HelpdeskOAuthError } from "{{errors_module}}";

const encoder = new TextEncoder();

/** @param {{ alg: string, jwk: JsonWebKey, importParams: object, verifyParams: object, signingInput: string, signature: Uint8Array }} check */
export async function verifyIdTokenSignature(check) {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw new HelpdeskOAuthError("invalid_config", "WebCrypto (crypto.subtle) is not available to verify the id_token signature");
  let key;
  try {
    key = await subtle.importKey("jwk", check.jwk, check.importParams, false, ["verify"]);
  } catch {
    throw new HelpdeskOAuthError("id_token_key_not_found", `the provider's ${check.alg} key could not be imported`);
  }
  const valid = await subtle.verify(check.verifyParams, key, check.signature, encoder.encode(check.signingInput));
  if (!valid) throw new HelpdeskOAuthError("id_token_signature_invalid", "id_token signature does not verify with the provider's key");
}
