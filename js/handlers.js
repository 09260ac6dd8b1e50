// Web-standard install and callback handlers: `(request: Request) => Promise<Response>`, the same
// in Cloudflare Workers, Node 20 (see examples/node-http), Deno and Bun.
//
// Between the two requests the pending authorization (state, nonce, PKCE verifier) lives in the
// browser, sealed (AES-GCM, see src/wasm/cookie.rs) in a `__Host-` cookie that is HttpOnly,
// Secure, SameSite=Lax and short-lived: no server-side storage, and the cookie binds the
// callback to the browser that started the install (RFC 9700 §4.7 CSRF defence).
//
// The callback clears the cookie on every answer, good or bad, and records the state as used
// before it exchanges the code (js/used-states.js): the same callback sent twice, by this browser
// or a proxy, reaches the provider once. It marks every answer `Cache-Control: no-store` and `Referrer-Policy: no-referrer` (the
// callback URL holds the code; a page must not leak it to the next site in a Referer).
//
// The errors module is filled in by scripts/assemble-pkg.mjs (the class the wasm throws).
import { HelpdeskOAuthError } from "{{errors_module}}";
import { accountFromInstallUrl, cookieSecretBytes } from "./helpdesk_oauth.js";
import { sealPendingCookie, openPendingCookie, clearPendingCookie } from "./cookie.mjs";
import { checkStateStore, consumeOnce } from "./used-states.mjs";

const DEFAULT_MAX_AGE_SECONDS = 600;

function invalidConfig(message) {
  return new HelpdeskOAuthError("invalid_config", message);
}

function securityHeaders(headers) {
  headers.set("cache-control", "no-store");
  headers.set("referrer-policy", "no-referrer");
  return headers;
}

function checkCommon(options, name) {
  if (options === null || typeof options !== "object") throw invalidConfig(`${name} needs an options object`);
  const { client, cookieSecret, allowReturnTo, cookieName, now } = options;
  if (!client || typeof client.authorize !== "function" || typeof client.exchangeCode !== "function") {
    throw invalidConfig("`client` must be an OAuthClient");
  }
  // The core's check (length and variety) at start-up, not at the first install.
  cookieSecretBytes(cookieSecret);
  if (allowReturnTo !== undefined && (!Array.isArray(allowReturnTo) || !allowReturnTo.every((p) => typeof p === "string"))) {
    throw invalidConfig("`allowReturnTo` must be a list of paths");
  }
  if (now !== undefined && typeof now !== "function") throw invalidConfig("`now` must be a function returning ms since the epoch");
  clearPendingCookie({ cookieName }); // throws invalid_config for a bad name, now rather than per request
  return { client, cookieSecret, allowReturnTo: allowReturnTo ?? [], cookieName, now: now ?? Date.now };
}

/** 400 for what the request got wrong, 409 for a replay, 500 for what the app's setup got wrong, 502 for the provider. */
function statusFor(code, retryable) {
  if (code === "invalid_config" || code === "random_unavailable" || code === "internal_error") return 500;
  if (code === "state_reused") return 409;
  if (retryable) return 502;
  if (code === "access_denied") return 403;
  return 400;
}

const escapeHtml = (text) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** `code` (our errors) or `name`, and the message, with every value of `secrets` cut out. */
function describeForLog(err, secrets) {
  const label = err instanceof HelpdeskOAuthError ? err.code : typeof err?.name === "string" ? err.name : typeof err;
  let message = err instanceof Error ? String(err.message) : "";
  for (const secret of secrets) {
    if (typeof secret === "string" && secret.length > 0) message = message.split(secret).join("[redacted]");
  }
  return `${label}${message ? `: ${message.slice(0, 500)}` : ""}`;
}

/**
 * An error of the app's `onTokens` goes to `onError` when the app gave one, else to
 * console.error, so that it never disappears behind the 500 page; a log line never holds a token.
 */
function reportAppError(err, request, onError, tokens) {
  const secrets = tokens ? [tokens.accessToken, tokens.refreshToken, tokens.idToken] : [];
  if (!onError) {
    console.error(`helpdesk-oauth callback handler: onTokens failed: ${describeForLog(err, secrets)}`);
    return;
  }
  try {
    onError(err, request);
  } catch (reporterError) {
    // A failing error reporter must not replace the answer, nor hide the error it was given.
    console.error(`helpdesk-oauth callback handler: onTokens failed: ${describeForLog(err, secrets)}; onError threw ${describeForLog(reporterError, secrets)}`);
  }
}

/**
 * The answer to a failed install or callback: the error code and message (library messages hold
 * no secrets), as JSON when the client asks for it, else a small page. Anything that is not the
 * library's error is reported as `internal_error` without its message or stack.
 */
export function errorResponse(err, request, extraSetCookie) {
  const known = err instanceof HelpdeskOAuthError;
  const code = known ? err.code : "internal_error";
  const retryable = known && err.retryable === true;
  const message = known ? err.message : "the app failed to complete the installation";
  const status = statusFor(code, retryable);
  const headers = securityHeaders(new Headers());
  headers.set("x-content-type-options", "nosniff");
  let body;
  if ((request.headers.get("accept") ?? "").includes("application/json")) {
    headers.set("content-type", "application/json; charset=utf-8");
    body = JSON.stringify({ error: code, message, retryable });
  } else {
    headers.set("content-type", "text/html; charset=utf-8");
    headers.set("content-security-policy", "default-src 'none'");
    body =
      `<!doctype html><html lang="en"><meta charset="utf-8"><title>Installation failed</title>` +
      `<h1>The installation could not be completed</h1><p>${escapeHtml(message)}</p>` +
      `<p>Error code: <code>${escapeHtml(code)}</code></p>` +
      (retryable ? "<p>This may work if you try again in a moment.</p>" : "<p>Start the installation again from your helpdesk.</p>") +
      `</html>`;
  }
  if (extraSetCookie) headers.append("set-cookie", extraSetCookie);
  return new Response(request.method === "HEAD" ? null : body, { status, headers });
}

function methodNotAllowed(request, extraSetCookie) {
  const err = new HelpdeskOAuthError("invalid_request", `${String(request.method).slice(0, 16)} is not allowed here: use GET`);
  const res = errorResponse(err, request, extraSetCookie);
  const headers = new Headers(res.headers);
  headers.set("allow", "GET, HEAD");
  return new Response(res.body, { status: 405, headers });
}

/**
 * The App URL handler: reads and validates the account, starts the authorization and answers
 * 302 to the provider with the sealed pending authorization in a cookie.
 */
export function createInstallHandler(options) {
  const common = checkCommon(options, "createInstallHandler");
  const { accountParam = "account", returnToParam = "return_to", authorizeParams = {}, maxAgeSeconds = DEFAULT_MAX_AGE_SECONDS } = options;
  if (accountParam !== null && (typeof accountParam !== "string" || accountParam.length === 0)) throw invalidConfig("`accountParam` must be a parameter name, or null for providers without accounts");
  if (typeof returnToParam !== "string" || returnToParam.length === 0) throw invalidConfig("`returnToParam` must be a parameter name");
  if (typeof authorizeParams !== "function" && (authorizeParams === null || typeof authorizeParams !== "object")) {
    throw invalidConfig("`authorizeParams` must be an object or a function returning one");
  }
  if (!Number.isInteger(maxAgeSeconds) || maxAgeSeconds < 1 || maxAgeSeconds > 3600) throw invalidConfig("`maxAgeSeconds` must be an integer from 1 to 3600");

  return async function installHandler(request) {
    if (request.method !== "GET" && request.method !== "HEAD") return methodNotAllowed(request);
    try {
      const account = accountParam === null ? undefined : accountFromInstallUrl(request.url, accountParam);
      const returnTos = new URL(request.url).searchParams.getAll(returnToParam);
      if (returnTos.length > 1) throw new HelpdeskOAuthError("invalid_return_to", `the \`${returnToParam}\` parameter appears more than once`);
      const extra = typeof authorizeParams === "function" ? await authorizeParams(request, account) : authorizeParams;
      // The account comes from the validated request only; extra params cannot replace it.
      const authorization = common.client.authorize({ ...extra, account });
      const setCookie = await sealPendingCookie(authorization.pending, common.cookieSecret, {
        returnTo: returnTos[0],
        allowReturnTo: common.allowReturnTo,
        maxAgeSeconds,
        cookieName: common.cookieName,
        now: common.now(),
      });
      const headers = securityHeaders(new Headers({ location: authorization.url }));
      headers.append("set-cookie", setCookie);
      return new Response(null, { status: 302, headers });
    } catch (err) {
      return errorResponse(err, request);
    }
  };
}

/**
 * The redirect_uri handler: opens the cookie, lets `client.exchangeCode` check the callback
 * (state, iss, age, provider error) and exchange the code, then hands the token set to the
 * app's `onTokens`, which stores it and answers. `onTokens` may answer `undefined`: the handler
 * then redirects (303) to the allow-listed return path from the install request, or to
 * `defaultReturnTo`.
 */
export function createCallbackHandler(options) {
  const common = checkCommon(options, "createCallbackHandler");
  const { onTokens, onError, defaultReturnTo = "/" } = options;
  const stateStore = checkStateStore(options.stateStore);
  if (typeof onTokens !== "function") throw invalidConfig("`onTokens(tokens, request, context)` is required: it stores the token set and answers");
  if (onError !== undefined && typeof onError !== "function") throw invalidConfig("`onError` must be a function");
  if (typeof defaultReturnTo !== "string" || !/^\/(?![/\\])[\x21-\x7e]*$/.test(defaultReturnTo)) {
    throw invalidConfig("`defaultReturnTo` must be a path on this site starting with one `/`");
  }
  const clearCookie = clearPendingCookie({ cookieName: common.cookieName });

  return async function callbackHandler(request) {
    if (request.method !== "GET") return methodNotAllowed(request, clearCookie);
    let opened;
    let tokens;
    try {
      opened = await openPendingCookie(request.headers.get("cookie"), common.cookieSecret, {
        allowReturnTo: common.allowReturnTo,
        cookieName: common.cookieName,
        now: common.now(),
      });
      await consumeOnce(stateStore, opened.pending);
      tokens = await common.client.exchangeCode(request.url, opened.pending);
    } catch (err) {
      return errorResponse(err, request, clearCookie);
    }
    let response;
    try {
      const context = { account: tokens.account, provider: tokens.provider, returnTo: opened.returnTo };
      response = await onTokens(tokens, request, context);
      if (response === undefined) {
        response = new Response(null, { status: 303, headers: { location: opened.returnTo ?? defaultReturnTo } });
      } else if (!(response instanceof Response)) {
        throw invalidConfig("onTokens must return a Response or undefined");
      }
    } catch (err) {
      reportAppError(err, request, onError, tokens);
      return errorResponse(err, request, clearCookie);
    }
    // A Response from Response.redirect() has immutable headers: copy it.
    const headers = securityHeaders(new Headers(response.headers));
    headers.append("set-cookie", clearCookie);
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  };
}
