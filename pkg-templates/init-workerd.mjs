// Cloudflare Workers (workerd): no filesystem and no runtime compilation of fetched bytes; the
// bundler (wrangler, or a miniflare CompiledWasm rule) hands the wasm over as a WebAssembly.Module.
import wasmModule from "./helpdesk_oauth_bg.wasm";
import { initSync } from "./helpdesk_oauth.js";

initSync({ module: wasmModule });
