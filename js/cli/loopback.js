// The redirect target of a native app (RFC 8252 §7.3): an HTTP server on the loopback address,
// on a port the OS picks unless one is given (providers that compare redirect URIs exactly need
// the registered port). It waits for the one request that carries the authorization response
// (`code` or `error`), lets the caller finish the login, shows the browser the outcome, and closes.
import http from 'node:http';

const PAGE = (title, text) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>` +
  `<body style="font:16px system-ui,sans-serif;margin:3em"><h1>${title}</h1><p>${text}</p></body></html>`;

const escapeHtml = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * @param {{port: number, path: string}} o
 * @returns {Promise<{redirectUri: string, callback: (finish: (url: string) => Promise<{ok: boolean, message: string}>) => Promise<void>, close: () => Promise<void>}>}
 */
export async function startLoopback({ port, path }) {
  let onCallback;
  let taken = false;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const isResponse = url.searchParams.has('code') || url.searchParams.has('error');
    if (req.method !== 'GET' || url.pathname !== path || !isResponse || taken || !onCallback) {
      // Favicon requests, stray visits, a second redirect: not the one we wait for.
      res.writeHead(404, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(PAGE('Not found', 'This is the helpdesk-oauth login helper; it only takes the provider’s redirect.'));
      return;
    }
    taken = true;
    onCallback(`http://127.0.0.1:${server.address().port}${req.url}`).then(({ ok, message }) => {
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
    /** Resolves after `finish` has run for the authorization response and the browser got its page. */
    callback(finish) {
      return new Promise((resolve) => {
        onCallback = async (url) => {
          const outcome = await finish(url);
          resolve();
          return outcome;
        };
      });
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
