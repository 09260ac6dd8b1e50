// `make demo`: the emulator and the example app, running until Ctrl-C. Open the printed URLs.
import { startDemoStack } from './stack.mjs';

const port = (name, fallback) => (process.env[name] ? Number(process.env[name]) : fallback);
const stack = await startDemoStack({ appPort: port('DEMO_APP_PORT', 3000), emulatorPort: port('DEMO_EMULATOR_PORT', 4010) });
const { app, emulator } = stack;
console.log(`
helpdesk-oauth demo (everything on 127.0.0.1, no internet)

  provider emulator  ${emulator.url}   (Gorgias, Kustomer, Zendesk, Front, Help Scout, Zoho Desk, HubSpot, Intercom)
  example app        ${app.url}

Open in a browser:
  ${app.url}/install?account=acme                    the App URL Gorgias would open for the account "acme"
  ${app.url}/install?account=myorg&provider=kustomer the same for a Kustomer org
  ${app.url}/install?account=acme&provider=zoho      the same for zendesk, front, helpscout, zoho, hubspot, intercom
  ${app.url}/www/                                    the interactive page (authorize URL, PKCE, tokens, errors)
  ${app.url}/                                        the app's home page: connected accounts, API call, refresh, revoke

Headless run of the same flow: make demo-check.   Ctrl-C to stop.`);

const stop = async () => {
  await stack.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
