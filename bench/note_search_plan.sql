-- Issue 22: a client's case-note search planned with and without statistics (BENCHMARKS.md).
--   createdb -T template0 -E UTF8 --lc-collate=C.UTF-8 --lc-ctype=C.UTF-8 plan22
--   psql -d plan22 -f bench/note_search_plan.sql      # then: ANALYZE case_notes; and the EXPLAINs again
\set ON_ERROR_STOP 1
CREATE EXTENSION IF NOT EXISTS pg_trgm;
DROP TABLE IF EXISTS case_notes;
-- The columns and indexes of case_notes that the search uses (m0001, m0014), without statistics
-- (autovacuum off for the table, as right after a bulk load before autovacuum's first run).
CREATE TABLE case_notes (
  id bigserial PRIMARY KEY, office_id bigint NOT NULL, client_id bigint NOT NULL,
  occurred_at timestamp NOT NULL, kind text NOT NULL, counterpart text NOT NULL,
  content text NOT NULL, search_text text NOT NULL DEFAULT ''
) WITH (autovacuum_enabled = off);
CREATE INDEX case_notes_client_time ON case_notes (client_id, occurred_at);
CREATE INDEX case_notes_search_trgm ON case_notes USING gin (search_text gin_trgm_ops);
-- 100 offices × 1,000 clients × 5 notes; one note in six mentions 飲み忘れ (folded: 飲ミ忘レ).
INSERT INTO case_notes (office_id, client_id, occurred_at, kind, counterpart, content, search_text)
SELECT c / 1000 + 1, c + 1, timestamp '2026-01-01' + (n * 7 + c % 7) * interval '1 day', 'visit', '本人', t.content, t.folded || '本人'
FROM generate_series(0, 99999) c, generate_series(0, 4) n,
LATERAL (SELECT * FROM (VALUES
 (0, '居宅訪問。服薬の飲み忘れについて本人と確認し、お薬カレンダーを続けることにした。', '居宅訪問。服薬ノ飲ミ忘レニツイテ本人ト確認シ、オ薬カレンダーヲ続ケルコトニシタ。'),
 (1, '事業所のサービス管理責任者から通所状況を聞き取り。', '事業所ノサービス管理責任者カラ通所状況ヲ聞キ取リ。'),
 (2, '母から電話。最近夜眠れていない様子とのこと。', '母カラ電話。最近夜眠レテイナイ様子トノコト。'),
 (3, '通院に同行。バスの乗り換えを一緒に確認した。', '通院ニ同行。バスノ乗リ換エヲ一緒ニ確認シタ。'),
 (4, '市役所の担当者と受給者証の更新手続きについて連絡調整。', '市役所ノ担当者ト受給者証ノ更新手続キニツイテ連絡調整。'),
 (5, 'グループホームの見学に同行。', 'グループホームノ見学ニ同行。')) v(k, content, folded)
 WHERE v.k = (n + c) % 6) t;
SELECT count(*) AS notes, count(*) FILTER (WHERE search_text LIKE '%飲ミ忘レ%') AS matching FROM case_notes;
\echo '--- before (issue 22): the client notes ANDed with the term'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING ON) SELECT n.* FROM case_notes n WHERE n.office_id = 43 AND n.client_id = 42001 AND n.search_text LIKE '%飲ミ忘レ%' ESCAPE '\' ORDER BY n.occurred_at DESC, n.id DESC LIMIT 31 OFFSET 0;
\echo '--- after: the client rows first (MATERIALIZED CTE)'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING ON) WITH n AS MATERIALIZED (SELECT * FROM case_notes WHERE office_id = 43 AND client_id = 42001) SELECT n.* FROM n WHERE TRUE AND n.search_text LIKE '%飲ミ忘レ%' ESCAPE '\' ORDER BY n.occurred_at DESC, n.id DESC LIMIT 31 OFFSET 0;
