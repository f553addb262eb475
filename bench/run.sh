#!/usr/bin/env bash
# Load benchmark: seed a large deployment, serve it, load the main pages with wrk on loopback,
# and print a Markdown table with requests/s, p50 and p99 beside a hello-world baseline
# (/healthz on the same server) measured in the same run.
#
#   bench/run.sh sqlite      # or: bench/run.sh postgres
#
# Only some rows: ONLY=assessment runs the baseline and the rows whose name matches (an extended
# regular expression: ONLY='client page|dashboard').
# Sizes: OFFICES (10) × CLIENTS (1000) clients, NOTES (20) notes each; CONNS (32), DURATION (10s).
set -euo pipefail
cd "$(dirname "$0")/.."
backend="${1:-sqlite}"
OFFICES="${OFFICES:-10}"; CLIENTS="${CLIENTS:-1000}"; NOTES="${NOTES:-20}"
CONNS="${CONNS:-32}"; DURATION="${DURATION:-10s}"; THREADS="${THREADS:-2}"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
target="${CARGO_TARGET_DIR:-target}"
# BIN=path runs another build (e.g. the previous commit's) against the same seed and load.
if [ -z "${BIN:-}" ]; then
  cargo build --release -p yorisoi >&2
  BIN="$target/release/yorisoi"
fi
work="$(mktemp -d)"
pgname=""
cleanup() {
  [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  [ -n "$pgname" ] && psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS $pgname WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
if [ "$backend" = postgres ]; then
  pgname="yorisoi_bench_$$"
  psql -q -h 127.0.0.1 -U postgres -d postgres -c "CREATE DATABASE $pgname TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
  DB="postgres://postgres@127.0.0.1:5432/$pgname"
else
  DB="sqlite://$work/bench.sqlite"
fi
seed_start=$(date +%s)
"$BIN" bench-seed --database "$DB" --offices "$OFFICES" --clients-per-office "$CLIENTS" --notes-per-client "$NOTES" --dashboard-office >&2
seed_secs=$(( $(date +%s) - seed_start ))
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
YORISOI_LOG=warn "$BIN" serve --database "$DB" --listen "127.0.0.1:$port" >/dev/null &
pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 100); do curl -fs "$base/healthz" >/dev/null 2>&1 && break; sleep 0.1; done

# Sign in as a specialist (200 clients) and as the office admin (1000 clients); and in the
# dashboard office (bench_seed.rs) as the specialist with 120 clients and as its admin.
session() {
  local jar="$work/jar-$1"
  local token
  token=$(curl -fs -c "$jar" "$base/login" | grep -o 'name="csrf" value="[^"]*"' | head -n1 | sed 's/.*value="//; s/"$//')
  curl -fs -b "$jar" -c "$jar" -o /dev/null --data-urlencode "login=$1" --data-urlencode "password=bench-password-1" --data-urlencode "csrf=$token" "$base/login"
  awk '$6 == "yorisoi_session" { print $7 }' "$jar"
}
spec=$(session bench0-spec0)
admin=$(session bench0-admin)
dash_spec=$(session dash-spec0)
dash_admin=$(session dash-admin)
client=$(curl -fs -H "Cookie: yorisoi_session=$spec" "$base/clients" | grep -o 'href="/clients/[0-9]*"' | head -n1 | grep -o '[0-9]*')

if [ "$backend" = postgres ]; then
  assessment=$(psql -qtA -h 127.0.0.1 -U postgres -d "$pgname" -c "SELECT MIN(id) FROM assessments")
else
  assessment=$(sqlite3 "$work/bench.sqlite" "SELECT MIN(id) FROM assessments")
fi

run() { # name, cookie, path
  if [ -n "${ONLY:-}" ] && ! [[ "$1" =~ $ONLY ]] && [[ "$1" != hello* ]]; then return; fi
  local out
  # One request first: the steady state is measured, not the first build of a cached page.
  curl -fs -o /dev/null ${2:+-H "Cookie: yorisoi_session=$2"} "$base$3" || true
  if [ -n "$2" ]; then
    out=$(wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency -H "Cookie: yorisoi_session=$2" "$base$3")
  else
    out=$(wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "$base$3")
  fi
  local rps p50 p99 non2xx
  rps=$(echo "$out" | awk '/Requests\/sec/ { print $2 }')
  p50=$(echo "$out" | awk '$1 == "50%" { print $2 }')
  p99=$(echo "$out" | awk '$1 == "99%" { print $2 }')
  non2xx=$(echo "$out" | awk '/Non-2xx/ { print $5 }')
  echo "$1|$rps|$p50|$p99|${non2xx:-0}"
}

rows=()
rows+=("$(run 'hello world (/healthz, baseline)' '' /healthz)")
rows+=("$(run 'home (specialist, 200 clients)' "$spec" /)")
rows+=("$(run 'dashboard (specialist, 120 clients in support)' "$dash_spec" /)")
rows+=("$(run 'dashboard office view (admin, 20 staff × 100 clients)' "$dash_admin" /)")
rows+=("$(run 'client list (admin, 1000 clients, page 1)' "$admin" /clients)")
rows+=("$(run 'client search 「さとう」 (admin)' "$admin" '/clients?q=%E3%81%95%E3%81%A8%E3%81%86')")
rows+=("$(run 'client page (ledger, certificate, 30 of 20 notes)' "$spec" "/clients/$client")")
rows+=("$(run 'assessment sheet (family of 20, 40 ecomap ties)' "$spec" "/assessments/$assessment")")
rows+=("$(run 'case-note search 「飲み忘れ」 (client page)' "$spec" "/clients/$client?q=%E9%A3%B2%E3%81%BF%E5%BF%98%E3%82%8C")")

base_rps=$(echo "${rows[0]}" | cut -d'|' -f2)
echo "### $backend — $((OFFICES * CLIENTS)) clients, $((OFFICES * CLIENTS * NOTES)) notes, $CONNS connections, $DURATION each (seeded in ${seed_secs}s)"
echo
echo "| page | requests/s | vs baseline | p50 | p99 | non-2xx |"
echo "|---|---:|---:|---:|---:|---:|"
for r in "${rows[@]}"; do
  [ -z "$r" ] && continue
  IFS='|' read -r name rps p50 p99 bad <<<"$r"
  ratio=$(python3 -c "print(f'{$rps / $base_rps * 100:.1f}%')")
  echo "| $name | $rps | $ratio | $p50 | $p99 | $bad |"
done
