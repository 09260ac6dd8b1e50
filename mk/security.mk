# Security suites: id_token signatures (WebCrypto), hostile inputs, the differential test against
# oauth4webapi. `make fuzz` runs the fuzzers and a larger differential run.
TEST_TARGETS += test-security test-differential

.PHONY: test-security test-differential fuzz

test-security: build
	cargo test --locked --test hostile_inputs
	HELPDESK_OAUTH_PKG_DIR=$(abspath $(PKG)) node --test tests/security/

# Seeded random callbacks, token responses and id_tokens through the package and through
# oauth4webapi (installed with the benchmarks' pinned dependencies, bench-deps in mk/bench.mk).
DIFF_CASES ?= 2000
test-differential: build bench-deps
	DIFF_CASES=$(DIFF_CASES) HELPDESK_OAUTH_PKG_DIR=$(abspath $(PKG)) node --test tests/differential/

# Fuzzing (cargo fuzz = libFuzzer). Stable rustc with RUSTC_BOOTSTRAP for the sanitizer flags,
# since only the machine's one toolchain is available. Seeds come from the test cases in
# fuzz/seeds/; the growing corpus lives under target/ and is not committed.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := callback token_response id_token stored_forms cookie
# The differential run of `make fuzz`: more cases, and a new seed each time unless DIFF_SEED is set
# (the seed is printed: DIFF_SEED=... DIFF_CASES=... make test-differential replays a failure).
FUZZ_DIFF_CASES ?= 50000
fuzz: build bench-deps
	@command -v cargo-fuzz >/dev/null || cargo install --locked cargo-fuzz
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p target/fuzz-corpus/$$t; \
	  echo "== fuzz $$t for $(FUZZ_SECONDS) s"; \
	  RUSTC_BOOTSTRAP=1 cargo fuzz run --fuzz-dir fuzz $$t target/fuzz-corpus/$$t fuzz/seeds/$$t -- \
	    -max_total_time=$(FUZZ_SECONDS) -max_len=70000 -print_final_stats=1 2>&1 | grep -E "stat::|Done|ERROR|panicked|SUMMARY" || exit 1; \
	done
	@seed=$${DIFF_SEED:-$$(date +%s)}; echo "== differential against oauth4webapi: $(FUZZ_DIFF_CASES) cases, DIFF_SEED=$$seed"; \
	  DIFF_SEED=$$seed DIFF_CASES=$(FUZZ_DIFF_CASES) HELPDESK_OAUTH_PKG_DIR=$(abspath $(PKG)) node --test tests/differential/
