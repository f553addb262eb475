#!/usr/bin/env bash
# Load benchmark: seed a large deployment, serve it, load the main pages with wrk on loopback,
# and print a Markdown table that leads with ratios to two baselines measured in the same run on
# the same cores — `bench-baseline` (axum reading one client row by id as JSON from the same
# database: no session, policy, transaction or audit; the physical limit here) and /healthz on
# yorisoi's own server; on SQLite also the floor of the audited JSON read, its own statements
# through sqlx and nothing else — then requests/s, the CPU each view costs (app, and the PostgreSQL
# server's processes), p50 and p99. Ratios and CPU per view carry across machines; requests/s and
# milliseconds do not (at c=32 on 2 shared cores p99 follows throughput).
#
#   bench/run.sh sqlite      # or: bench/run.sh postgres
#
# Only some rows: ONLY=assessment runs the baselines and the rows whose name matches (an extended
# regular expression: ONLY='client page|dashboard').
# Sizes: OFFICES (10) × CLIENTS (1000) clients, NOTES (20) notes each; CONNS (32), DURATION (10s).
# JOBS (2): offices bench-seed loads side by side.
# Seed once, measure later (a million clients take minutes to seed): SEED_ONLY=1 seeds and keeps
# the database and prints its DB=…; DB=… bench/run.sh measures a database seeded before.
set -euo pipefail
cd "$(dirname "$0")/.."
backend="${1:-sqlite}"
OFFICES="${OFFICES:-10}"; CLIENTS="${CLIENTS:-1000}"; NOTES="${NOTES:-20}"; JOBS="${JOBS:-2}"
CONNS="${CONNS:-32}"; DURATION="${DURATION:-10s}"; THREADS="${THREADS:-2}"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
target="${CARGO_TARGET_DIR:-target}"
# BIN=path runs another build (e.g. the previous commit's) against the same seed and load.
if [ -z "${BIN:-}" ]; then
  cargo build --release -p yorisoi -p yorisoi-bench-baseline >&2
  BIN="$target/release/yorisoi"
fi
BASELINE="${BASELINE:-$(dirname "$BIN")/bench-baseline}"
[ -x "$BASELINE" ] || { echo "$BASELINE is missing: cargo build --release -p yorisoi-bench-baseline" >&2; exit 1; }
work="$(mktemp -d)"
pgname=""
cleanup() {
  [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  [ -n "${bpid:-}" ] && kill "$bpid" 2>/dev/null && wait "$bpid" 2>/dev/null || true
  [ -n "$pgname" ] && psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS $pgname WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
if [ -n "${DB:-}" ]; then
  # A database seeded before (SEED_ONLY=1 run, or bench-seed by hand): measured, kept.
  seed_secs="before"
elif [ "$backend" = postgres ]; then
  pgname="yorisoi_bench_$$"
  # SEED_ONLY keeps the database for a later run with DB=…
  [ -n "${SEED_ONLY:-}" ] && pgname="yorisoi_bench_${OFFICES}x${CLIENTS}"
  psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS $pgname WITH (FORCE)" >/dev/null 2>&1 || true
  psql -q -h 127.0.0.1 -U postgres -d postgres -c "CREATE DATABASE $pgname TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
  DB="postgres://postgres@127.0.0.1:5432/$pgname"
else
  file="$work/bench.sqlite"
  [ -n "${SEED_ONLY:-}" ] && file="/var/tmp/yorisoi_bench_${OFFICES}x${CLIENTS}.sqlite" && rm -f "$file"*
  DB="sqlite://$file"
fi
if [ "${seed_secs:-}" != before ]; then
  seed_start=$(date +%s)
  "$BIN" bench-seed --database "$DB" --offices "$OFFICES" --clients-per-office "$CLIENTS" --notes-per-client "$NOTES" --jobs "$JOBS" --dashboard-office >&2
  seed_secs="$(( $(date +%s) - seed_start ))s"
  if [ -n "${SEED_ONLY:-}" ]; then
    echo "seeded in $seed_secs: DB=$DB bench/run.sh $backend" >&2
    pgname=""
    exit 0
  fi
fi
# Statements for the script itself, on whichever database.
query() {
  if [ "$backend" = postgres ]; then psql -qtA "$DB" -c "$1"; else sqlite3 "${DB#sqlite://}" "$1"; fi
}
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
YORISOI_LOG=warn "$BIN" serve --database "$DB" --listen "127.0.0.1:$port" >/dev/null &
pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 100); do curl -fs "$base/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
bport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$BASELINE" --database "$DB" --listen "127.0.0.1:$bport" >/dev/null &
bpid=$!
bbase="http://127.0.0.1:$bport"
for _ in $(seq 1 100); do curl -fs "$bbase/healthz" >/dev/null 2>&1 && break; sleep 0.1; done

# CPU ticks (utime + stime) used so far by a process; by every PostgreSQL server process.
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
db_ticks() {
  [ "$backend" = postgres ] || { echo 0; return; }
  local t=0 p
  for p in $(pgrep -u postgres postgres); do t=$(( t + $(ticks "$p") )); done
  echo "$t"
}
hz=$(getconf CLK_TCK)
kb() { awk -v k="$2" '$1 == k":" { print $2 }' "/proc/$1/status"; }
# Start-up work (migrations, caches) must not land in the first row: wait for a whole idle second.
settle() {
  local a b
  for _ in $(seq 1 60); do a=$(ticks "$1"); sleep 1; b=$(ticks "$1"); [ "$a" = "$b" ] && return; done
}
settle "$pid"
idle_rss=$(kb "$pid" VmRSS)
idle_anon=$(kb "$pid" RssAnon)

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

assessment=$(query "SELECT MIN(id) FROM assessments")

run() { # name, cookie, path [server pid, base url, file of ids for a /…/{id} path]
  if [ -n "${ONLY:-}" ] && ! [[ "$1" =~ $ONLY ]] && [[ "$1" != *baseline* ]]; then return; fi
  local spid="${4:-$pid}" sbase="${5:-$base}" ids="${6:-}" out args=()
  [ -n "$2" ] && args+=(-H "Cookie: yorisoi_session=$2")
  local first="$3"
  if [ -n "$ids" ]; then
    args+=(-s bench/random_id.lua); first="$3$(head -n1 "$ids" | cut -d" " -f1)"
  fi
  # One request first: the steady state is measured, not the first build of a cached page.
  curl -fs -o /dev/null ${2:+-H "Cookie: yorisoi_session=$2"} "$sbase$first" || true
  local a0 d0 a1 d1
  a0=$(ticks "$spid"); d0=$(db_ticks)
  out=$(IDS="$ids" PREFIX="$3" wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "${args[@]}" "$sbase$first")
  a1=$(ticks "$spid"); d1=$(db_ticks)
  local rps p50 p99 non2xx n
  rps=$(echo "$out" | awk '/Requests\/sec/ { print $2 }')
  p50=$(echo "$out" | awk '$1 == "50%" { print $2 }')
  p99=$(echo "$out" | awk '$1 == "99%" { print $2 }')
  non2xx=$(echo "$out" | awk '/Non-2xx/ { print $5 }')
  n=$(echo "$out" | awk '/requests in/ { print $1 }')
  echo "$1|$rps|$p50|$p99|${non2xx:-0}|$n|$((a1 - a0))|$((d1 - d0))|$(( $(kb "$spid" VmHWM) / 1024 ))"
}

# The clients of office 1, whose admin reads them through the API; the baseline reads the same.
ids="$work/ids"
office_sql="SELECT c.id FROM clients c JOIN users u ON u.office_id = c.office_id WHERE u.login = 'bench0-admin' ORDER BY c.id"
query "$office_sql" > "$ids"
# The same read by the admins of up to 20 offices at once, each of their own clients: the audit
# appends of many offices side by side.
many="$work/many"
for o in $(seq 0 $(( (OFFICES < 20 ? OFFICES : 20) - 1 ))); do
  s=$(session "bench$o-admin")
  query "SELECT c.id FROM clients c JOIN users u ON u.office_id = c.office_id WHERE u.login = 'bench$o-admin' ORDER BY c.id LIMIT 200" | sed "s/\$/ $s/" >> "$many"
done

signed_rss=$(kb "$pid" VmRSS)
rows=()
rows+=("$(run 'axum + one row by id as JSON (bench-baseline)' '' /clients/ "$bpid" "$bbase" "$ids")")
rows+=("$(run 'hello world (/healthz on yorisoi, baseline)' '' /healthz)")
# SQLite: the audited read's own statements through the same sqlx and nothing else (session;
# client and books in one transaction), the floor under the next row. (PostgreSQL reads client and
# books in one statement: another shape, no floor row.)
if [ "$backend" = sqlite ]; then
  rows+=("$(run 'session + client + books, sqlx only (bench-baseline /floor/, baseline)' "$admin" /floor/ "$bpid" "$bbase" "$ids")")
else
  rows+=("")
fi
rows+=("$(run 'client JSON by id (admin, GET /api/v1/clients/{id}, audited)' "$admin" /api/v1/clients/ "$pid" "$base" "$ids")")
rows+=("$(run "client JSON by id, $(( OFFICES < 20 ? OFFICES : 20 )) offices' admins at once" '' /api/v1/clients/ "$pid" "$base" "$many")")
rows+=("$(run 'home (specialist, 200 clients)' "$spec" /)")
rows+=("$(run 'dashboard (specialist, 120 clients in support)' "$dash_spec" /)")
rows+=("$(run 'dashboard office view (admin, 20 staff × 100 clients)' "$dash_admin" /)")
rows+=("$(run 'client list (admin, 1000 clients, page 1)' "$admin" /clients)")
rows+=("$(run 'client search 「さとう」 (admin)' "$admin" '/clients?q=%E3%81%95%E3%81%A8%E3%81%86')")
rows+=("$(run "client page (ledger, certificate, its $NOTES notes)" "$spec" "/clients/$client")")
rows+=("$(run 'assessment sheet (family of 20, 40 ecomap ties)' "$spec" "/assessments/$assessment")")
rows+=("$(run 'case-note search 「飲み忘れ」 (client page)' "$spec" "/clients/$client?q=%E9%A3%B2%E3%81%BF%E5%BF%98%E3%82%8C")")

row_rps=$(echo "${rows[0]}" | cut -d'|' -f2)
hello_rps=$(echo "${rows[1]}" | cut -d'|' -f2)
floor_rps=$(echo "${rows[2]}" | cut -d'|' -f2)
json_rps=$(echo "${rows[3]}" | cut -d'|' -f2)
load_rss=$(kb "$pid" VmHWM)
echo "### $backend — $((OFFICES * CLIENTS)) clients, $((OFFICES * CLIENTS * NOTES)) notes, $CONNS connections, $DURATION each (seeded: ${seed_secs})"
echo
echo "| page | × one row | × hello | requests/s | CPU ms/view app + DB | p50 | p99 | non-2xx | peak RSS MB |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
for r in "${rows[@]}"; do
  [ -z "$r" ] && continue
  IFS='|' read -r name rps p50 p99 bad n app db peak <<<"$r"
  python3 - "$name" "$rps" "$row_rps" "$hello_rps" "$n" "$app" "$db" "$hz" "$p50" "$p99" "$bad" "$backend" "$peak" <<'PY'
import sys
name, rps, row, hello, n, app, db, hz, p50, p99, bad, backend, peak = sys.argv[1:]
rps, row, hello, n, app, db, hz = float(rps), float(row), float(hello), max(int(n), 1), int(app), int(db), int(hz)
ms = lambda t: t * 1000 / hz / n
cpu = f"{ms(app):.2f} + {ms(db):.2f}" if backend == "postgres" else f"{ms(app):.2f}"
print(f"| {name} | {rps / row:.3f} | {rps / hello:.3f} | {rps:,.0f} | {cpu} | {p50} | {p99} | {bad} | {peak} |")
PY
done
echo
floor_bad=$(echo "${rows[2]}" | cut -d'|' -f5)
[ -n "$json_rps" ] && [ -n "$floor_rps" ] && [ "${floor_bad:-0}" = 0 ] && echo "The audited client JSON is $(python3 -c "print(f'{$json_rps / $floor_rps:.2f}')") × the floor of its own statements (session, then client and books in one transaction, through sqlx with nothing else)."
echo "yorisoi resident: $((idle_rss / 1024)) MB idle after start-up ($((idle_anon / 1024)) MB of it anonymous, the rest the executable's pages), $((signed_rss / 1024)) MB after the sign-ins, $((load_rss / 1024)) MB at most under this load (peak RSS MB: the server's peak so far after each row, the baseline's on its row)."
