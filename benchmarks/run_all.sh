#!/bin/sh
# Every benchmark in turn, each printing its FIGURE lines (value | baseline | ratio | target | PASS/MISS);
# the whole output goes to benchmarks/last-run.txt and the figures table to benchmarks/RESULTS.md;
# each benchmark's stderr goes to benchmarks/last-errors.txt, and one that exits non-zero is named (FAILED).
#   benchmarks/run_all.sh            full run (the endurance run alone takes about 10 minutes)
#   SESSIONS=2000 benchmarks/run_all.sh   a shorter endurance run (growth slope projected to 10,000)
#   Where Xvfb is installed (KIOSK_WITH_X11=1 bash scripts/bootstrap.sh) responsiveness also runs on the xcb
#   platform under Xvfb, and, where Chromium is too, the Chromium --kiosk anchor; XVFB=0 leaves both out,
#   ENDURANCE_XVFB=1 runs the endurance benchmark under Xvfb instead of offscreen.
set -eu
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
OUT=benchmarks/last-run.txt
ERRORS=benchmarks/last-errors.txt  # each benchmark's stderr, so one that fails says why
: > "$OUT"
: > "$ERRORS"
STATUS=$(mktemp)
trap 'rm -f "$STATUS"' EXIT
run() {
    echo "== $*" | tee -a "$OUT"
    echo "== $*" >> "$ERRORS"
    { status=0; "$PY" "$@" 2>>"$ERRORS" || status=$?; echo "$status" > "$STATUS"; } | tee -a "$OUT"
    code=$(cat "$STATUS")
    if [ "$code" != 0 ]; then
        echo "FAILED: $1 exited with $code (its stderr: $ERRORS)" | tee -a "$OUT"
    fi
}
run benchmarks/bench_startup.py --runs "${RUNS:-15}"
run benchmarks/bench_responsiveness.py --repeats "${REPEATS:-30}"
have_xvfb=0
if [ "${XVFB:-1}" = 1 ] && command -v Xvfb >/dev/null 2>&1; then have_xvfb=1; fi
if [ "$have_xvfb" = 1 ]; then
    run benchmarks/bench_responsiveness.py --repeats "${REPEATS:-30}" --xvfb
    if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
        run benchmarks/bench_chromium_anchor.py --runs "${ANCHOR_RUNS:-5}"
    else
        echo "== Chromium --kiosk anchor skipped: Chromium is not installed (apt-get install chromium)" | tee -a "$OUT"
    fi
else
    echo "== Xvfb runs and the Chromium anchor skipped: no Xvfb (KIOSK_WITH_X11=1 bash scripts/bootstrap.sh)" | tee -a "$OUT"
fi
run benchmarks/bench_printing.py --tickets "${TICKETS:-30}"
run benchmarks/bench_card.py --cards "${CARDS:-20}"
run benchmarks/bench_offline_store.py
run benchmarks/bench_documents.py --repeats "${CERTIFICATES:-5}"
if [ "${ENDURANCE_XVFB:-0}" = 1 ] && [ "$have_xvfb" = 1 ]; then
    run benchmarks/bench_endurance.py --sessions "${SESSIONS:-10000}" --xvfb
else
    run benchmarks/bench_endurance.py --sessions "${SESSIONS:-10000}"
fi
{
    echo "Figures from \`benchmarks/run_all.sh\` on $(date +%Y-%m-%d), $(nproc) cores, QT_QPA_PLATFORM=$QT_QPA_PLATFORM."
    echo
    "$PY" benchmarks/report.py "$OUT"
} > benchmarks/RESULTS.md
echo "table written to benchmarks/RESULTS.md"
echo "goals: $(grep -c '^FIGURE .*| PASS$' "$OUT") PASS, $(grep -c '^FIGURE .*| MISS$' "$OUT") MISS (load average now: $(cut -d' ' -f1 /proc/loadavg))"
grep '^FIGURE .*| MISS$' "$OUT" | sed 's/^FIGURE /MISS: /' || true
grep '^FAILED: ' "$OUT" || true
