// `import ... from "helpdesk-oauth"` (workerd): the core API only; sessions and handlers are subpaths.
import "./init-workerd.mjs";

export * from "./api.mjs";
