#!/usr/bin/env bash
# Runs every test: unit tests, then the end-to-end suites against the real `convene` binary,
# on SQLite and on PostgreSQL (127.0.0.1:5432, user postgres; override with CONVENE_TEST_PG_URL).
set -euo pipefail
cd "$(dirname "$0")/.."

# The end-to-end tests start target/debug/convene, so build every target first.
cargo build --workspace --all-targets

if cargo nextest --version >/dev/null 2>&1; then
  run() { cargo nextest run --no-fail-fast "$@"; }
else
  run() { cargo test --no-fail-fast "$@"; }
fi

echo "== unit tests and end-to-end tests on SQLite"
CONVENE_TEST_DB=sqlite run --workspace

echo "== end-to-end tests on PostgreSQL"
# Selected inside the whole workspace, so cargo keeps the features it built with above instead
# of rebuilding dependencies for the end-to-end package alone.
if cargo nextest --version >/dev/null 2>&1; then
  CONVENE_TEST_DB=postgres run --workspace -E 'package(convene-e2e)'
else
  CONVENE_TEST_DB=postgres run -p convene-e2e
fi

echo "== Schemathesis over the OpenAPI document, on SQLite and PostgreSQL, anonymously and as each role"
bash tests/schemathesis/run.sh
