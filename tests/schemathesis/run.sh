#!/usr/bin/env bash
# Schemathesis over the API's OpenAPI document against a real `convene serve`, on a fresh
# SQLite and a fresh PostgreSQL database, anonymously and as each role. Needs the binary built
# (cargo build -p convene) and Schemathesis in a virtual environment: this script creates
# target/schemathesis-venv from tests/schemathesis/requirements.txt when it is missing.
# Settings (environment): CONVENE_ST_DB, CONVENE_ST_MAX_EXAMPLES, CONVENE_ST_PHASES,
# CONVENE_ST_SEED, CONVENE_ST_ROLES; see run.py.
set -euo pipefail
cd "$(dirname "$0")/../.."

venv="${CONVENE_ST_VENV:-target/schemathesis-venv}"
if [ ! -x "$venv/bin/st" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r tests/schemathesis/requirements.txt
fi
exec "$venv/bin/python" tests/schemathesis/run.py "$@"
