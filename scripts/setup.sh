#!/usr/bin/env bash
# Installs what `make build/test/demo` need, each only when missing, from the package registries
# only (crates.io, npm, Debian): the wasm32 target, wasm-pack, wasm-bindgen-cli at exactly the
# version of the wasm-bindgen crate, and the npm tools (binaryen's wasm-opt, esbuild, ...).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

need() { ! command -v "$1" >/dev/null 2>&1; }

if need node || need npm; then
  echo "setup: installing Node.js and npm (Debian)"
  apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "setup: Node.js 20 or newer is required (found $(node --version))" >&2
  exit 1
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  echo "setup: adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if need wasm-pack; then
  echo "setup: installing wasm-pack from crates.io"
  cargo install --locked wasm-pack
fi

# wasm-bindgen-cli must equal the crate version pinned with `=` in Cargo.toml.
want=$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)"/\1/p' Cargo.toml)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  echo "setup: installing wasm-bindgen-cli $want from crates.io (found: ${have:-none})"
  # --locked fails for some versions on this toolchain; the crate's own lock is not needed.
  cargo install wasm-bindgen-cli --version "$want" --force
fi

if [ ! -d node_modules ]; then
  echo "setup: installing npm tools (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
elif [ package-lock.json -nt node_modules/.package-lock.json ] || [ ! -x node_modules/.bin/wasm-opt ]; then
  # An existing tree is updated in place: `npm ci` would delete node_modules under running tests.
  echo "setup: updating npm tools (npm install)"
  npm install --no-audit --no-fund --loglevel=error
fi
