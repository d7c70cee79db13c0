#!/usr/bin/env bash
# Page render times at volume: starts `convene serve` on a fresh database (SQLite, or
# PostgreSQL with `pages.sh postgres`), creates a public process with a consultation through
# the API, fills the consultation with N contributions (60% answered; pages_data.py), then
# measures each citizen page and its API twin with wrk at concurrency 1 and 16.
#
#   bash bench/pages.sh [sqlite|postgres] [N=100000] [SECONDS=10]
#
# Uses target/release/convene (or CONVENE_BIN). wrk comes from Debian (installed if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
KIND=${1:-sqlite}
N=${2:-100000}
SECS=${3:-10}
BIN=${CONVENE_BIN:-target/release/convene}
PORT=${PORT:-18090}
BASE="http://127.0.0.1:$PORT"
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

WORK=$(mktemp -d)
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
export CONVENE_DATA_DIR="$WORK" CONVENE_BIND="127.0.0.1:$PORT" CONVENE_PUBLIC_URL="$BASE" CONVENE_LOG_FORMAT=json RUST_LOG=warn
if [ "$KIND" = postgres ]; then
  DBNAME="convene_bench_$$"
  psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $DBNAME"
  trap 'kill $SERVER 2>/dev/null || true; sleep 1; psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $DBNAME"; rm -rf "$WORK"' EXIT
  export CONVENE_DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DBNAME"
else
  export CONVENE_DATABASE_URL="sqlite://$WORK/convene.db?mode=rwc"
fi

"$BIN" serve > "$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 100); do curl -fs "$BASE/healthz" >/dev/null 2>&1 && break; sleep 0.3; done

json() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))" "$1"; }
LINK=$("$BIN" admin create --email bench-admin@example.org 2>/dev/null | grep -o 'http[^ ]*/login/magic?token=[^ ]*')
TOKEN=$(curl -fs -X POST "$BASE/api/v1/auth/magic-link/consume" -H 'content-type: application/json' -d "{\"token\":\"${LINK##*token=}\"}" | json 'd["access_token"]')
AUTH=(-H "authorization: Bearer $TOKEN" -H 'content-type: application/json')
curl -fs "${AUTH[@]}" -X POST "$BASE/api/v1/processes" -d '{"slug":"bench","title":{"en":"Benchmark consultation","es":"Consulta de prueba"},"summary":{"en":"Many contributions."},"description":{"en":"## About\n\nA process with many contributions."},"scope":"national","topics":[],"iap2_level":"consult","visibility":"public","phases":[{"name":{"en":"Consultation"},"starts_on":"2026-01-01","ends_on":"2099-12-31"}],"milestones":[],"commitments":[{"text":{"en":"We respond within 30 days."},"measure":{"kind":"respond_within_days","days":30}}]}' >/dev/null
curl -fs "${AUTH[@]}" -X POST "$BASE/api/v1/processes/bench/publish" >/dev/null
AID=$(curl -fs "${AUTH[@]}" -X POST "$BASE/api/v1/processes/bench/activities" -d '{"type":"org.convene.consultation","title":{"en":"Have your say"},"closes_at":"2099-01-01T00:00:00Z","config":{"questions":[{"id":"q","type":"free_text","required":true,"text":{"en":"Your view?"}},{"id":"p","type":"single_choice","required":true,"text":{"en":"Priority?"},"choices":[{"value":"health","label":{"en":"Health"}},{"value":"transport","label":{"en":"Transport"}},{"value":"schools","label":{"en":"Schools"}}]}]}}' | json 'd["id"]')
CID=$(curl -fs "${AUTH[@]}" -X POST "$BASE/api/v1/activities/$AID/contributions" -d '{"kind":"response","body":{"answers":{"q":"Hospitals should use AI only with a doctor deciding.","p":"health"}}}' | json 'd["id"]')
curl -fs "${AUTH[@]}" -X POST "$BASE/api/v1/processes/bench/responses" -d "{\"contribution_ids\":[\"$CID\"],\"disposition\":\"adopted\",\"explanation\":{\"en\":\"Section 2 of the outcome.\"}}" >/dev/null
python3 bench/pages_data.py "$CONVENE_DATABASE_URL" "$AID" "$N" 0.6

PAGES=("/" "/processes/bench" "/activities/$AID" "/ledger" "/api/v1/processes" "/api/v1/processes/bench" "/api/v1/processes/bench/report" "/api/v1/activities/$AID/results" "/api/v1/activities/$AID/contributions")
# Warm: the first view computes results and the report; later views are served from them.
for p in "${PAGES[@]}"; do curl -s -o /dev/null -w "warm %{http_code} %{time_total}s $p\n" -H 'accept-encoding: br' "$BASE$p"; done
sleep 2
echo "| path | c | requests/s | p50 | p99 | bytes (br) |"
echo "|---|---|---|---|---|---|"
for p in "${PAGES[@]}"; do
  size=$(curl -s -o /dev/null -w '%{size_download}' -H 'accept-encoding: br' "$BASE$p")
  for c in 1 16; do
    out=$(wrk -t $(( c < 2 ? 1 : 2 )) -c "$c" -d "${SECS}s" --latency -H 'accept-encoding: br' "$BASE$p")
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    p50=$(echo "$out" | awk '$1=="50%" {print $2}')
    p99=$(echo "$out" | awk '$1=="99%" {print $2}')
    non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
    echo "| \`${p//$AID/{id\}}\` | $c | $rps | $p50 | $p99 | $size |${non2xx:+ non-2xx: $non2xx}"
  done
done
