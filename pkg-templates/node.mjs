// `import ... from "helpdesk-oauth"` (node): the core API only; sessions and handlers are subpaths.
import "./init-node.mjs";

export * from "./api.mjs";
