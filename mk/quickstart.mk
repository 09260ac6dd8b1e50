# The README's quick starts, run as written against the emulator (examples/quickstart/: the Node
# app with the packed package installed beside it, the Worker in workerd), the README checks (the
# quick starts shown verbatim, the npm README generated from README.md, every API path the
# README calls served by the emulator) and helpdesk-oauth/node with node:http and Express.
.PHONY: quickstart-install test-quickstart
TEST_TARGETS += test-quickstart

# Express and the Node types only for the adapter tests: exact versions in their own lockfile.
ADAPTER_TEST_STAMP := tests/node-adapter/node_modules/.package-lock.json
$(ADAPTER_TEST_STAMP): tests/node-adapter/package.json tests/node-adapter/package-lock.json
	cd tests/node-adapter && npm ci --no-audit --no-fund --loglevel=error

# Like demo-install: the quick start uses the package as users get it, the packed tarball.
quickstart-install: pack
	cd examples/quickstart && npm install --no-save --no-audit --no-fund --loglevel=error $$(ls $(CURDIR)/dist/*.tgz)

test-quickstart: quickstart-install $(ADAPTER_TEST_STAMP)
	HELPDESK_OAUTH_PKG_DIR=$(abspath $(PKG)) node --test tests/quickstart/ tests/node-adapter/
