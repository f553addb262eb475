#!/usr/bin/env bash
# The ledger import (`yorisoi import`) of a generated 5,000-row CSV (half with a 受給者証), on
# SQLite, with hyperfine: each run starts from a fresh copy of a migrated data directory with one
# office and one clerk. Reported beside a baseline from the same run — the same file checked with
# `--dry-run` (read, decoded, every row validated and matched against the ledger, nothing
# written) — so the ratios hold across machines; and peak RSS from /usr/bin/time.
#
#   bench/import.sh            # ROWS=5000 RUNS=5; BIN=path runs another build
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS="${ROWS:-5000}"; RUNS="${RUNS:-5}"
command -v hyperfine >/dev/null || { echo "hyperfine is needed: apt-get install hyperfine" >&2; exit 1; }
target="${CARGO_TARGET_DIR:-target}"
if [ -z "${BIN:-}" ]; then
  cargo build --release -p yorisoi >&2
  BIN="$target/release/yorisoi"
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 - "$ROWS" "$work/ledger.csv" <<'PY'
import random, sys
n, path = int(sys.argv[1]), sys.argv[2]
random.seed(7)
fam = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤"]
famk = ["サトウ", "スズキ", "タカハシ", "タナカ", "イトウ", "ワタナベ", "ヤマモト", "ナカムラ", "コバヤシ", "カトウ"]
giv = ["花子", "一郎", "美咲", "大輔", "陽菜", "翔太", "結衣", "健", "真央", "蓮"]
givk = ["ハナコ", "イチロウ", "ミサキ", "ダイスケ", "ヒナ", "ショウタ", "ユイ", "ケン", "マオ", "レン"]
kinds = ["身体", "知的", "精神", "発達", "難病", "知的・精神"]
with open(path, "w", encoding="utf-8-sig", newline="") as f:
    f.write("氏名,フリガナ,生年月日,性別,障害種別,障害支援区分,住所,受給者証番号,市町村,交付日,支給決定期間開始,支給決定期間終了,モニタリング期間\r\n")
    for i in range(n):
        a, b = random.randrange(10), random.randrange(10)
        birth = f"{random.randint(1950, 2005)}-{random.randint(1, 12):02d}-{random.randint(1, 28):02d}"
        cert = ""
        if i % 2 == 0:
            cert = f"{1000000000 + i},N市,2026-04-01,2026-04-01,2027-03-31,3か月ごと"
        else:
            cert = ",,,,,"
        f.write(f"{fam[a]} {giv[b]}{i},{famk[a]} {givk[b]},{birth},{'女' if i % 2 else '男'},{kinds[i % len(kinds)]},区分{1 + i % 6},N市本町{i}番地,{cert}\r\n")
PY
base="$work/base"
mkdir -p "$base"
"$BIN" migrate --data-dir "$base" >/dev/null
"$BIN" office add --data-dir "$base" --name "ベンチ事業所" >/dev/null
YORISOI_PASSWORD='bench-password-1' "$BIN" user add --data-dir "$base" --office 1 --login jimu --name "事務 一" --role clerk >/dev/null
fresh="rm -rf $work/d && cp -r $base $work/d"
imported="$work/imported"
rm -rf "$imported"; cp -r "$base" "$imported"
"$BIN" import --data-dir "$imported" --office 1 --login jimu "$work/ledger.csv" >/dev/null
again="rm -rf $work/d && cp -r $imported $work/d"
run="$BIN import --data-dir $work/d --office 1 --login jimu"
hyperfine --runs "$RUNS" --export-json "$work/h.json" \
  -n "baseline: check only (--dry-run), empty ledger" --prepare "$fresh" "$run --dry-run $work/ledger.csv" \
  -n "import: $ROWS new clients, one transaction" --prepare "$fresh" "$run $work/ledger.csv" \
  -n "the same file again, duplicates skipped" --prepare "$again" "$run $work/ledger.csv" \
  -n "the same file again, --duplicates update" --prepare "$again" "$run --duplicates update $work/ledger.csv" >&2
rss() { eval "$1"; /usr/bin/time -f %M $2 2>&1 >/dev/null | tail -n1; }
r0=$(rss "$fresh" "$run --dry-run $work/ledger.csv")
r1=$(rss "$fresh" "$run $work/ledger.csv")
r2=$(rss "$again" "$run $work/ledger.csv")
r3=$(rss "$again" "$run --duplicates update $work/ledger.csv")
python3 - "$work/h.json" "$ROWS" "$r0" "$r1" "$r2" "$r3" <<'PY'
import json, sys
res = json.load(open(sys.argv[1]))["results"]
rows = int(sys.argv[2]); rss = sys.argv[3:]
base = res[0]["median"]
print(f"| run ({rows} rows) | median | × baseline | rows/s | user CPU | peak RSS |")
print("|---|---:|---:|---:|---:|---:|")
for r, m in zip(res, rss):
    med = r["median"]
    print(f"| {r['command']} | {med:.2f} s | {med / base:.2f} | {rows / med:,.0f} | {r['user']:.2f} s | {int(m) // 1024} MB |")
PY
