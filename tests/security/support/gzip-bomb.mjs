// A gzip bomb for the tests: 200 MiB of JSON whitespace gzipped to about 200 KB, built as a
// stream (never held inflated), and a way to send it with an honest content-length.
import { createGzip } from 'node:zlib';

export const BOMB_DECODED_BYTES = 200 * 1024 * 1024;

/** The gzipped bytes (about 200 KB) of 200 MiB of spaces. */
export async function makeGzipBomb() {
  const gzip = createGzip({ level: 9 });
  const parts = [];
  gzip.on('data', (c) => parts.push(c));
  const done = new Promise((resolve, reject) => gzip.on('end', resolve).on('error', reject));
  const chunk = Buffer.alloc(1024 * 1024, 0x20);
  for (let i = 0; i < BOMB_DECODED_BYTES / chunk.length; i += 1) {
    if (!gzip.write(chunk)) await new Promise((r) => gzip.once('drain', r));
  }
  gzip.end();
  await done;
  return Buffer.concat(parts);
}

/** Answers `res` with the bomb: JSON, gzip-encoded, content-length the compressed size. */
export function sendGzipBomb(res, bomb, status = 200) {
  res.writeHead(status, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': String(bomb.length) });
  res.end(bomb);
}
