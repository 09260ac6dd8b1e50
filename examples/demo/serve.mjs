// `make demo`: the emulator and the example app, running until Ctrl-C. Open the printed URLs.
// DEMO_APP_PORT (default 3000) and DEMO_EMULATOR_PORT (default 4010) move them.
import { startDemoStack } from './stack.mjs';

const PORTS = {
  app: { variable: 'DEMO_APP_PORT', fallback: 3000, what: 'the example app' },
  emulator: { variable: 'DEMO_EMULATOR_PORT', fallback: 4010, what: 'the provider emulator' },
};

function port({ variable, fallback }) {
  const v = process.env[variable];
  if (v === undefined || v === '') return fallback;
  if (!/^\d{1,5}$/.test(v) || Number(v) > 65535) {
    console.error(`make demo: ${variable} must be a port number from 0 to 65535 (0: any free port)`);
    process.exit(2);
  }
  return Number(v);
}

let stack;
try {
  stack = await startDemoStack({ appPort: port(PORTS.app), emulatorPort: port(PORTS.emulator) });
} catch (e) {
  const which = PORTS[e.server];
  if (!which || (e.code !== 'EADDRINUSE' && e.code !== 'EACCES')) throw e;
  const problem = e.code === 'EADDRINUSE' ? 'is already in use' : 'needs privileges';
  console.error(`make demo: port ${e.port} (${which.what}) ${problem}. Stop what uses it, or pick another port: ${which.variable}=N make demo (0: any free port)`);
  process.exit(1);
}
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
