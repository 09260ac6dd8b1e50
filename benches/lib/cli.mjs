// Tiny helpers for the bench scripts' command lines.
import { argv } from "node:process";
import { fileURLToPath } from "node:url";
import { realpathSync } from "node:fs";

export function isMain(moduleUrl) {
  return argv[1] !== undefined && realpathSync(argv[1]) === realpathSync(fileURLToPath(moduleUrl));
}

/** `--name value` pairs; numbers stay numbers. Unknown names are refused. */
export function parseArgs(defaults) {
  const out = { ...defaults };
  const args = argv.slice(2);
  for (let i = 0; i < args.length; i += 2) {
    const key = args[i].replace(/^--/, "");
    if (!(key in defaults)) throw new Error(`unknown option ${args[i]} (known: ${Object.keys(defaults).join(", ")})`);
    out[key] = typeof defaults[key] === "number" ? Number(args[i + 1]) : args[i + 1];
  }
  return out;
}
