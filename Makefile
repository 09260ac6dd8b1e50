# helpdesk-oauth: `make demo` runs the install flow end to end against a local provider;
# `make test` runs every test. Both install what they need first (see scripts/setup.sh).
SHELL := /bin/bash
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
# Nothing may reach GitHub: wasm-pack must use the wasm-bindgen and wasm-opt found on PATH.
export WASM_PACK_CACHE := $(CURDIR)/target/wasm-pack-cache

PKG := pkg
WASM_PACK_FLAGS := --release --target web --out-dir $(PKG) --out-name helpdesk_oauth --no-pack

.PHONY: setup build pack test test-rust test-wasm test-node test-types demo size clean

# Every test target; mk/*.mk add theirs with `TEST_TARGETS += ...` (one file per area).
TEST_TARGETS := test-rust test-wasm test-node test-types

setup:
	@bash scripts/setup.sh

build: setup
	wasm-pack build $(WASM_PACK_FLAGS)
	node scripts/assemble-pkg.mjs $(PKG)

pack: build
	rm -rf dist && mkdir -p dist
	cd $(PKG) && npm pack --silent --pack-destination $(CURDIR)/dist >/dev/null
	@ls dist/*.tgz

test-rust: setup
	cargo test --locked

test-wasm: setup
	wasm-pack test --node --release -- --test wasm_boundary

test-node: build
	HELPDESK_OAUTH_PKG_DIR=$(abspath $(PKG)) node --test tests/node/

test-types: build
	HELPDESK_OAUTH_PKG_DIR=$(abspath $(PKG)) node --test tests/types/

-include mk/*.mk

test: $(TEST_TARGETS)

size: build
	@node scripts/size.mjs $(PKG)

# demo-install (mk/demo.mk): the packed tarball installed into examples/demo.
demo: demo-install
	node examples/demo/serve.mjs

clean:
	rm -rf $(PKG) dist target node_modules
