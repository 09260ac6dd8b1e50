// Node (ESM), Deno and Bun: the wasm is read from the package directory and compiled synchronously.
import { readFileSync } from "node:fs";
import { initSync } from "./helpdesk_oauth.js";

initSync({ module: readFileSync(new URL("./helpdesk_oauth_bg.wasm", import.meta.url)) });

export * from "./api.mjs";
