#!/usr/bin/env python3
"""The session lookup statement before and after it read the office's settings (session 12),
alternated in one run on one SQLite file, so the two are compared under the same load.

    yorisoi demo --data-dir /tmp/d   # sign in once in a browser, so a session row exists
    python3 bench/session_lookup.py /tmp/d/yorisoi.sqlite [ROUNDS] [N]
"""
import sqlite3
import sys
import time

BEFORE = ("SELECT s.id AS s_id, s.csrf_token AS s_csrf_token, s.last_seen_at AS s_last_seen_at, "
          "s.absolute_expires_at AS s_absolute_expires_at, u.* FROM sessions s "
          "JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?")
AFTER = ("SELECT s.id AS s_id, s.csrf_token AS s_csrf_token, s.last_seen_at AS s_last_seen_at, "
         "s.absolute_expires_at AS s_absolute_expires_at, o.doc_settings AS o_doc_settings, u.* "
         "FROM sessions s JOIN users u ON u.id = s.user_id JOIN offices o ON o.id = u.office_id "
         "WHERE s.token_hash = ?")

db = sqlite3.connect(sys.argv[1])
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
n = int(sys.argv[3]) if len(sys.argv) > 3 else 20000
row = db.execute("SELECT token_hash FROM sessions LIMIT 1").fetchone()
if row is None:
    sys.exit("no session in this database: sign in once first")
times = {"before": [], "after": []}
for _ in range(rounds):
    for name, q in (("before", BEFORE), ("after", AFTER)):
        t = time.perf_counter()
        for _ in range(n):
            db.execute(q, row).fetchall()
        times[name].append((time.perf_counter() - t) / n * 1e6)
med = {k: sorted(v)[len(v) // 2] for k, v in times.items()}
for k in ("before", "after"):
    print(f"{k}: median {med[k]:.1f} µs per lookup ({', '.join(f'{x:.1f}' for x in times[k])})")
print(f"after / before: {med['after'] / med['before']:.2f}")
