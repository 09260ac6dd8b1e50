// The public surface, shared by every runtime entry. The entry instantiates the wasm first; no
// module here calls into the wasm while it is being loaded.
export { OAuthClient } from "./client.mjs";
export { TokenSet } from "./token-set.mjs";
export { PendingAuthorization, AuthorizationRequest } from "./pending.mjs";
export { validateAccount, accountFromInstallUrl } from "./helpdesk_oauth.js";
export { HelpdeskOAuthError } from "{{errors_module}}";
export { sealPendingCookie, openPendingCookie, clearPendingCookie } from "./cookie.mjs";
export { Session, createSession } from "./session.mjs";
export { MemoryTokenStore } from "./token-store.mjs";
export { createInstallHandler, createCallbackHandler } from "./handlers.mjs";
