# The local provider emulator (emulator/, shipped as helpdesk-oauth/emulator) and the demo:
#   make demo        emulator + example app on 127.0.0.1, running until Ctrl-C
#   make demo-check  the same walk-through, headless; fails on any step; then tests/demo/
#                    (serve.mjs's ports, the quick start app against the emulator)
#   make emulator    just the emulator, with emulator/apps.json
.PHONY: demo-install demo-check test-emulator emulator

TEST_TARGETS += test-emulator demo-check

# The example app uses the package as users get it: the packed tarball installed into examples/demo.
demo-install: pack
	cd examples/demo && npm install --no-save --no-audit --no-fund --loglevel=error $$(ls $(CURDIR)/dist/*.tgz)

demo-check: demo-install
	node examples/demo/walkthrough.mjs
	node --test tests/demo/

test-emulator: build
	HELPDESK_OAUTH_PKG_DIR=$(abspath $(PKG)) node --test tests/emulator/

emulator:
	node emulator/cli.mjs --config emulator/apps.json
