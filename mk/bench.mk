# Benchmarks against oauth4webapi, openid-client, arctic and @badgateway/oauth2-client (issue 7).
# `make bench` reports (benches/results.md); it never gates. `make test` runs only the smoke test,
# which checks that every scenario runs once per library and that the libraries agree.
.PHONY: bench bench-deps bench-wasm bench-profile bench-soak test-bench-smoke

BENCH_STAMP := benches/node_modules/.package-lock.json

# The peers and miniflare live in benches/package.json (exact versions), installed with npm ci.
$(BENCH_STAMP): benches/package.json benches/package-lock.json
	cd benches && npm ci --no-audit --no-fund --loglevel=error

bench-deps: setup $(BENCH_STAMP)

bench: build bench-deps bench-profile
	cd benches && HELPDESK_OAUTH_PKG_DIR=$(abspath $(PKG)) node run.mjs >/dev/null
	@cat benches/results.md

# Where the wasm bytes go: twiggy on an unstripped build (names + DWARF kept by wasm-bindgen
# --keep-debug), and the same without DWARF summed by crate and module (benches/wasm-bytes.md).
BENCH_WASM := target/bench-wasm
bench-wasm: setup
	@command -v twiggy >/dev/null || cargo install --locked twiggy
	cargo build --target wasm32-unknown-unknown --release
	rm -rf $(BENCH_WASM) && mkdir -p $(BENCH_WASM)
	wasm-bindgen --target web --keep-debug --out-dir $(BENCH_WASM)/debug target/wasm32-unknown-unknown/release/helpdesk_oauth.wasm
	wasm-bindgen --target web --out-dir $(BENCH_WASM)/names target/wasm32-unknown-unknown/release/helpdesk_oauth.wasm
	{ echo '# Where the wasm bytes go'; echo; \
	  echo 'Unoptimised release build (before wasm-opt), function names kept. By crate and module:'; echo; \
	  node benches/profile/wasm-bytes.mjs $(BENCH_WASM)/names/helpdesk_oauth_bg.wasm; echo; \
	  echo '`twiggy top -n 25` (names kept, no DWARF):'; echo; echo '```'; twiggy top -n 25 $(BENCH_WASM)/names/helpdesk_oauth_bg.wasm; echo '```'; echo; \
	  echo '`twiggy top -n 25` (wasm-bindgen --keep-debug):'; echo; echo '```'; twiggy top -n 25 $(BENCH_WASM)/debug/helpdesk_oauth_bg.wasm; echo '```'; echo; \
	  echo '`twiggy dominators -d 3 -r 40` (names kept):'; echo; echo '```'; twiggy dominators -d 3 -r 40 $(BENCH_WASM)/names/helpdesk_oauth_bg.wasm; echo '```'; \
	} > benches/wasm-bytes.md
	@echo "wrote benches/wasm-bytes.md"

# Where the time goes: the built package with the named (unoptimised) wasm swapped in, each
# scenario under the V8 sampling profiler (benches/where-time-goes.md).
bench-profile: build bench-deps bench-wasm
	rm -rf $(BENCH_WASM)/pkg-named && cp -r $(PKG) $(BENCH_WASM)/pkg-named
	cp $(BENCH_WASM)/names/helpdesk_oauth.js $(BENCH_WASM)/names/helpdesk_oauth_bg.wasm $(BENCH_WASM)/pkg-named/
	{ echo '# Where the time goes (V8 sampling profiler, wasm with names, not wasm-opt-ed)'; \
	  for s in authorize exchange refresh id_token; do echo; echo '```'; \
	    HELPDESK_OAUTH_PKG_DIR=$(abspath $(BENCH_WASM))/pkg-named node benches/profile/where-time-goes.mjs helpdesk-oauth $$s 3; \
	    echo '```'; done; echo; echo '```'; \
	  HELPDESK_OAUTH_PKG_DIR=$(abspath $(BENCH_WASM))/pkg-named node benches/profile/where-time-goes.mjs oauth4webapi exchange 3; echo '```'; \
	} > benches/where-time-goes.md
	@echo "wrote benches/where-time-goes.md"

# Memory over a long run (issue 16): this package and oauth4webapi, each in its own process, the
# same loops side by side (benches/soak-results.md, benches/soak.svg). SOAK_FLOWS (default 150000),
# SOAK_EVERY, SOAK_YIELD and SOAK_PARALLEL pass through; see benches/soak.mjs. Not part of `make test`.
bench-soak: build bench-deps
	cd benches && HELPDESK_OAUTH_PKG_DIR=$(abspath $(PKG)) node soak.mjs >/dev/null
	@cat benches/soak-results.md

TEST_TARGETS += test-bench-smoke

test-bench-smoke: build bench-deps
	HELPDESK_OAUTH_PKG_DIR=$(abspath $(PKG)) node --test tests/bench-smoke/
