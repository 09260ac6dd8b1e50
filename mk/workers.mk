# Handlers and Cloudflare Workers: the example Worker in workerd (miniflare), the node:http
# example, and smoke runs under Deno and Bun, all against the packed package and the emulator.
TEST_TARGETS += test-workers

.PHONY: test-workers

# Deno comes from the npm package `deno`, installed beside the tree rather than in the root
# lockfile: the registry here serves only the linux-x64 platform package, and a lockfile
# without the others makes `npm ci` fail on a fresh machine.
DENO_VERSION := 2.9.6
DENO_BIN := $(CURDIR)/.tools/deno/node_modules/.bin/deno

$(DENO_BIN):
	npm install --no-save --no-package-lock --no-audit --no-fund --loglevel=error --prefix $(CURDIR)/.tools/deno deno@$(DENO_VERSION)

test-workers: build $(DENO_BIN)
	DENO_BIN=$(DENO_BIN) HELPDESK_OAUTH_PKG_DIR=$(abspath $(PKG)) node --test tests/workers/ tests/handlers/ tests/runtimes/
