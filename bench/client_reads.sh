#!/usr/bin/env bash
# The client's small reads on PostgreSQL, the statements alone (pgbench, prepared, one client):
# one by one as SQLite still reads them, and in one statement as `client_page::read` does, with
# the parts chosen by a parameter as a first build did.
#
#   bench/client_reads.sh postgres://postgres@127.0.0.1:5432/yorisoi_bench_10x1000
#
# The database is one seeded by `bench/run.sh` (SEED_ONLY=1); the clients read are office 1's.
set -eu
db=${1:?a seeded PostgreSQL database}
command -v pgbench >/dev/null || { echo "pgbench is needed (postgresql-client)" >&2; exit 1; }
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
range=$(psql -qtA "$db" -c "SELECT min(id) || ', ' || max(id) FROM clients WHERE office_id = 1")
head="\\set id random($range)"
books="SELECT coalesce(json_agg(b ORDER BY b.id), '[]')::text FROM disability_books b WHERE b.client_id = :id AND b.office_id = 1"
certs="SELECT coalesce(json_agg(t ORDER BY t.version_no DESC), '[]')::text FROM certificates t WHERE t.client_id = :id AND t.office_id = 1"
cases="SELECT coalesce(json_agg(k ORDER BY k.opened_on DESC, k.id DESC), '[]')::text FROM cases k WHERE k.client_id = :id AND k.office_id = 1"
one="SELECT c.id IS NOT NULL, c.assigned_user_id, row_to_json(c)::text, ($books)"
from="FROM (SELECT 1) one LEFT JOIN clients c ON c.id = :id AND c.office_id = 1"
printf '%s\n' "$head" \
  "SELECT * FROM clients WHERE id = :id;" \
  "SELECT * FROM disability_books WHERE office_id = 1 AND client_id = :id ORDER BY id;" \
  "SELECT * FROM certificates WHERE client_id = :id AND office_id = 1 ORDER BY version_no DESC;" \
  "SELECT * FROM cases WHERE client_id = :id AND office_id = 1 ORDER BY opened_on DESC, id DESC;" > "$dir/page_one_by_one.sql"
printf '%s\n' "$head" "$one, ($certs), ($cases) $from;" > "$dir/page_together.sql"
printf '%s\n' "$head" \
  "SELECT * FROM clients WHERE id = :id;" \
  "SELECT * FROM disability_books WHERE office_id = 1 AND client_id = :id ORDER BY id;" > "$dir/json_one_by_one.sql"
printf '%s\n' "$head" "$one, '[]', '[]' $from;" > "$dir/json_together.sql"
printf '%s\n' "$head" '\set w 0' \
  "$one, CASE WHEN (:w = 1) THEN ($certs) ELSE '[]' END, CASE WHEN (:w = 1) THEN ($cases) ELSE '[]' END $from;" > "$dir/json_by_parameter.sql"
for f in page_one_by_one page_together json_one_by_one json_together json_by_parameter; do
  ms=$(pgbench -n -M prepared -c 1 -T "${DUR:-8}" -f "$dir/$f.sql" "$db" 2>/dev/null | awk '/latency average/ {print $4}')
  echo "$f: $ms ms"
done
