// helpdesk-oauth/node: mounts web-standard handlers, `(request: Request) => Response`, in node:http
// and Express. Plain Node streams and the WHATWG classes Node 20 has; it loads no wasm, so
// importing it adds nothing to the main entry's cold start.
//
// The request URL is built from the app's own origin (given once), never from the Host header:
// a client chooses its Host header, and the handlers read the URL (the account, the callback's
// query) and must not be steered to another origin by it.
//
// The errors module is filled in by scripts/assemble-pkg.mjs (the class the wasm throws).
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { HelpdeskOAuthError } from "{{errors_module}}";

function invalidConfig(message) {
  return new HelpdeskOAuthError("invalid_config", message);
}

/** `https://app.example.com` from an origin or any absolute http(s) URL of the app (e.g. its redirect URI). */
function originOf(value, name) {
  let u;
  try {
    u = new URL(String(value));
  } catch {
    throw invalidConfig(`${name} needs \`origin\`: the app's own origin, e.g. "https://app.example.com" (or its redirect URI)`);
  }
  if (u.protocol !== "https:" && u.protocol !== "http:") throw invalidConfig("`origin` must be an http or https URL");
  return u.origin;
}

/** The path and query of a request target, whatever its form (origin-form, absolute-form, `*`). */
function pathAndQuery(target) {
  if (typeof target !== "string" || target === "" || target === "*") return "/";
  if (target.startsWith("/")) return target;
  try {
    const u = new URL(target); // absolute-form, as sent to proxies: keep only its path and query
    return `${u.pathname}${u.search}`;
  } catch {
    return "/";
  }
}

const UPSTREAM_ONLY = new Set(["content-encoding", "content-length", "transfer-encoding", "connection", "keep-alive"]);

/**
 * An IncomingMessage (or Express request) as a `Request` on the app's origin. Express rewrites
 * `req.url` under a mount path; `req.originalUrl` is the URL the client asked for.
 * @param {import("node:http").IncomingMessage & {originalUrl?: string}} req
 * @param {{origin: string, signal?: AbortSignal}} options
 */
export function toRequest(req, { origin, signal } = {}) {
  const base = originOf(origin, "toRequest");
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (name.startsWith(":")) continue; // HTTP/2 pseudo-headers (compatibility API)
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  const method = req.method ?? "GET";
  const hasBody = method !== "GET" && method !== "HEAD" && !req.readableEnded;
  // Concatenating keeps `//evil.example/x` a path on this origin; `new URL(path, base)` would not.
  return new Request(`${base}${pathAndQuery(req.originalUrl ?? req.url)}`, {
    method,
    headers,
    body: hasBody ? Readable.toWeb(req) : undefined,
    duplex: "half",
    signal,
  });
}

/**
 * Writes a `Response` to a ServerResponse: status, every header (each Set-Cookie as its own
 * line), and the body streamed (none for HEAD). A Response from fetch() is passed on as a proxy
 * would: without the upstream's Content-Encoding, Content-Length, hop-by-hop headers and cookies.
 * @param {import("node:http").ServerResponse} res
 * @param {Response} response
 */
export async function sendResponse(res, response) {
  res.statusCode = response.status;
  if (response.statusText) res.statusMessage = response.statusText;
  // A Response straight from fetch() (an API answer passed on) has a decoded body, so its
  // Content-Encoding and Content-Length no longer describe it; its Set-Cookie and hop-by-hop
  // headers belong to the upstream connection, not to this browser.
  const passedOn = response.url !== "";
  for (const [name, value] of response.headers) {
    if (name === "set-cookie" || (passedOn && UPSTREAM_ONLY.has(name))) continue;
    res.setHeader(name, value);
  }
  const cookies = passedOn ? [] : response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader("set-cookie", cookies);
  if (!response.body || res.req?.method === "HEAD") {
    await response.body?.cancel();
    res.end();
    return;
  }
  await pipeline(Readable.fromWeb(response.body), res);
}

/** Says what failed without repeating an app error's message, which could hold anything. */
function defaultReport(err) {
  const what = err instanceof HelpdeskOAuthError ? `${err.code}: ${err.message}` : `${err?.name ?? "Error"} (pass onError to toNodeHandler to see it)`;
  console.error(`helpdesk-oauth/node: the handler failed: ${what}`);
}

/**
 * A node:http listener (also an Express handler) that runs a web-standard handler:
 *   http.createServer(toNodeHandler(handler, { origin: "https://app.example.com" }))
 *   app.get("/install", toNodeHandler(install, { origin }))
 * A handler that throws: Express gets it through `next(err)`; plain node:http answers 500 and
 * reports it to `onError` (default: one line on stderr). A client that goes away aborts the
 * request's signal.
 * @param {(request: Request) => Response | Promise<Response>} handler
 * @param {{origin: string, onError?: (error: unknown, request: Request | undefined) => void}} options
 */
export function toNodeHandler(handler, options) {
  if (typeof handler !== "function") throw invalidConfig("toNodeHandler needs a handler: (request: Request) => Response");
  const origin = originOf(options?.origin, "toNodeHandler");
  const onError = options.onError;
  if (onError !== undefined && typeof onError !== "function") throw invalidConfig("`onError` must be a function");

  return async function nodeHandler(req, res, next) {
    const controller = new AbortController();
    const abort = () => {
      if (!res.writableFinished) controller.abort();
    };
    res.once("close", abort);
    let request;
    let response;
    try {
      request = toRequest(req, { origin, signal: controller.signal });
      response = await handler(request);
      if (!(response instanceof Response)) throw new TypeError("the handler must return a Response");
    } catch (err) {
      if (typeof next === "function") return next(err);
      try {
        (onError ?? defaultReport)(err, request);
      } catch {
        // A failing reporter must not replace the answer.
      }
      if (res.headersSent) res.destroy();
      else res.writeHead(500, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" }).end("internal error\n");
      return undefined;
    }
    try {
      await sendResponse(res, response);
    } catch {
      res.destroy(); // the client went away mid-body, or the body stream failed
    }
    return undefined;
  };
}
