// The local provider (tests/node/support/provider-server.mjs) in its own process, so it does not
// share an event loop with the app under load. Prints {"url": ...} once listening.
// Usage: node provider-process.mjs <clientId> <clientSecret> <redirectUri>
import { startProviderServer } from "../../tests/node/support/provider-server.mjs";

const [clientId, clientSecret, redirectUri] = process.argv.slice(2);
const server = await startProviderServer({ clientId, clientSecret, redirectUris: [redirectUri] });
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
process.on("SIGTERM", () => server.close().then(() => process.exit(0)));
