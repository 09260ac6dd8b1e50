// helpdesk-oauth/handlers: web-standard install and callback handlers, and the sealed cookie
// that carries the pending authorization between them.
export { createInstallHandler, createCallbackHandler } from "./handlers.mjs";
export { sealPendingCookie, openPendingCookie, clearPendingCookie } from "./cookie.mjs";
