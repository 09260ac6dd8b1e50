# Handlers and Cloudflare Workers: the example Worker in workerd (miniflare), the node:http
# example, and smoke runs under Deno and Bun, all against the packed package and the emulator.
TEST_TARGETS += test-workers

.PHONY: test-workers

test-workers: build
	HELPDESK_OAUTH_PKG_DIR=$(abspath $(PKG)) node --test tests/workers/ tests/handlers/ tests/runtimes/
