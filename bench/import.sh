#!/usr/bin/env bash
# Import benchmark (SPEC §9, issue 3): generate N fills (default 1,000,000) in the Tradovate
# Fills layout, import them into a fresh database with the release CLI, and compare with
# loading the same file through the sqlite3 shell's `.import` in the same run.
# Prints rows/s, wall time, peak memory and the ratio. Not a test: it asserts nothing.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
n="${1:-1000000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
target="${CARGO_TARGET_DIR:-$root/target}"
command -v sqlite3 >/dev/null || { echo "sqlite3 is needed (apt-get install sqlite3)" >&2; exit 1; }
cargo build --release --quiet -p tradebook-cli --manifest-path "$root/Cargo.toml"
python3 "$root/bench/gen_tradovate_fills.py" "$n" "$work/fills.csv"
size=$(stat -c %s "$work/fills.csv")
echo "file: $n fills, $((size / 1024 / 1024)) MiB"

/usr/bin/time -f "%e %M" -o "$work/t1" "$target/release/tradebook" --db "$work/journal.db" \
  import "$work/fills.csv" --account Bench --json > "$work/report.json"
read -r secs kib < "$work/t1"
added=$(python3 -c "import json,sys; print(json.load(open('$work/report.json'))['fills_added'])")

/usr/bin/time -f "%e %M" -o "$work/t2" sqlite3 "$work/plain.db" ".mode csv" ".import $work/fills.csv fills"
read -r sq_secs sq_kib < "$work/t2"

python3 - "$n" "$added" "$secs" "$kib" "$sq_secs" "$sq_kib" <<'PY'
import sys
n, added, secs, kib, sq_secs, sq_kib = sys.argv[1:]
n, added, secs, sq_secs = int(n), int(added), float(secs), float(sq_secs)
print(f"tradebook import: {added} fills added in {secs:.2f} s = {added / secs:,.0f} rows/s, peak RSS {int(kib) // 1024} MiB")
print(f"sqlite3 .import:  {n} rows in {sq_secs:.2f} s = {n / max(sq_secs, 1e-9):,.0f} rows/s, peak RSS {int(sq_kib) // 1024} MiB")
print(f"ratio: {secs / max(sq_secs, 1e-9):.2f}x of .import (target: under 10 s and within 3x)")
PY
