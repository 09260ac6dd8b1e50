// Types of helpdesk-oauth/node: web-standard handlers in node:http and Express. The shapes below
// are the parts of Node's IncomingMessage and ServerResponse the adapter uses, so the types need
// no @types/node (and accept Node's own classes and Express's request and response).

/** What the adapter reads from a node:http IncomingMessage (an Express request is one). */
export interface NodeIncomingMessage extends AsyncIterable<unknown> {
  method?: string;
  url?: string;
  /** Express: the URL as the client sent it (`url` is rewritten under a mount path). */
  originalUrl?: string;
  headers: Record<string, string | string[] | undefined>;
  readonly readableEnded?: boolean;
}

/** What the adapter writes to a node:http ServerResponse (an Express response is one). */
export interface NodeServerResponse {
  statusCode: number;
  statusMessage: string;
  readonly headersSent: boolean;
  readonly writableFinished: boolean;
  setHeader(name: string, value: string | readonly string[]): unknown;
  writeHead(status: number, headers?: Record<string, string>): { end(chunk?: string): unknown };
  end(): unknown;
  destroy(error?: Error): unknown;
  once(event: "close", listener: () => void): unknown;
}

/** A web-standard handler, such as `createInstallHandler(...)` or `createCallbackHandler(...)`. */
export type WebHandler = (request: Request) => Response | Promise<Response>;

export interface ToNodeHandlerOptions {
  /**
   * The app's own origin, e.g. `"https://app.example.com"` (any absolute URL of the app works, such
   * as its redirect URI). Request URLs are built on it, never on the client's Host header.
   */
  origin: string;
  /**
   * Told about a handler that throws (plain node:http only; Express gets the error through
   * `next`). The answer is then a 500 without details. Default: one line on stderr with the
   * library error's code and message, or only the name of another error.
   */
  onError?: (error: unknown, request: Request | undefined) => void;
}

/** A node:http request listener that is also an Express handler (`next` receives a thrown error). */
export type NodeHandler = (req: NodeIncomingMessage, res: NodeServerResponse, next?: (error?: unknown) => void) => Promise<void>;

/**
 * Runs a web-standard handler for node:http or Express:
 * `http.createServer(toNodeHandler(handler, { origin }))` or `app.get("/install", toNodeHandler(install, { origin }))`.
 * Throws `invalid_config` (HelpdeskOAuthError) for a missing or non-http(s) origin.
 */
export declare function toNodeHandler(handler: WebHandler, options: ToNodeHandlerOptions): NodeHandler;

/** An IncomingMessage as a `Request` on `origin` (path and query from the request; body streamed for methods that have one). */
export declare function toRequest(req: NodeIncomingMessage, options: { origin: string; signal?: AbortSignal }): Request;

/**
 * Writes a `Response` to a ServerResponse: status, headers (each Set-Cookie on its own), body
 * streamed (none for HEAD). A Response that came from `fetch()` (an API answer passed on, e.g.
 * `session.fetch(...)`) loses the upstream's Content-Encoding and Content-Length (its body is
 * already decoded), hop-by-hop headers and Set-Cookie.
 */
export declare function sendResponse(res: NodeServerResponse, response: Response): Promise<void>;
