#!/usr/bin/env bash
# A/B of builds on one seeded SQLite database: each build in turn serves a fresh copy of it and
# is loaded with wrk, page by page, for ROUNDS rounds — so builds are compared in the same run.
#
#   yorisoi bench-seed --database sqlite:///var/tmp/bdb/bench.sqlite --offices 10 \
#     --clients-per-office 1000 --notes-per-client 20 --dashboard-office
#   SEED=/var/tmp/bdb/bench.sqlite BINS="old/yorisoi new/yorisoi" bench/ab.sh
#
# PAGES: "name|login|path ..." (CLIENT and ASSESS in a path become the first client of
# bench0-spec0 and the first assessment). ROUNDS (2), DUR (8s), CONNS (32). A build may be a wrapper script
# that sets environment variables (e.g. YORISOI_DB_POOL) before exec'ing a binary.
#
# PostgreSQL: SEED=postgres://…/db (seeded the same way). The builds serve that one database in
# turn (there is no copy; the runs only read, and append audit events).
set -u
SEED="${SEED:?the seeded database}"
PAGES="${PAGES:-client|bench0-spec0|/clients/CLIENT assess|bench0-spec0|/assessments/ASSESS dash|dash-spec0|/ office|dash-admin|/}"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
CLIENT_SQL="SELECT c.id FROM clients c JOIN users u ON u.id = c.assigned_user_id WHERE u.login = 'bench0-spec0' ORDER BY c.family_name_kana, c.given_name_kana LIMIT 1"
if [[ "$SEED" == postgres* ]]; then
  CLIENT=$(psql -qtA "$SEED" -c "$CLIENT_SQL")
  ASSESS=$(psql -qtA "$SEED" -c "SELECT MIN(id) FROM assessments")
else
  sqlite3 "$SEED" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
  CLIENT=$(sqlite3 "$SEED" "$CLIENT_SQL")
  ASSESS=$(sqlite3 "$SEED" "SELECT MIN(id) FROM assessments")
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
run_one() { # build, login, path
  rm -rf "$work/db"; mkdir -p "$work/db"
  local db="$SEED"
  if [[ "$SEED" != postgres* ]]; then cp "$SEED" "$work/db/b.sqlite"; db="sqlite://$work/db/b.sqlite"; fi
  YORISOI_LOG=warn "$1" serve --database "$db" --data-dir "$work/db" --listen "127.0.0.1:$port" >/dev/null 2>&1 &
  local pid=$!
  # Up to a minute: a newer build migrates its copy of the seed at start.
  for _ in $(seq 1 600); do curl -fs "$base/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
  local jar="$work/db/jar" token s p out
  token=$(curl -fs -c "$jar" "$base/login" | grep -o 'name="csrf" value="[^"]*"' | head -n1 | sed 's/.*value="//; s/"$//')
  curl -fs -b "$jar" -c "$jar" -o /dev/null --data-urlencode "login=$2" --data-urlencode "password=bench-password-1" --data-urlencode "csrf=$token" "$base/login"
  s=$(awk '$6 == "yorisoi_session" { print $7 }' "$jar")
  p=${3//CLIENT/$CLIENT}; p=${p//ASSESS/$ASSESS}
  curl -fs -o /dev/null -H "Cookie: yorisoi_session=$s" "$base$p"
  local rss_before rss_after
  rss_before=$(ps -o rss= -p "$pid" | tr -d ' ')
  out=$(wrk -t2 -c"${CONNS:-32}" -d"${DUR:-8s}" --latency -H "Cookie: yorisoi_session=$s" "$base$p")
  rss_after=$(ps -o rss= -p "$pid" | tr -d ' ')
  kill "$pid"; wait "$pid" 2>/dev/null
  echo "$out" | awk -v a="$rss_before" -v b="$rss_after" '/Requests\/sec/ {r=$2} $1=="50%" {p50=$2} $1=="99%" {p99=$2} /Non-2xx/ {bad=$5} END {printf "%s req/s, p50 %s, p99 %s, non-2xx %s, RSS %d MB before, %d MB after the load\n", r, p50, p99, bad+0, a/1024, b/1024}'
}
for page in $PAGES; do
  IFS='|' read -r name user path <<<"$page"
  for _ in $(seq 1 "${ROUNDS:-2}"); do
    for b in $BINS; do
      echo "$name $(basename "$b"): $(run_one "$b" "$user" "$path")"
    done
  done
done
