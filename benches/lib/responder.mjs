// The in-process stand-in for the token endpoint: a `fetch` that answers every request with the
// body set by respondWith(), so a benchmark counts library work and not the network. With
// capture(true) it also records each request (for the smoke test's cross-library comparison).

const RESPONSE_HEADERS = { "content-type": "application/json;charset=UTF-8", "cache-control": "no-store" };

export function createResponder() {
  let body = "{}";
  let capturing = false;
  const requests = [];

  async function fetch(input, init = {}) {
    if (capturing) requests.push(await describe(input, init));
    // With its length, as a token endpoint's small JSON answer comes over the network.
    return new Response(body, { status: 200, headers: { ...RESPONSE_HEADERS, "content-length": String(Buffer.byteLength(body)) } });
  }

  return {
    fetch,
    respondWith(text) {
      body = text;
    },
    capture(on) {
      capturing = on;
      requests.length = 0;
    },
    requests,
  };
}

// Libraries call fetch(url, init) or fetch(Request); both become one plain record.
async function describe(input, init) {
  const req = new Request(input, init);
  const headers = {};
  for (const [k, v] of req.headers) headers[k] = v;
  const text = req.method === "GET" ? "" : await req.text();
  return { method: req.method, url: req.url, headers, params: Object.fromEntries(new URLSearchParams(text)) };
}
