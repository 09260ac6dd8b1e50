// Whether the CLI may trust its token file. The file names the token endpoint that receives the
// client secret on a refresh, so whoever can write it (or replace it with a link to a file of
// theirs) could collect the secret. Refused: a link, anything but a regular file, a file of
// another user, a file others can write, a directory of another user. A directory others can
// write is tightened to 0700 (they could swap the file in it); one that is only readable is left
// as it is (the file itself is 0600), so that --store in a home directory does not change it.
// Every refusal says what to do about it. POSIX only: Windows has no such modes or owners here.
import { HelpdeskOAuthError } from 'helpdesk-oauth';
import fs from 'node:fs/promises';

const POSIX = process.platform !== 'win32' && typeof process.getuid === 'function';
const OTHERS_WRITE = 0o022;

export function storeFailure(message) {
  return new HelpdeskOAuthError('token_store_error', message, { retryable: false });
}

const octal = (mode) => `0${(mode & 0o777).toString(8).padStart(3, '0')}`;

/** Throws token_store_error unless `stats` (lstat/fstat of `file`) is a regular file of ours that only we can write. */
export async function checkTokenFile(file, stats) {
  if (stats.isSymbolicLink()) {
    throw storeFailure(`the token store ${file} is a symbolic link, which the CLI does not follow (the file it points to could be anyone's): replace the link with the file itself, or pass --store with the real path`);
  }
  if (!stats.isFile()) throw storeFailure(`the token store ${file} is not a regular file: move it away, or pass --store with another path`);
  if (!POSIX) return;
  const me = process.getuid();
  if (stats.uid !== me) {
    throw storeFailure(`the token store ${file} belongs to user id ${stats.uid}, not to you (user id ${me}): refusing to use it; move it away and log in again to make your own`);
  }
  if (stats.mode & OTHERS_WRITE) {
    throw storeFailure(`the token store ${file} can be written by other users (mode ${octal(stats.mode)}), who could point it at their own token endpoint: run \`chmod 600 ${file}\` if you trust its content, or delete it and log in again`);
  }
}

/**
 * Checks the token file's directory: ours (or refused), and tightened to 0700 when others can
 * write to it. Resolves false when it does not exist.
 */
export async function checkTokenDirectory(dir) {
  let stats;
  try {
    stats = await fs.stat(dir);
  } catch (err) {
    if (err.code === 'ENOENT') return false;
    throw storeFailure(`cannot use the directory ${dir} of the token store (${err.code ?? err.name})`);
  }
  if (!stats.isDirectory()) throw storeFailure(`${dir} (where the token store goes) is not a directory: pass --store with another path`);
  if (!POSIX) return true;
  const me = process.getuid();
  if (stats.uid !== me) {
    throw storeFailure(`the directory ${dir} of the token store belongs to user id ${stats.uid}, not to you (user id ${me}), so its owner could replace the file: pass --store (or HELPDESK_OAUTH_STORE) with a path in a directory of yours`);
  }
  if (stats.mode & OTHERS_WRITE) {
    try {
      await fs.chmod(dir, 0o700);
    } catch (err) {
      throw storeFailure(`the directory ${dir} of the token store can be written by other users (mode ${octal(stats.mode)}) and could not be changed to 0700 (${err.code ?? err.name}): run \`chmod 700 ${dir}\``);
    }
  }
  return true;
}
