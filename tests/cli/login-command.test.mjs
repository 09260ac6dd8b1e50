// The `next:` login command for a stored account must work when pasted: for the presets the
// emulator serves on its own layout (Zendesk, ..., Zoho), the stored endpoints come from
// `--base-url ORIGIN`, which also brings what URLs alone cannot carry (Zoho's data centres).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

// The CLI's modules as packed (they import helpdesk-oauth/emulator by the package's own name).
const cli = (file) => import(pathToFileURL(join(process.env.HELPDESK_OAUTH_PKG_DIR ?? 'pkg', 'cli', file)).href);
const { loginCommand } = await cli('login-command.js');
const { providerConfigFromFlags } = await cli('provider.js');

const ORIGIN = 'http://127.0.0.1:4010';

for (const provider of ['zendesk', 'front', 'helpscout', 'zoho', 'hubspot', 'intercom']) {
  test(`${provider}: a login against the emulator is repeated with --base-url ${ORIGIN}`, async () => {
    const stored = await providerConfigFromFlags({ provider, 'base-url': ORIGIN, account: 'acme' }, 'login');
    const line = loginCommand({ account: 'acme', client: { provider: stored, clientId: 'app-1', redirectUri: 'http://127.0.0.1:8765/callback', fixedRedirect: true } });
    assert.equal(line, `helpdesk-oauth login --provider ${provider} --base-url ${ORIGIN} --account acme --client-id app-1 --port 8765`);
    // Pasted, it gives the same settings back.
    assert.deepEqual(await providerConfigFromFlags({ provider, 'base-url': ORIGIN, account: 'acme' }, 'login'), stored);
  });
}

test('endpoints moved one by one elsewhere are repeated one by one', () => {
  const provider = { preset: 'zendesk', authorizeUrl: 'https://proxy.example/oauth/authorizations/new', tokenUrl: 'https://proxy.example/oauth/tokens' };
  const line = loginCommand({ account: 'acme', client: { provider, clientId: 'app-1' } });
  assert.equal(line, 'helpdesk-oauth login --provider zendesk --authorize-url https://proxy.example/oauth/authorizations/new --token-url https://proxy.example/oauth/tokens --account acme --client-id app-1');
});
