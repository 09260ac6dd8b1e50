// Browsers and bundlers: the wasm is fetched next to this file (top-level await).
import init from "./helpdesk_oauth.js";

await init({ module_or_path: new URL("./helpdesk_oauth_bg.wasm", import.meta.url) });
