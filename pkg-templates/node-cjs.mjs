// Source of node.cjs (bundled to CommonJS at build time): `require("helpdesk-oauth")` and every
// subpath in Node. One bundle, so one copy of each class: everything is in it.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { initSync } from "./helpdesk_oauth.js";

initSync({ module: readFileSync(join(__dirname, "helpdesk_oauth_bg.wasm")) });

export * from "./api.mjs";
export * from "./session-api.mjs";
export * from "./handlers-api.mjs";
