// `import` of a package subpath the way code inside the scratch project resolves it (the import
// condition, not require's): through a probe module written in that project. createRequire would
// pick the CommonJS build, whose classes are not the ESM entry's.
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export function importInstalled(dir, specifier) {
  const file = path.join(dir, `probe-${specifier.replace(/[^a-z0-9]+/gi, '-')}.mjs`);
  if (!existsSync(file)) writeFileSync(file, `export * from ${JSON.stringify(specifier)};\n`);
  return import(pathToFileURL(file).href);
}
