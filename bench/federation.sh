#!/usr/bin/env bash
# Federation: fan-out of one outcome publication to 100 and to 1,000 follower inboxes, and
# verified incoming activities per second, on loopback. Starts `convene serve` on a fresh
# database (SQLite, or PostgreSQL with `federation.sh postgres`), creates two public processes
# through the API, then runs bench/federation (`federation_bench`), which plays ten remote
# instances (ports SINK_PORT..SINK_PORT+9) whose actors follow the processes for real (signed
# Follows, answered by Accepts), times the Announce of each outcome publication until every
# follower's inbox has it (each signature checked afterwards), and POSTs M pre-signed Likes
# from 50 actors to /ap/inbox at concurrency 32.
#
#   bash bench/federation.sh [sqlite|postgres] [M=5000] [REPEAT=3]
#
# SIZES (default "100 1000") are the fan-outs measured, FOLLOW_CONCURRENCY (16) is how many
# Follows are sent at once, ACTORS (50) and CONCURRENCY (32) shape the incoming run.
# Uses target/release/convene and target/release/federation_bench (or CONVENE_BIN and
# FEDBENCH_BIN): `cargo build --release -p convene -p convene-fedbench`. Federation settings
# can be changed through the environment (e.g. CONVENE_FEDERATION__CONCURRENCY=64).
set -euo pipefail
cd "$(dirname "$0")/.."
KIND=${1:-sqlite}
M=${2:-5000}
REPEAT=${3:-3}
BIN=${CONVENE_BIN:-target/release/convene}
BENCH=${FEDBENCH_BIN:-target/release/federation_bench}
SIZES=${SIZES:-100 1000}
ACTORS=${ACTORS:-50}
CONCURRENCY=${CONCURRENCY:-32}
FOLLOW_CONCURRENCY=${FOLLOW_CONCURRENCY:-16}
PORT=${PORT:-18100}
SINK_PORT=${SINK_PORT:-18200}
# A host name, not an address: federation refuses IP-address actors.
BASE="http://localhost:$PORT"

WORK=$(mktemp -d)
SERVER=
cleanup() {
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null || true
  if [ "$KIND" = postgres ]; then psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $DBNAME" >/dev/null 2>&1 || true; fi
  [ -n "${KEEP:-}" ] && echo "kept $WORK" || rm -rf "$WORK"
}
trap cleanup EXIT
export CONVENE_DATA_DIR="$WORK" CONVENE_BIND="127.0.0.1:$PORT" CONVENE_PUBLIC_URL="$BASE/" \
  CONVENE_FEDERATION__ALLOW_PRIVATE_ADDRESSES=true CONVENE_LOG_FORMAT=json RUST_LOG=${RUST_LOG:-warn}
HOOK=()
if [ "$KIND" = postgres ]; then
  DBNAME="convene_fedbench_$$"
  psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $DBNAME"
  export CONVENE_DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DBNAME"
  # Autovacuum is off on the bench server: statistics are taken before each timed step.
  HOOK=(--hook "psql -h 127.0.0.1 -U postgres -d $DBNAME -qc ANALYZE")
else
  export CONVENE_DATABASE_URL="sqlite://$WORK/convene.db?mode=rwc"
fi
# The key every simulated remote actor signs with.
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/actors.pem" 2>/dev/null

"$BIN" serve > "$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 100); do curl -fs "$BASE/healthz" >/dev/null 2>&1 && break; sleep 0.3; done

json() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))" "$1"; }
LINK=$("$BIN" admin create --email bench-admin@example.org 2>/dev/null | grep -o 'http[^ ]*/login/magic?token=[^ ]*')
TOKEN=$(curl -fs -X POST "$BASE/api/v1/auth/magic-link/consume" -H 'content-type: application/json' -d "{\"token\":\"${LINK##*token=}\"}" | json 'd["access_token"]')
AUTH=(-H "authorization: Bearer $TOKEN" -H 'content-type: application/json')
FANOUTS=()
for n in $SIZES; do
  slug=fan$n
  FANOUTS+=(--fanout "$slug:$n")
  curl -fs "${AUTH[@]}" -X POST "$BASE/api/v1/processes" -d "{\"slug\":\"$slug\",\"title\":{\"en\":\"Federated process $slug\"},\"summary\":{\"en\":\"Followed from other instances.\"},\"description\":{\"en\":\"A process with remote followers.\"},\"scope\":\"national\",\"topics\":[],\"iap2_level\":\"consult\",\"visibility\":\"public\",\"phases\":[{\"name\":{\"en\":\"Consultation\"},\"starts_on\":\"2026-01-01\",\"ends_on\":\"2099-12-31\"}],\"milestones\":[],\"commitments\":[]}" >/dev/null
  curl -fs "${AUTH[@]}" -X POST "$BASE/api/v1/processes/$slug/publish" >/dev/null
done

echo "server: $BIN on $KIND, federation settings from the environment: $(env | grep '^CONVENE_FEDERATION__' | tr '\n' ' ')"
echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ); uptime:$(uptime)"
"$BENCH" --base "$BASE" --token "$TOKEN" --pid "$SERVER" --key "$WORK/actors.pem" --sink-port "$SINK_PORT" --instances 10 \
  "${FANOUTS[@]}" --repeat "$REPEAT" --incoming "$M" --actors "$ACTORS" --concurrency "$CONCURRENCY" --follow-concurrency "$FOLLOW_CONCURRENCY" "${HOOK[@]}" | tee "$WORK/out.txt"
echo "uptime after:$(uptime)"
echo "jobs: $(curl -fs "${AUTH[@]}" "$BASE/api/v1/admin/jobs?limit=1" | json 'd["counts"]')"
grep -c '"level":"WARN"\|"level":"ERROR"' "$WORK/server.log" | sed 's/^/server warnings and errors: /' || true

# The results as table rows for BENCHMARKS.md.
grep '^RESULT ' "$WORK/out.txt" | sed 's/^RESULT //' | python3 -c '
import json, sys
r = json.load(sys.stdin)
print()
print("| inboxes | round | publish API | first Announce | all Announces | deliveries/s | server CPU | signatures |")
print("|---|---|---|---|---|---|---|---|")
for f in r["fanout"]:
    for x in f["runs"]:
        print("| {:,} | {} | {:.0f} ms | {:.0f} ms | **{:.2f} s** | {:.0f} | {:.2f} s ({:.0f}%) | {}/{} |".format(
            x["inboxes"], x["round"], x["publish_api_ms"], x["first_ms"], x["all_s"], x["deliveries_per_s"],
            x["server_cpu_s"], x["server_cpu_pct"], x["verified"], x["inboxes"]))
i = r.get("incoming")
if i:
    print()
    print("| activities | actors | concurrency | accepted | failed | accepted/s | p50 | p99 | server CPU |")
    print("|---|---|---|---|---|---|---|---|---|")
    print("| {:,} | {} | {} | {:,} | {} | **{:.0f}** | {:.1f} ms | {:.1f} ms | {:.2f} s ({:.0f}%) |".format(
        i["activities"], i["actors"], i["concurrency"], i["accepted"], i["failed"], i["accepted_per_s"],
        i["p50_ms"], i["p99_ms"], i["server_cpu_s"], i["server_cpu_pct"]))
'
