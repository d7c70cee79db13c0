#!/usr/bin/env bash
# Installs what the browser tests need, if it is missing: Debian's chromium (as root, through
# apt-get) and the npm packages pinned by tests/browser/package-lock.json (npm ci). Run by
# .ci/run and tests/run.sh; safe to run again (it does nothing when all is there).
set -euo pipefail
cd "$(dirname "$0")"

chromium="${CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "== installing chromium for the browser tests"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q chromium
    [ -x "$chromium" ] || { echo "chromium is installed, but not at $chromium (CHROMIUM)." >&2; exit 1; }
  else
    echo "The browser tests need Debian's chromium at $chromium: run 'sudo apt-get install chromium' (or set CHROMIUM)." >&2
    exit 1
  fi
fi

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "The browser tests need Node.js 20 or newer and npm on PATH." >&2
  exit 1
fi
major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$major" -lt 20 ]; then
  echo "The browser tests need Node.js 20 or newer; node is $(node --version)." >&2
  exit 1
fi

# Only packages from the configured registry, by version, with integrity hashes.
node check-lockfile.mjs "$(npm config get registry)"
# npm ci when node_modules is missing or older than the lockfile (npm writes its own copy of
# the lockfile into node_modules on every install).
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "== npm ci for the browser tests"
  # @axe-core/playwright declares Node 22.12+ but runs on 20 (its suite runs here on 20).
  npm ci --no-audit --no-fund --engine-strict=false
fi
