// Node (ESM), Deno and Bun: the wasm is read from the package directory and compiled synchronously.
// Every Node entry (the main one and the subpaths) imports this first; it runs once.
import { readFileSync } from "node:fs";
import { initSync } from "./helpdesk_oauth.js";

initSync({ module: readFileSync(new URL("./helpdesk_oauth_bg.wasm", import.meta.url)) });
