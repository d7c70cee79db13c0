#!/usr/bin/env bash
# Runs every test: unit tests, then the end-to-end suites against the real `convene` binary
# (browser scenarios included), on SQLite and on PostgreSQL (127.0.0.1:5432, user postgres;
# override with CONVENE_TEST_PG_URL). CONVENE_SCREENSHOTS=1 also refreshes docs/screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."

# The browser tests (tests/tests/browser.rs) drive chromium through npm packages: install them
# if they are missing. Their reports (axe's counts per page state) go to target/browser-report/.
bash tests/browser/setup.sh
# The Fedify interoperability test (tests/tests/federation_fedify.rs) runs a Fedify peer on the
# Node 22 of tests/fedify's packages: install them if they are missing.
bash tests/fedify/setup.sh

# The end-to-end tests start target/debug/convene, so build every target first.
cargo build --workspace --all-targets

rm -rf target/browser-report
trap 'node tests/browser/summary.mjs || true' EXIT

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

echo "== The deployment files: image definition, Kubernetes manifests, compose file, systemd unit"
bash deploy/validate.sh
