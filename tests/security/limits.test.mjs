// Size limits on what the provider sends, over real HTTP: a token endpoint that streams an
// endless chunked body must not make the client buffer it all.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { loadPackage } from "../node/support/install-package.mjs";

let pkg, server, base;
const sent = { bytes: 0, closedEarly: false };
before(async () => {
  pkg = await loadPackage();
  server = http.createServer((req, res) => {
    if (req.url.startsWith("/endless")) {
      // Chunked, no content-length: 64 KiB chunks for up to 64 MiB unless the client goes away.
      res.writeHead(200, { "content-type": "application/json" });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let left = 1024;
      const pump = () => {
        while (left > 0) {
          left--;
          sent.bytes += chunk.length;
          if (!res.write(chunk)) return res.once("drain", pump);
        }
        res.end();
      };
      res.on("close", () => { if (left > 0) sent.closedEarly = true; });
      pump();
    } else if (req.url.startsWith("/bom")) {
      // Chunked JSON with a UTF-8 byte order mark, as some frameworks send.
      res.writeHead(200, { "content-type": "application/json; charset=utf-8" });
      res.write(Buffer.from([0xef, 0xbb, 0xbf]));
      res.end(JSON.stringify({ access_token: "at-bom", token_type: "Bearer", expires_in: 60 }));
    } else res.writeHead(404).end();
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${server.address().port}`;
});
after(() => server.close());

function client(path) {
  return new pkg.esm.OAuthClient({
    provider: { id: "limits", authorizeUrl: `${base}/authorize`, tokenUrl: `${base}${path}`, refreshScope: null, nonce: false },
    clientId: "c",
    clientSecret: "s",
    redirectUri: "https://app.example.com/cb",
    scopes: ["read"],
  });
}

async function exchange(c) {
  const req = c.authorize();
  return c.exchangeCode(`https://app.example.com/cb?code=x&state=${req.state}`, req.pending);
}

test("a chunked body over 1 MiB is refused with response_too_large, and the stream is cancelled", async () => {
  const err = await exchange(client("/endless")).then(() => null, (e) => e);
  assert.ok(err instanceof pkg.esm.HelpdeskOAuthError, String(err));
  assert.equal(err.code, "response_too_large");
  assert.equal(err.status, 200);
  await new Promise((r) => setTimeout(r, 200));
  assert.ok(sent.closedEarly, "the client stopped reading");
  assert.ok(sent.bytes < 16 * 1024 * 1024, `server wrote ${sent.bytes} bytes before the client went away`);
});

test("a chunked body with a UTF-8 BOM reads like text() does", async () => {
  const tokens = await exchange(client("/bom"));
  assert.equal(tokens.accessToken, "at-bom");
});
