#!/usr/bin/env node
// helpdesk-oauth-emulator: runs the local Gorgias / Kustomer emulator until Ctrl-C.
//   helpdesk-oauth-emulator --config apps.json
//   helpdesk-oauth-emulator --client-id ID --client-secret SECRET --redirect-uri URI [--provider gorgias]
import { startEmulator } from './server.mjs';
import { optionsFromArgs, USAGE } from './cli-options.mjs';
import { loginCommands } from './banner.mjs';
import { listenFailure } from './listen-failure.mjs';

async function main() {
  let options;
  try {
    options = optionsFromArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`helpdesk-oauth-emulator: ${e.message}\n${USAGE}`);
    process.exit(2);
  }
  if (!options) {
    console.log(USAGE);
    return;
  }
  let emulator;
  try {
    // Refused requests (bad redirect_uri, unknown scope, bad client auth, ...) are logged on stderr.
    emulator = await startEmulator({ ...options, log: (line) => console.error(line) });
  } catch (e) {
    const failure = listenFailure(e, 'helpdesk-oauth-emulator');
    if (!failure) throw e;
    console.error(`helpdesk-oauth-emulator: ${failure}`);
    process.exit(1);
  }
  console.log(`helpdesk-oauth emulator listening on ${emulator.url}`);
  for (const app of emulator.apps) {
    console.log(`  app ${app.name ?? app.clientId} (${app.provider ?? 'gorgias, kustomer'}): client_id ${app.clientId}, redirect URIs ${app.redirectUris.join(' ')}`);
  }
  for (const provider of ['gorgias', 'kustomer']) {
    console.log(`  ${provider}: provider config ${JSON.stringify(emulator.providerConfig(provider))}`);
  }
  console.log(`  per-account hosts also work: http://{account}.gorgias.${options.hostSuffix ?? 'localhost'}:${emulator.port}/oauth/authorize`);
  const logins = loginCommands(emulator);
  if (logins.length) console.log(`  log in from a terminal (client secret: HELPDESK_OAUTH_CLIENT_SECRET or the prompt):\n${logins.map((l) => `    ${l}`).join('\n')}`);
  console.log(emulator.autoApprove ? '  consent: approved automatically (--auto-approve)' : '  consent: an HTML page with Approve / Deny');
  console.log('  refused requests are logged here, one line each');
  console.log('Ctrl-C to stop');
  const stop = () => emulator.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main();
