# The `helpdesk-oauth` command line (js/cli/, the package's bin): tests run the installed bin from
# the packed package as a subprocess against the emulator on 127.0.0.1.
.PHONY: test-cli
TEST_TARGETS += test-cli

test-cli: build
	HELPDESK_OAUTH_PKG_DIR=$(abspath $(PKG)) node --test tests/cli/
