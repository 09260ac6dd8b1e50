// helpdesk-oauth/workers: the Cloudflare Workers parts. Importing it instantiates the wasm the
// Workers way (../init-workerd.mjs imports it as a module), so it works without importing the main
// entry first.
import "../init-workerd.mjs";

export { KvTokenStore } from "./kv-token-store.mjs";
export { TokenDurableObject, DurableObjectSession, durableObjectSession, durableObjectStateStore, listInstalledAccounts } from "./token-durable-object.mjs";
