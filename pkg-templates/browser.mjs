// `import ... from "helpdesk-oauth"` (browser): the core API only; sessions and handlers are subpaths.
import "./init-browser.mjs";

export * from "./api.mjs";
