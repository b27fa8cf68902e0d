#!/usr/bin/env bash
# App start-up benchmark (issue 4, SPEC §9: "cold start to an interactive dashboard under
# 1 s"). Builds the release app with the UI embedded, fills a journal with every broker
# export in ../shared/fixtures (and, with TRADES=N, N generated round trips more), then
# starts the app N_RUNS times under Xvfb. The dashboard reports once its statistics are on
# screen (`report_ready`: time since the process started) and the app exits; this prints
# each run and the median. Not a test: it asserts nothing. Needs xvfb-run.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs="${N_RUNS:-5}"
trades="${TRADES:-0}"
target="${CARGO_TARGET_DIR:-$root/target}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$root/ui" && npm run --silent build >/dev/null)
cargo build --release --quiet --manifest-path "$root/Cargo.toml" -p tradebook-app -p tradebook-cli \
  --features tradebook-app/custom-protocol
db="$work/journal.db"
for f in $(find "$root/../shared/fixtures" -name '*.csv' | sort); do
  "$target/release/tradebook" --db "$db" import "$f" --skip-invalid --json >/dev/null 2>&1 || true
done
if [ "$trades" -gt 0 ]; then
  python3 "$root/bench/gen_tradovate_fills.py" $((trades * 2)) "$work/gen.csv"
  "$target/release/tradebook" --db "$db" import "$work/gen.csv" --account Generated --json >/dev/null
fi
closed=$("$target/release/tradebook" --db "$db" stats --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["trades"])')
echo "journal: $closed closed trades; $runs starts"
times=()
for i in $(seq "$runs"); do
  out=$(TRADEBOOK_DB="$db" TRADEBOOK_EXIT_WHEN_READY=1 timeout 60 \
    xvfb-run -a -s "-screen 0 1280x800x24" "$target/release/tradebook-app" 2>/dev/null | grep -o 'ready_ms=[0-9]*' || true)
  ms="${out#ready_ms=}"
  echo "run $i: ${ms:-no report} ms"
  [ -n "$ms" ] && times+=("$ms")
done
printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {if (NR) print "median start to interactive dashboard: " a[int((NR+1)/2)] " ms (target: under 1000 ms)"}'
