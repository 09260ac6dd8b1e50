// The core API, shared by every runtime entry. The entry instantiates the wasm first; no module
// here calls into the wasm while it is being loaded. Sessions (helpdesk-oauth/session) and the
// install/callback handlers (helpdesk-oauth/handlers) are subpaths, so that an app that only
// builds URLs and exchanges codes loads none of their code.
export { OAuthClient } from "./client.mjs";
export { TokenSet } from "./token-set.mjs";
export { PendingAuthorization, AuthorizationRequest } from "./pending.mjs";
export { validateAccount, accountFromInstallUrl } from "./helpdesk_oauth.js";
export { HelpdeskOAuthError } from "{{errors_module}}";
