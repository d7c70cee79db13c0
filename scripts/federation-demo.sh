#!/usr/bin/env bash
# Two linked Convene instances on this machine: a town (port 8081) whose roundtable series is
# linked as a child of the national AI strategy (port 8082). The town publishes its outcome;
# watch it arrive in the national process as a contribution of channel `federated`, with its
# origin, and the national organisers' response travel back to the town.
#
#   bash scripts/federation-demo.sh          # builds if needed, runs, leaves both running
#   bash scripts/federation-demo.sh stop     # stops them
#
# Each instance keeps its data in target/federation-demo/{town,national}; they start afresh.
set -euo pipefail
cd "$(dirname "$0")/.."
TOWN=8081
NATIONAL=8082
DIR=target/federation-demo

if [[ "${1:-}" == "stop" ]]; then
  for name in town national; do
    [[ -f "$DIR/$name/pid" ]] && kill "$(cat "$DIR/$name/pid")" 2>/dev/null || true
  done
  echo "stopped"
  exit 0
fi

for port in $TOWN $NATIONAL; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "port $port is in use (an earlier demo? run: bash scripts/federation-demo.sh stop)" >&2
    exit 1
  fi
done

[[ -x target/debug/convene ]] || cargo build -p convene
BIN=target/debug/convene

start() { # name port
  local name=$1 port=$2
  rm -rf "${DIR:?}/$name" && mkdir -p "$DIR/$name"
  # Host names, not IP addresses, in every id; private addresses allowed: one machine.
  (cd "$DIR/$name" && CONVENE_BIND=127.0.0.1:$port CONVENE_PUBLIC_URL=http://localhost:$port/ \
    CONVENE_FEDERATION__ALLOW_PRIVATE_ADDRESSES=true CONVENE_DATA_DIR=data \
    CONVENE_DATABASE_URL="sqlite://convene.db?mode=rwc" CONVENE_INSTANCE__NAME="$3" \
    exec "../../../$BIN" serve --demo >log.txt 2>&1) &
  echo $! >"$DIR/$name/pid"
}
start town $TOWN "Costa Norte"
start national $NATIONAL "National AI Strategy"
echo "starting two instances (about a minute: each loads the demo)..."
for _ in $(seq 1 240); do
  grep -q 'demo ready' "$DIR/town/log.txt" 2>/dev/null && grep -q 'demo ready' "$DIR/national/log.txt" 2>/dev/null && break
  sleep 1
done
grep -q 'demo ready' "$DIR/national/log.txt" || { echo "an instance did not start; see $DIR/*/log.txt" >&2; exit 1; }

json() { python3 -c "import sys,json; d=json.load(sys.stdin); print($1)"; }
# The demo prints one-time sign-in links; the administrator's is the one after its email.
admin_token() { # name port
  local token
  token=$(grep -A2 'demo-admin@convene.invalid' "$DIR/$1/log.txt" | grep -o 'login/magic?token=[^ ]*' | head -1 | cut -d= -f2)
  curl -sf -X POST "localhost:$2/api/v1/auth/magic-link/consume" -H 'content-type: application/json' \
    -d "{\"token\":\"$token\"}" | json "d['access_token']"
}
TOWN_TOKEN=$(admin_token town $TOWN)
NATIONAL_TOKEN=$(admin_token national $NATIONAL)

echo "1. The national process opens an activity that takes reports from linked processes."
ACTIVITY=$(curl -sf -X POST "localhost:$NATIONAL/api/v1/processes/national-ai-strategy-2027/activities" \
  -H "authorization: Bearer $NATIONAL_TOKEN" -H 'content-type: application/json' \
  -d '{"type":"org.convene.linked-reports","title":{"en":"Reports from local roundtables"},"description":{"en":"Each town that runs roundtables sends its outcome here."}}' | json "d['id']")
PARENT="http://localhost:$NATIONAL/ap/activities/$ACTIVITY"
echo "   $PARENT"

echo "2. The town links its roundtable series to it."
curl -sf -X PUT "localhost:$TOWN/api/v1/processes/ai-strategy-roundtables-costa-norte/link" \
  -H "authorization: Bearer $TOWN_TOKEN" -H 'content-type: application/json' \
  -d "{\"parent_activity\":\"$PARENT\"}" | json "'   linked to: ' + d['parent_title']"

echo "3. The town publishes (a new version of) its outcome."
curl -sf -X POST "localhost:$TOWN/api/v1/processes/ai-strategy-roundtables-costa-norte/outcomes" \
  -H "authorization: Bearer $TOWN_TOKEN" -H 'content-type: application/json' \
  -d '{"title":{"en":"What Costa Norte recommends"},"sections":[{"id":"1","heading":{"en":"Start with public transport"},"body":{"en":"Five roundtables, 84 residents: try AI first where delays hurt most, with a public register of every system."}}],"note":{"en":"Sent to the national strategy."}}' >/dev/null

echo "4. It arrives in the national process as a federated contribution:"
for _ in $(seq 1 60); do
  REPORT=$(curl -sf "localhost:$NATIONAL/api/v1/activities/$ACTIVITY/contributions" | json "(d['items'] if isinstance(d,dict) else d)[0]['id'] if (d['items'] if isinstance(d,dict) else d) else ''" 2>/dev/null || true)
  [[ -n "$REPORT" ]] && break
  sleep 1
done
[[ -n "${REPORT:-}" ]] || { echo "   it did not arrive; see $DIR/*/log.txt" >&2; exit 1; }
curl -sf "localhost:$NATIONAL/api/v1/contributions/$REPORT" | json "'   channel: ' + d['channel'] + ', from: ' + d['origin']['instance'] + ', title: ' + d['body']['title']"

echo "5. The national organisers respond; the response travels back to the town."
curl -sf -X POST "localhost:$NATIONAL/api/v1/processes/national-ai-strategy-2027/responses" \
  -H "authorization: Bearer $NATIONAL_TOKEN" -H 'content-type: application/json' \
  -d "{\"contribution_ids\":[\"$REPORT\"],\"disposition\":\"adopted\",\"explanation\":{\"en\":\"The public register is now in the draft strategy, section 4.\"}}" >/dev/null
for _ in $(seq 1 60); do
  ANSWER=$(curl -sf "localhost:$TOWN/api/v1/processes/ai-strategy-roundtables-costa-norte/link" | json "(d['reports'][0].get('response') or {}).get('disposition','')" 2>/dev/null || true)
  [[ -n "$ANSWER" ]] && break
  sleep 1
done
echo "   the town sees: $ANSWER"
cat <<DONE

Both instances keep running:
  the national activity:  http://localhost:$NATIONAL/activities/$ACTIVITY
  the town's process:     http://localhost:$TOWN/processes/ai-strategy-roundtables-costa-norte
  federation (admins):    http://localhost:$NATIONAL/admin/federation
Stop them with: bash scripts/federation-demo.sh stop
DONE
