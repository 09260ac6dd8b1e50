// helpdesk-oauth/session: the tokens of one account kept fresh in a TokenStore.
export { Session, createSession } from "./session.mjs";
export { MemoryTokenStore } from "./token-store.mjs";
