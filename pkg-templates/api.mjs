// The public surface, shared by every runtime entry. The entry instantiates the wasm first.
import { OAuthClient, TokenSet, PendingAuthorization, AuthorizationRequest } from "./helpdesk_oauth.js";

export { OAuthClient, TokenSet, PendingAuthorization, AuthorizationRequest, validateAccount, accountFromInstallUrl } from "./helpdesk_oauth.js";
export { HelpdeskOAuthError } from "{{errors_module}}";
export { Session, createSession } from "./session.mjs";
export { MemoryTokenStore } from "./token-store.mjs";
export { sealPendingCookie, openPendingCookie, clearPendingCookie } from "./helpdesk_oauth.js";
export { createInstallHandler, createCallbackHandler } from "./handlers.mjs";

// Node's util.inspect / console.log and Deno's inspector show toString(), which redacts secrets,
// instead of the wasm handle.
const hooks = [Symbol.for("nodejs.util.inspect.custom"), Symbol.for("Deno.customInspect")];
for (const cls of [OAuthClient, TokenSet, PendingAuthorization, AuthorizationRequest]) {
  for (const hook of hooks) {
    Object.defineProperty(cls.prototype, hook, {
      value() {
        return this.toString();
      },
      configurable: true,
    });
  }
}
