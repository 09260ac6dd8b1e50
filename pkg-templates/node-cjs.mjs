// Source of node.cjs (bundled to CommonJS at build time): `require("helpdesk-oauth")` in Node.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { initSync } from "./helpdesk_oauth.js";

initSync({ module: readFileSync(join(__dirname, "helpdesk_oauth_bg.wasm")) });

export * from "./api.mjs";
