# Formatting and lints, part of `make test`: rustfmt (rustfmt.toml) and clippy with warnings as
# errors, for the native build (core, tests, benches) and the wasm32 build (the boundary).
.PHONY: test-lint
TEST_TARGETS += test-lint

test-lint: setup
	cargo fmt --check
	cargo clippy --locked --all-targets -- -D warnings
	cargo clippy --locked --all-targets --target wasm32-unknown-unknown -- -D warnings
