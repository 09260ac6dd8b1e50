// The redirect target of a native app (RFC 8252 §7.3): an HTTP server on the loopback address,
// on a port the OS picks unless one is given (providers that compare redirect URIs exactly need
// the registered port). It waits for the one request that carries the authorization response
// (`code` or `error`) with this login's `state`, lets the caller finish the login, shows the
// browser the outcome, and closes. A response with another state (or none) is answered with an
// error page and ignored: any local page can send a request here, and must not end the login.
import { timingSafeEqual } from 'node:crypto';
import http from 'node:http';

const PAGE = (title, text) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>` +
  `<body style="font:16px system-ui,sans-serif;margin:3em"><h1>${title}</h1><p>${text}</p></body></html>`;

const escapeHtml = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function sameState(given, expected) {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * @param {{port: number, path: string}} o
 * @returns {Promise<{redirectUri: string, callback: (state: string, finish: (url: string) => Promise<{ok: boolean, message: string}>) => Promise<void>, close: () => Promise<void>}>}
 */
export async function startLoopback({ port, path }) {
  let waiting; // { state, onCallback } once the login knows its state
  let taken = false;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const isResponse = url.searchParams.has('code') || url.searchParams.has('error');
    if (req.method !== 'GET' || url.pathname !== path || !isResponse || taken || !waiting) {
      // Favicon requests, stray visits, a second redirect: not the one we wait for.
      res.writeHead(404, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(PAGE('Not found', 'This is the helpdesk-oauth login helper; it only takes the provider’s redirect.'));
      return;
    }
    const states = url.searchParams.getAll('state');
    if (states.length !== 1 || !sameState(states[0], waiting.state)) {
      res.writeHead(400, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
      res.end(PAGE('Not this login', 'This request does not belong to the login in progress, which keeps waiting for the provider’s redirect.'));
      return;
    }
    taken = true;
    waiting.onCallback(`http://127.0.0.1:${server.address().port}${req.url}`).then(({ ok, message }) => {
      res.writeHead(ok ? 200 : 400, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
      res.end(PAGE(ok ? 'Logged in' : 'Login failed', `${escapeHtml(message)} You can close this tab and return to the terminal.`));
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    redirectUri: `http://127.0.0.1:${server.address().port}${path}`,
    /**
     * Resolves after `finish` has run for the authorization response carrying `state` and the
     * browser got its page.
     */
    callback(state, finish) {
      return new Promise((resolve) => {
        waiting = {
          state,
          onCallback: async (url) => {
            const outcome = await finish(url);
            resolve();
            return outcome;
          },
        };
      });
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
