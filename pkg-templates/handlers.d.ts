// Types of helpdesk-oauth/handlers: web-standard install and callback handlers, and the sealed
// pending-authorization cookie (js/handlers.js, js/cookie.js).
export { sealPendingCookie, openPendingCookie, clearPendingCookie } from "./core.js";
export type { CookieSecret, SealCookieOptions, OpenCookieOptions, ClearCookieOptions, OpenedPendingCookie } from "./core.js";

/** A web-standard handler: Workers, Deno, Bun, and Node (`toNodeHandler` from `helpdesk-oauth/node`). */
export type RequestHandler = (request: Request) => Promise<Response>;

interface HandlerOptionsBase {
  client: import("./core.js").OAuthClient;
  /** Seals the pending authorization cookie (AES-GCM-256 via HKDF): at least 32 bytes. */
  cookieSecret: import("./core.js").CookieSecret;
  /** Same-site paths the user may be sent back to (an entry ending in `/` covers the paths below it). Default none. */
  allowReturnTo?: string[];
  /** Default `"__Host-helpdesk-oauth"`. */
  cookieName?: string;
  /** Clock in ms since the epoch. Default `Date.now`. */
  now?: () => number;
}

export interface InstallHandlerOptions extends HandlerOptionsBase {
  /** The App URL's account parameter (Gorgias: `account`); `null` for providers without accounts. */
  accountParam?: string | null;
  /** The parameter naming the return path (checked against `allowReturnTo`). Default `return_to`. */
  returnToParam?: string;
  /** Scopes, `offline` and extra parameters for `client.authorize` (the account always comes from the request). */
  authorizeParams?:
    | Omit<import("./core.js").AuthorizeParams, "account">
    | ((request: Request, account: string | undefined) => Omit<import("./core.js").AuthorizeParams, "account"> | Promise<Omit<import("./core.js").AuthorizeParams, "account">>);
  /** The cookie's lifetime; keep it equal to the client's `pendingTtlSeconds`. Default 600, at most 3600. */
  maxAgeSeconds?: number;
}

/** What the callback handler tells `onTokens` besides the tokens. */
export interface CallbackContext {
  account?: string;
  provider: string;
  /** The allow-listed return path from the install request, if there was one. */
  returnTo?: string;
}

export interface CallbackHandlerOptions extends HandlerOptionsBase {
  /**
   * Stores the token set and answers. `undefined`: the handler answers 303 to `returnTo` or
   * `defaultReturnTo`. The handler adds `Cache-Control: no-store`, `Referrer-Policy: no-referrer`
   * and the cookie-clearing `Set-Cookie` to whatever it returns.
   */
  onTokens(tokens: import("./core.js").TokenSet, request: Request, context: CallbackContext): Response | undefined | Promise<Response | undefined>;
  /** Where to go after `onTokens` answers `undefined` without a return path. Default `/`. */
  defaultReturnTo?: string;
  /**
   * Told about errors thrown by `onTokens` (the answer is a 500 `internal_error` page without
   * details). Without `onError` the handler logs each with `console.error`: the error's `code`
   * (a HelpdeskOAuthError) or `name`, and its message with the token values cut out.
   */
  onError?(error: unknown, request: Request): void;
  /**
   * Where used states are recorded before the code exchange, so that a callback sent twice is
   * answered 409 `state_reused` without reaching the provider. Default: this process's memory.
   * Several processes: a PostgresTokenStore or RedisTokenStore; Workers: durableObjectStateStore.
   */
  stateStore?: import("./index.js").StateStore;
}

/** The App URL handler: validates the account, answers 302 to the provider with the sealed pending authorization in a cookie. */
export declare function createInstallHandler(options: InstallHandlerOptions): RequestHandler;

/**
 * The redirect_uri handler: opens the cookie, checks the callback (state, iss, age) and exchanges
 * the code, clears the cookie (on every answer), and hands the tokens to `onTokens`. Failures
 * answer 400/403/500/502 with `{ error: code, message, retryable }` (JSON when accepted, else HTML).
 */
export declare function createCallbackHandler(options: CallbackHandlerOptions): RequestHandler;
