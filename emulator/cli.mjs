#!/usr/bin/env node
// helpdesk-oauth-emulator: runs the local Gorgias / Kustomer emulator until Ctrl-C.
//   helpdesk-oauth-emulator --config apps.json
//   helpdesk-oauth-emulator --client-id ID --client-secret SECRET --redirect-uri URI [--provider gorgias]
import { startEmulator } from './server.mjs';
import { optionsFromArgs, USAGE } from './cli-options.mjs';

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
  const emulator = await startEmulator(options);
  console.log(`helpdesk-oauth emulator listening on ${emulator.url}`);
  for (const app of emulator.apps) {
    console.log(`  app ${app.name ?? app.clientId} (${app.provider ?? 'gorgias, kustomer'}): client_id ${app.clientId}, redirect URIs ${app.redirectUris.join(' ')}`);
  }
  for (const provider of ['gorgias', 'kustomer']) {
    console.log(`  ${provider}: provider config ${JSON.stringify(emulator.providerConfig(provider))}`);
  }
  console.log(`  per-account hosts also work: http://{account}.gorgias.${options.hostSuffix ?? 'localhost'}:${emulator.port}/oauth/authorize`);
  console.log(emulator.autoApprove ? '  consent: approved automatically (--auto-approve)' : '  consent: an HTML page with Approve / Deny');
  console.log('Ctrl-C to stop');
  const stop = () => emulator.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main();
