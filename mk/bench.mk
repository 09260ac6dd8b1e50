# Benchmarks against oauth4webapi, openid-client, arctic and @badgateway/oauth2-client (issue 7).
# `make bench` reports (benches/results.md); it never gates. `make test` runs only the smoke test,
# which checks that every scenario runs once per library and that the libraries agree.
.PHONY: bench bench-deps test-bench-smoke

BENCH_STAMP := benches/node_modules/.package-lock.json

# The peers and miniflare live in benches/package.json (exact versions), installed with npm ci.
$(BENCH_STAMP): benches/package.json benches/package-lock.json
	cd benches && npm ci --no-audit --no-fund --loglevel=error

bench-deps: setup $(BENCH_STAMP)

bench: build bench-deps
	cd benches && HELPDESK_OAUTH_PKG_DIR=$(abspath $(PKG)) node run.mjs >/dev/null
	@cat benches/results.md

TEST_TARGETS += test-bench-smoke

test-bench-smoke: build bench-deps
	HELPDESK_OAUTH_PKG_DIR=$(abspath $(PKG)) node --test tests/bench-smoke/
