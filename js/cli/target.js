// Which stored account a command is about: --account, and --provider when the same account name
// is stored for more than one provider.
import { validateAccount } from 'helpdesk-oauth';
import { UsageError } from './errors.js';

export function checkAccount(account, command) {
  try {
    validateAccount(account);
  } catch (err) {
    throw new UsageError(`--account must be the account's subdomain (one DNS label, e.g. acme for acme.gorgias.com): ${err.message}`, command);
  }
  return account;
}

/** @returns {Promise<{key: string|undefined, provider: string|undefined, account: string, entry: object|undefined}>} */
export async function findTarget(store, { provider, account }, command) {
  checkAccount(account, command);
  if (provider !== undefined) {
    const key = `${provider}:${account}`;
    return { key, provider, account, entry: await store.entry(key) };
  }
  const matches = (await store.list()).filter((e) => e.key.slice(e.key.indexOf(':') + 1) === account);
  if (matches.length > 1) {
    throw new UsageError(`account ${account} is stored for several providers (${matches.map((m) => m.key.split(':')[0]).join(', ')}): pass --provider`, command);
  }
  if (matches.length === 0) return { key: undefined, provider: undefined, account, entry: undefined };
  const [m] = matches;
  const { key, ...entry } = m;
  return { key, provider: key.split(':')[0], account, entry };
}
