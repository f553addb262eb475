#!/usr/bin/env bash
# PDF benchmark: yorisoi's plan PDF rendered in-process (warm, N renders) against converting an
# equivalent Excel form with LibreOffice — what offices do today — measured in the same run.
#
#   bench/pdf.sh            # N=300 renders; RUNS=5 LibreOffice conversions
#
# Needs: libreoffice (Debian: libreoffice-calc-nogui), python3 with openpyxl (pip install openpyxl).
set -euo pipefail
cd "$(dirname "$0")/.."
N="${N:-300}"; RUNS="${RUNS:-5}"
command -v libreoffice >/dev/null || { echo "libreoffice is needed: apt-get install libreoffice-calc-nogui" >&2; exit 1; }
python3 -c 'import openpyxl' 2>/dev/null || { echo "openpyxl is needed: pip install openpyxl" >&2; exit 1; }
target="${CARGO_TARGET_DIR:-target}"
cargo build --release -p yorisoi-documents --example plan_pdf_bench >&2
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
yorisoi=$("$target/release/examples/plan_pdf_bench" "$work" "$N")
python3 bench/plan_xlsx.py "$work/plan.json" "$work/plan.xlsx"
# One warm-up conversion (profile creation), then RUNS timed ones, each a fresh process as when a
# specialist converts a form.
profile="file://$work/lo-profile"
libreoffice -env:UserInstallation="$profile" --headless --convert-to pdf --outdir "$work/lo" "$work/plan.xlsx" >/dev/null 2>&1
times=()
for _ in $(seq 1 "$RUNS"); do
  s=$(date +%s%N)
  libreoffice -env:UserInstallation="$profile" --headless --convert-to pdf --outdir "$work/lo" "$work/plan.xlsx" >/dev/null 2>&1
  times+=($(( ($(date +%s%N) - s) / 1000000 )))
done
[ -s "$work/lo/plan.pdf" ] || { echo "LibreOffice made no PDF" >&2; exit 1; }
lo_median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
p50=$(python3 -c "import json,sys; print(json.loads(sys.argv[1])['p50_ms'])" "$yorisoi")
pages_y=$(pdfinfo "$work/plan.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
pages_l=$(pdfinfo "$work/lo/plan.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
echo "yorisoi (in-process, warm): $yorisoi; pages $pages_y"
echo "LibreOffice xlsx → pdf: runs ${times[*]} ms, median $lo_median ms; pages $pages_l"
python3 -c "import sys; print(f'ratio (LibreOffice median / yorisoi p50): {float(sys.argv[1])/float(sys.argv[2]):.0f}x')" "$lo_median" "$p50"
if [ -n "${KEEP:-}" ]; then mkdir -p "$KEEP" && cp "$work/plan.pdf" "$KEEP/yorisoi-plan.pdf" && cp "$work/lo/plan.pdf" "$KEEP/libreoffice-plan.pdf" && cp "$work/plan.xlsx" "$KEEP/"; fi
