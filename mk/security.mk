# Security suites: id_token signatures (WebCrypto), hostile inputs. `make fuzz` runs the fuzzers.
TEST_TARGETS += test-security

.PHONY: test-security fuzz

test-security: build
	cargo test --locked --test hostile_inputs
	HELPDESK_OAUTH_PKG_DIR=$(abspath $(PKG)) node --test tests/security/

# Fuzzing (cargo fuzz = libFuzzer). Stable rustc with RUSTC_BOOTSTRAP for the sanitizer flags,
# since only the machine's one toolchain is available. Seeds come from the test cases in
# fuzz/seeds/; the growing corpus lives under target/ and is not committed.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := callback token_response id_token stored_forms cookie
fuzz:
	@command -v cargo-fuzz >/dev/null || cargo install --locked cargo-fuzz
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p target/fuzz-corpus/$$t; \
	  echo "== fuzz $$t for $(FUZZ_SECONDS) s"; \
	  RUSTC_BOOTSTRAP=1 cargo fuzz run --fuzz-dir fuzz $$t target/fuzz-corpus/$$t fuzz/seeds/$$t -- \
	    -max_total_time=$(FUZZ_SECONDS) -max_len=70000 -print_final_stats=1 2>&1 | grep -E "stat::|Done|ERROR|panicked|SUMMARY" || exit 1; \
	done
