// examples/node-http (the package's handlers mounted in node:http through its Request/Response
// adapter) as a throughput app. The example is copied next to benches/node_modules so that its
// `import "helpdesk-oauth"` resolves to the package under test, as in a user's project.
// Usage: node node-http-example.mjs <port> <provider config as JSON> <clientId> <clientSecret> <cookieSecret> <scopes>
import http from "node:http";
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { BENCH_DIR, REPO_DIR } from "../lib/package-link.mjs";

const [port, provider, clientId, clientSecret, cookieSecret, scopes] = process.argv.slice(2);
const dir = join(BENCH_DIR, "node_modules", ".cache", "helpdesk-oauth-bench");
mkdirSync(dir, { recursive: true });
const appPath = join(dir, `node-http-app-${process.pid}.mjs`);
copyFileSync(join(REPO_DIR, "examples", "node-http", "app.mjs"), appPath);
const { createApp } = await import(pathToFileURL(appPath).href);
rmSync(appPath); // loaded: the copy is not needed any more

const origin = `http://127.0.0.1:${port}`;
const app = createApp({ provider: JSON.parse(provider), clientId, clientSecret, redirectUri: `${origin}/oauth/callback`, cookieSecret, scopes: scopes.split(" ") });
const server = http.createServer(app);
server.listen(Number(port), "127.0.0.1", () => process.stdout.write(`${JSON.stringify({ url: origin })}\n`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
