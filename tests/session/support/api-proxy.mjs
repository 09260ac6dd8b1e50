// A front for the provider server's API routes that can answer with a status of the test's
// choosing (401, 429 with Retry-After) before passing requests through. provider-server.mjs has
// no such switch and belongs to another area, so this wraps it instead of changing it.
//
//   proxy.inject({ status: 429, headers: { 'Retry-After': '7' } })   queue an answer for the next API request
//   proxy.state.requests: [{ method, path, authorization, body, injected }]   every request seen
// It also serves POST /{provider}/{account}/api/echo itself (answers the method and body) so that
// tests can check a request body is sent again on a retry.
import http from 'node:http';

export async function startApiProxy(upstreamUrl) {
  const queue = [];
  const state = { requests: [] };
  const server = http.createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const body = Buffer.concat(chunks).toString('utf8');
    const record = { method: req.method, path: req.url, authorization: req.headers.authorization, body, injected: false };
    state.requests.push(record);
    const fault = queue.shift();
    if (fault) {
      record.injected = true;
      const text = JSON.stringify({ error: fault.status === 429 ? 'rate_limited' : 'invalid_token' });
      res.writeHead(fault.status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...(fault.headers ?? {}) });
      return res.end(text);
    }
    if (/\/api\/echo$/.test(req.url)) {
      const text = JSON.stringify({ method: req.method, body });
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
      return res.end(text);
    }
    try {
      const upstream = await fetch(`${upstreamUrl}${req.url}`, {
        method: req.method,
        headers: req.headers.authorization ? { authorization: req.headers.authorization } : {},
        body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body,
      });
      const text = await upstream.text();
      res.writeHead(upstream.status, { 'Content-Type': upstream.headers.get('content-type') ?? 'text/plain' });
      res.end(text);
    } catch (err) {
      res.writeHead(502, { 'Content-Type': 'text/plain' });
      res.end(`proxy: ${err.message}`);
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    url,
    state,
    inject(...faults) {
      queue.push(...faults);
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
