# Security suites: id_token signatures (WebCrypto), hostile inputs. `make fuzz` runs the fuzzers.
TEST_TARGETS += test-security

.PHONY: test-security fuzz

test-security: build
	cargo test --locked --test hostile_inputs
	HELPDESK_OAUTH_PKG_DIR=$(abspath $(PKG)) node --test tests/security/
