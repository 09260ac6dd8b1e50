# The www/ demo page tested in real Chromium: Debian's chromium (installed here when missing;
# never a downloaded browser) driven by npm playwright-core, against the example app and the
# emulator (the packed package installed into examples/demo by demo-install, mk/demo.mk).
.PHONY: test-www www-browser

TEST_TARGETS += test-www

www-browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "setup: installing chromium (Debian)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

test-www: demo-install www-browser
	node --test tests/www/
