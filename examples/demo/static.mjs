// Serves files from one directory (the www page, the installed package's browser build) with
// the content types browsers insist on for modules and wasm; nothing outside the directory.
import { readFile, stat } from 'node:fs/promises';
import { join, normalize, extname, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
};

/** Answers and returns true when `relPath` names a file under `root`; false otherwise. */
export async function serveFile(res, root, relPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(relPath);
  } catch {
    return false;
  }
  const file = normalize(join(root, decoded.endsWith('/') || decoded === '' ? `${decoded}index.html` : decoded));
  if (file !== root && !file.startsWith(root.endsWith(sep) ? root : root + sep)) return false;
  try {
    if (!(await stat(file)).isFile()) return false;
    const body = await readFile(file);
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-length': body.length, 'cache-control': 'no-cache' });
    res.end(body);
    return true;
  } catch {
    return false;
  }
}
