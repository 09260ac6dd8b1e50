// One cold start: load one library and build one authorize URL, then print how long that took
// since this process started (performance.now() counts from process start in Node).
// Usage: node cold-start/node-child.mjs <library id | "none">
const id = process.argv[2];
const { adapterEnv } = await import("../lib/fixtures.mjs");
let url = "";
if (id !== "none") {
  const { create } = await import(`../lib/libraries/${id}.mjs`);
  url = (await create(adapterEnv(undefined)).authorize()).url;
  if (!url.startsWith("https://acme.gorgias.com/oauth/authorize?")) throw new Error(`unexpected URL ${url}`);
}
process.stdout.write(JSON.stringify({ ms: performance.now(), url }));
