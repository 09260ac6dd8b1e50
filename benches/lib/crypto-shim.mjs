// Stands in for node:crypto in bundles: @badgateway/oauth2-client imports it only where
// globalThis.crypto is missing, which never happens in Workers or browsers.
export const webcrypto = globalThis.crypto;
export default { webcrypto };
