// What the wasm bytes go to, by crate: `twiggy top` over every item of a wasm that keeps its
// name section (and, optionally, DWARF), summed by the crate (or section) each item names.
// Usage: node profile/wasm-bytes.mjs <file.wasm>   (twiggy from crates.io must be on PATH)
import { execFileSync } from "node:child_process";

const file = process.argv[2];
if (!file) throw new Error("usage: node profile/wasm-bytes.mjs <file.wasm>");
const csv = execFileSync("twiggy", ["top", "-n", "1000000", "-f", "csv", file], { encoding: "utf8", maxBuffer: 64 << 20 });

// Minimal CSV reader for twiggy's output (quoted fields with doubled quotes).
function rows(text) {
  const out = [];
  for (const line of text.trim().split("\n").slice(1)) {
    const fields = [];
    let i = 0;
    while (i < line.length) {
      if (line[i] === '"') {
        let j = i + 1;
        let v = "";
        while (j < line.length) {
          if (line[j] === '"' && line[j + 1] === '"') (v += '"'), (j += 2);
          else if (line[j] === '"') break;
          else v += line[j++];
        }
        fields.push(v);
        i = j + 2;
      } else {
        const j = line.indexOf(",", i);
        fields.push(line.slice(i, j < 0 ? line.length : j));
        i = j < 0 ? line.length : j + 1;
      }
    }
    out.push(fields);
  }
  return out;
}

function crateOf(name) {
  if (/^custom section|subsection|^data segment|^type\[|^import |^export |^elem|^table|^memory|^global|^code section|^wasm magic/.test(name)) return `(${name.replace(/\[\d+\]/, "[]")})`;
  const m = /^(?:<)*(?:&)?(?:dyn )?([A-Za-z_][A-Za-z0-9_]*)(?:\[[0-9a-f]+\])?::/.exec(name);
  if (m) return m[1];
  if (/^(__wbg|__wbindgen|__externref|wasm_bindgen)/.test(name)) return "wasm_bindgen (imports/exports)";
  return `(other: ${name.slice(0, 30)})`;
}

// Two levels for this crate and core/alloc (e.g. helpdesk_oauth::core::json, core::fmt).
function moduleOf(name) {
  const m = /^(?:<)*(helpdesk_oauth::(?:core|wasm)::[a-z_]+|core::[a-z_]+|alloc::[a-z_]+|js_sys::[a-z_]+|wasm_bindgen::[a-z_]+)/.exec(name.replace(/\[[0-9a-f]+\]/g, ""));
  return m ? m[1] : null;
}

const totals = new Map();
const modules = new Map();
let total = 0;
for (const [name, size] of rows(csv)) {
  if (name.startsWith("Σ") || name.startsWith("... and")) continue;
  const n = Number(size);
  total += n;
  const c = crateOf(name);
  totals.set(c, (totals.get(c) ?? 0) + n);
  const m = moduleOf(name);
  if (m) modules.set(m, (modules.get(m) ?? 0) + n);
}
console.log(`| crate / section | bytes | % of ${total} |`);
console.log("| --- | ---: | ---: |");
for (const [c, n] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`| ${c} | ${n} | ${((100 * n) / total).toFixed(1)} |`);
console.log("\n| module | bytes | % |\n| --- | ---: | ---: |");
for (const [m, n] of [...modules].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`| ${m} | ${n} | ${((100 * n) / total).toFixed(1)} |`);
