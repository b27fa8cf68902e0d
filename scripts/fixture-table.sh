#!/usr/bin/env bash
# Imports every file of ../shared/fixtures into its own fresh journal with the release CLI
# and prints a Markdown table: format, fills, non-trade rows skipped, rejected rows, closed /
# open / incomplete trades, gross, fees and net P&L. Times without a zone are read as
# America/New_York (the default account zone).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
cargo build --release --quiet -p tradebook-cli --manifest-path "$root/Cargo.toml"
cli="$target/release/tradebook"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "| file | format | fills | skipped | rejected | trades closed / open / incomplete | gross | fees | net |"
echo "|---|---|---|---|---|---|---|---|---|"
cd "$root/../shared/fixtures"
for f in */*.csv; do
  db="$work/$(echo "$f" | tr '/' '_').db"
  if report=$("$cli" --db "$db" import "$f" --skip-invalid --json 2>"$work/err"); then
    stats=$("$cli" --db "$db" stats --json)
    python3 - "$f" "$report" "$stats" <<'PY'
import json, sys
f, r, s = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
print(f"| {f} | {r['format']} | {r['fills_added']} | {r['skipped']} | {len(r['rejected'])} | "
      f"{s['trades']} / {s['open_trades']} / {s['incomplete_trades']} | {s['gross_pnl']} | {s['fees']} | {s['net_pnl']} |")
PY
  else
    echo "| $f | — | — | — | — | $(tr '|' '/' < "$work/err") | | | |"
  fi
done
