#!/usr/bin/env bash
# The client list's statement on PostgreSQL, alone (pgbench, prepared, one client): the number of
# matches counted by a `COUNT(*) OVER ()` window against an uncorrelated subquery, for the admin's
# list (office 1, kana order, 50), an admin's home (the dashboard office, updated order, 30) and a
# search 「サトウ」 (office 1). `clients::list` uses the subquery unsearched, the window searched.
#
#   bench/list_count.sh postgres://postgres@127.0.0.1:5432/yorisoi_bench_10x1000
#
# The database is one seeded by `bench/run.sh` (SEED_ONLY=1).
set -eu
db=${1:?a seeded PostgreSQL database}
command -v pgbench >/dev/null || { echo "pgbench is needed (postgresql-client)" >&2; exit 1; }
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
office=$(psql -qtA "$db" -c "SELECT office_id FROM users WHERE login = 'bench0-admin'")
dash=$(psql -qtA "$db" -c "SELECT office_id FROM users WHERE login = 'dash-admin'")
search="(search_key || '') LIKE '%サトウ%'"
kana="ORDER BY c.family_name_kana, c.given_name_kana, c.id LIMIT 50"
updated="ORDER BY c.updated_at DESC, c.id LIMIT 30"
q() { # name, office, extra condition, order
  local cond="office_id = $2${3:+ AND $3}"
  echo "SELECT c.*, COUNT(*) OVER () AS total_rows FROM clients c WHERE $cond $4;" > "$dir/$1_window.sql"
  echo "SELECT c.*, (SELECT COUNT(*) FROM clients WHERE $cond) AS total_rows FROM clients c WHERE $cond $4;" > "$dir/$1_subquery.sql"
}
q list "$office" "" "$kana"
q home "${dash:-$office}" "" "$updated"
q search "$office" "$search" "$kana"
for f in list_window list_subquery home_window home_subquery search_window search_subquery; do
  ms=$(pgbench -n -M prepared -c 1 -T "${DUR:-4}" -f "$dir/$f.sql" "$db" 2>/dev/null | awk '/latency average/ {print $4}')
  echo "$f: $ms ms"
done
