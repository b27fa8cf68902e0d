#!/usr/bin/env bash
# App start-up benchmark (issue 4, SPEC §9: "cold start to an interactive dashboard under
# 1 s"; issue 12: under 0.5 s at a million trades). Builds the release app with the UI
# embedded; for each size in TRADES (default "0 100000 1000000") fills a journal with every
# broker export in ../shared/fixtures plus that many generated round trips, then starts the
# app N_RUNS times under Xvfb. The dashboard reports once its statistics are on
# screen (`report_ready`: time since the process started) and the app exits; this prints
# each run and the median. Not a test: it asserts nothing. Needs xvfb-run.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs="${N_RUNS:-5}"
sizes="${TRADES:-0 100000 1000000}"
target="${CARGO_TARGET_DIR:-$root/target}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$root/ui" && npm run --silent build >/dev/null)
cargo build --release --quiet --manifest-path "$root/Cargo.toml" -p tradebook-app -p tradebook-cli \
  --features tradebook-app/custom-protocol
# One journal per size: every fixture, plus N generated round trips. Size 0 (the fixtures
# alone) is the baseline each larger journal is read against.
for trades in $sizes; do
  db="$work/journal-$trades.db"
  for f in $(find "$root/../shared/fixtures" -name '*.csv' | sort); do
    "$target/release/tradebook" --db "$db" import "$f" --skip-invalid --json >/dev/null 2>&1 || true
  done
  if [ "$trades" -gt 0 ]; then
    python3 "$root/bench/gen_tradovate_fills.py" $((trades * 2)) "$work/gen.csv"
    "$target/release/tradebook" --db "$db" import "$work/gen.csv" --account Generated --json >/dev/null
    rm -f "$work/gen.csv"
  fi
  closed=$("$target/release/tradebook" --db "$db" stats --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["trades"])')
  echo "== journal of $closed closed trades (fixtures + $trades generated); $runs starts"
  times=()
  for i in $(seq "$runs"); do
    out=$(TRADEBOOK_DB="$db" TRADEBOOK_EXIT_WHEN_READY=1 timeout 120 \
      xvfb-run -a -s "-screen 0 1280x800x24" "$target/release/tradebook-app" 2>/dev/null | grep -o 'ready_ms=[0-9]*' || true)
    ms="${out#ready_ms=}"
    echo "run $i: ${ms:-no report} ms"
    [ -n "$ms" ] && times+=("$ms")
  done
  median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]}')
  [ "$trades" = 0 ] && baseline="$median"
  ratio=""
  if [ -n "${baseline:-}" ] && [ -n "$median" ] && [ "$baseline" -gt 0 ]; then
    ratio=$(python3 -c "print(f'{$median / $baseline:.2f}x the fixtures-only start')")
  fi
  echo "median start to interactive dashboard: ${median:-none} ms ${ratio:+($ratio)} (target: under 500 ms)"
  rm -f "$db"
done
