# Sessions (js/session.js, js/token-store.js): token refresh, API calls, TokenStore.
.PHONY: test-session
TEST_TARGETS += test-session

test-session: build
	HELPDESK_OAUTH_PKG_DIR=$(abspath $(PKG)) node --test tests/session/
