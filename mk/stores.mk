# Token stores on real databases (js/stores/: helpdesk-oauth/postgres, /redis, /sealed): the
# tests start PostgreSQL and Redis themselves on free 127.0.0.1 ports with temporary data
# directories (tests/stores/support/servers.mjs) and stop them afterwards. The servers come from
# Debian, installed here when missing; the Debian services are not used.
.PHONY: test-stores store-servers bench-stores

TEST_TARGETS += test-stores

store-servers:
	@ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 && command -v redis-server >/dev/null 2>&1 || { \
	  echo "setup: installing postgresql and redis-server (Debian)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql redis-server >/dev/null; }

test-stores: build store-servers
	HELPDESK_OAUTH_PKG_DIR=$(abspath $(PKG)) node --test tests/stores/

# Refreshes and store round trips per second for each store, beside a plain pg UPDATE and a plain
# Redis SET (benches/stores.mjs); writes benches/stores-results.md.
bench-stores: build store-servers
	HELPDESK_OAUTH_PKG_DIR=$(abspath $(PKG)) node benches/stores.mjs > benches/stores-results.md
	@cat benches/stores-results.md
