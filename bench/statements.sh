#!/usr/bin/env bash
# Counts the SQL statements PostgreSQL receives for one view of a client page, for a build:
# a tiny seed in a fresh database with log_statement=all, one warm-up view, then the view counted
# from the server's log.
#
#   bench/statements.sh target/release/yorisoi stmt_new 18802
#   bench/statements.sh target/release/yorisoi stmt_new 18802 /api/v1/clients/CLIENT
#
# The fourth argument is the path viewed (CLIENT becomes the id of the user's first client,
# ASSESSMENT the first assessment's; default the client page, /clients/CLIENT). LOGIN (default
# bench0-spec0) views it; DASH=1 also seeds the dashboard office (dash-spec0, dash-admin).
#
# Needs a local PostgreSQL with trust auth (as on the CI machine) and its log file (PGLOG, default
# Debian's /var/log/postgresql/postgresql-*-main.log). Prints "DB: N statements" and leaves the
# statements in /tmp/stmts-DB.txt.
set -u
bin=$1; db=$2; port=$3; path=${4:-/clients/CLIENT}
psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1
createdb -h 127.0.0.1 -U postgres -T template0 -E UTF8 --lc-collate=C.UTF-8 --lc-ctype=C.UTF-8 $db
url="postgres://postgres@127.0.0.1/$db"
$bin migrate --database "$url" >/dev/null 2>&1
login=${LOGIN:-bench0-spec0}
$bin bench-seed --database "$url" --offices 1 --clients-per-office 3 --notes-per-client 5 ${DASH:+--dashboard-office} >/dev/null 2>&1
psql -q -h 127.0.0.1 -U postgres -c "ALTER DATABASE $db SET log_statement = 'all'" >/dev/null
YORISOI_LOG=warn $bin serve --database "$url" --listen 127.0.0.1:$port >/dev/null 2>&1 &
pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 100); do curl -fs "$base/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
jar=$(mktemp)
token=$(curl -fs -c "$jar" "$base/login" | grep -o 'name="csrf" value="[^"]*"' | head -n1 | sed 's/.*value="//; s/"$//')
curl -fs -b "$jar" -c "$jar" -o /dev/null --data-urlencode "login=$login" --data-urlencode "password=bench-password-1" --data-urlencode "csrf=$token" "$base/login"
client=$(psql -h 127.0.0.1 -U postgres -d $db -tAc "SELECT c.id FROM clients c JOIN users u ON u.id = c.assigned_user_id WHERE u.login='$login' ORDER BY c.id LIMIT 1")
assessment=$(psql -h 127.0.0.1 -U postgres -d $db -tAc "SELECT MIN(id) FROM assessments")
path=${path//ASSESSMENT/$assessment}
curl -fs -b "$jar" -o /dev/null "$base${path//CLIENT/$client}"
sleep 1
log=${PGLOG:-$(ls /var/log/postgresql/postgresql-*-main.log | head -n1)}
start=$(wc -l < $log)
curl -fs -b "$jar" -o /dev/null -w "%{http_code}\n" "$base${path//CLIENT/$client}"
sleep 1
tail -n +$((start+1)) $log | grep "@$db" | grep -E "LOG:  (statement|execute)" > /tmp/stmts-$db.txt
echo "$db: $(wc -l < /tmp/stmts-$db.txt) statements"
kill $pid; wait $pid 2>/dev/null
psql -q -h 127.0.0.1 -U postgres -c "ALTER DATABASE $db RESET log_statement" >/dev/null
