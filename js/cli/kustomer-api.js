// The two Kustomer app-platform calls of the OAuth set-up (seed guide, steps 1-2), with an API key.
import { CliError, EXIT } from './errors.js';
// The package's capped body reader (cli/ sits beside it in the package): a gzip answer is
// limited by what it inflates to, not by its content-length.
import { readBodyText } from '../read-body.mjs';

export const DEFAULT_KUSTOMER_API = 'https://api.kustomerapp.com';

function problem(status, body) {
  const first = Array.isArray(body?.errors) ? body.errors[0] : undefined;
  const text = [first?.title, first?.detail].filter((x) => typeof x === 'string').join(': ').slice(0, 300);
  return text || `HTTP ${status}`;
}

/** POST JSON with `Authorization: Bearer <apiKey>`; resolves to the JSON:API `data.attributes`. */
export async function kustomerPost(baseUrl, path, apiKey, body) {
  const url = `${baseUrl.replace(/\/+$/, '')}${path}`;
  let res;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify(body),
      redirect: 'manual',
      signal: AbortSignal.timeout(30_000),
    });
  } catch (err) {
    throw new CliError(`could not reach ${new URL(url).origin} (${err.cause?.code ?? err.name})`, { code: 'network_error', next: 'check --base-url and the network, then try again' });
  }
  const text = await readBodyText(res, { what: 'the Kustomer API' });
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (res.status === 401 || res.status === 403) {
    throw new CliError(`Kustomer refused the API key (${res.status}: ${problem(res.status, json)})`, {
      code: 'api_key_refused',
      next: 'use an API key of the org with the roles org.admin.apps and org.permission.apps (KUSTOMER_API_KEY)',
    });
  }
  if (!res.ok) return { status: res.status, error: problem(res.status, json) };
  const attributes = json?.data?.attributes;
  if (!attributes || typeof attributes.clientId !== 'string') {
    throw new CliError(`unexpected answer from ${url} (HTTP ${res.status}, no data.attributes.clientId)`, { exitCode: EXIT.ERROR, code: 'response_invalid', next: 'check --base-url' });
  }
  return { status: res.status, attributes, id: json.data.id };
}
