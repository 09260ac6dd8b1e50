// Playing the user in scripts and tests: open the authorize URL, answer the consent page the
// way its form does, and return where the provider sends the browser (the app's callback URL).

/**
 * @param {string} authorizeUrl the URL the app redirected the browser to
 * @param {{decision?: 'approve'|'deny', fetch?: typeof fetch}} [options]
 * @returns {Promise<string>} the callback URL (with `code` or `error`, and `state`)
 */
export async function answerConsent(authorizeUrl, { decision = 'approve', fetch: f = globalThis.fetch } = {}) {
  const page = await f(authorizeUrl, { redirect: 'manual' });
  const html = await page.text();
  if (page.status === 302) return page.headers.get('location'); // auto-approve, or an OAuth error
  if (page.status !== 200) throw new Error(`authorize answered ${page.status}: ${html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim()}`);
  const consent = /name="consent" value="([^"]+)"/.exec(html)?.[1];
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  if (!consent || !action) throw new Error('authorize answered 200 without a consent form');
  const res = await f(new URL(action, authorizeUrl), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ consent, decision }).toString(),
  });
  await res.arrayBuffer();
  const location = res.headers.get('location');
  if (res.status !== 302 || !location) throw new Error(`consent answered ${res.status}, expected a redirect`);
  return location;
}
