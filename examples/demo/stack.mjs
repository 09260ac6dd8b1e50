// The demo's two servers together: the provider emulator (helpdesk-oauth/emulator, as shipped in
// the package) with this app registered at every provider it emulates, and the example app
// pointed at it. The Zoho user lives in the EU data centre, to show the tenant at work.
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator } from 'helpdesk-oauth/emulator';
import { startDemoApp } from './app.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
export const CLIENT_ID = 'demo-app';
export const SCOPES = {
  gorgias: ['openid', 'email', 'profile', 'offline', 'account:read', 'tickets:read'],
  kustomer: ['org.permission.customer', 'offline_access'],
  zendesk: ['read'],
  front: [],
  helpscout: [],
  zoho: ['Desk.tickets.READ', 'Desk.basic.READ'],
  hubspot: ['oauth', 'tickets'],
  intercom: [],
};

/**
 * A port that cannot be had rejects with the listen error, tagged `server: 'app' | 'emulator'`.
 * @param {{appPort?: number, emulatorPort?: number, autoApprove?: boolean}} [options]
 * @returns {Promise<{app: object, emulator: object, close: () => Promise<void>}>}
 */
export async function startDemoStack({ appPort = 0, emulatorPort = 0, autoApprove = false } = {}) {
  const pkgDir = dirname(createRequire(import.meta.url).resolve('helpdesk-oauth/package.json'));
  let emulator;
  const secret = () => `demo-secret-${randomBytes(12).toString('hex')}`;
  const app = await startDemoApp({
    onListenError: (e) => Object.assign(e, { server: 'app' }),
    port: appPort,
    wwwDir: join(HERE, '..', '..', 'www'),
    pkgDir,
    async configure({ redirectUri }) {
      const apps = Object.keys(SCOPES).map((provider) => ({ provider, name: 'helpdesk-oauth demo app', clientId: CLIENT_ID, clientSecret: secret(), redirectUris: [redirectUri] }));
      emulator = await startEmulator({ apps, port: emulatorPort, autoApprove, zohoDataCentre: 'eu' }).catch((e) => {
        throw Object.assign(e, { server: 'emulator' });
      });
      const providers = {};
      for (const a of apps) {
        providers[a.provider] = { provider: emulator.providerConfig(a.provider), clientId: a.clientId, clientSecret: a.clientSecret, scopes: SCOPES[a.provider] };
      }
      const publicConfig = {
        clientId: CLIENT_ID,
        emulatorUrl: emulator.url,
        providers: Object.fromEntries(Object.entries(providers).map(([name, p]) => [name, p.provider])),
        scopes: SCOPES,
      };
      return { providers, publicConfig };
    },
  });
  return {
    app,
    emulator,
    async close() {
      await app.close();
      await emulator.close();
    },
  };
}
