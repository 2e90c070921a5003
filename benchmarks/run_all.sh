#!/bin/sh
# Every benchmark in turn, each printing its FIGURE lines (value | baseline | ratio | target | PASS/MISS);
# the whole output goes to benchmarks/last-run.txt and the figures table to benchmarks/RESULTS.md.
#   benchmarks/run_all.sh            full run (the endurance run alone takes about 10 minutes)
#   SESSIONS=2000 benchmarks/run_all.sh   a shorter endurance run (growth slope projected to 10,000)
set -eu
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
OUT=benchmarks/last-run.txt
: > "$OUT"
run() {
    echo "== $*" | tee -a "$OUT"
    "$PY" "$@" 2>/dev/null | tee -a "$OUT"
}
run benchmarks/bench_startup.py --runs "${RUNS:-15}"
run benchmarks/bench_responsiveness.py --repeats "${REPEATS:-30}"
run benchmarks/bench_printing.py --tickets "${TICKETS:-30}"
run benchmarks/bench_card.py --cards "${CARDS:-20}"
run benchmarks/bench_offline_store.py
run benchmarks/bench_documents.py --repeats "${CERTIFICATES:-5}"
run benchmarks/bench_endurance.py --sessions "${SESSIONS:-10000}"
{
    echo "Figures from \`benchmarks/run_all.sh\` on $(date +%Y-%m-%d), $(nproc) cores, QT_QPA_PLATFORM=$QT_QPA_PLATFORM."
    echo
    "$PY" benchmarks/report.py "$OUT"
} > benchmarks/RESULTS.md
echo "table written to benchmarks/RESULTS.md"
