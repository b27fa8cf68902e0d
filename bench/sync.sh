#!/usr/bin/env bash
# Sync benchmark (SPEC §9, issue 6; a benchmark, not a test): N fills (default 100,000) in a
# journal, uploaded to a community on a local release server over a throwaway PostgreSQL
# (pg_virtualenv), then pulled by a new device with the release CLI. Prints the time of the
# first upload and of the new device's sync (target: under 10 s), and checks both journals
# hold the same number of fills and trades.
#   bench/sync.sh [N]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"
if [ -z "${TRADEBOOK_TEST_DATABASE_URL:-}" ]; then
  exec "$root/scripts/with-test-db.sh" "$0" "$@"
fi
n="${1:-100000}"
cd "$root"
target="${CARGO_TARGET_DIR:-$root/target}"
work="$(mktemp -d)"

owner="$TRADEBOOK_TEST_DATABASE_URL"
app="$TRADEBOOK_TEST_APP_DATABASE_URL"

echo "== release build"
cargo build --release --quiet -p tradebook-server -p tradebook-cli
"$target/release/tradebook-server" migrate --database-url "$owner" --app-role "$TRADEBOOK_TEST_APP_ROLE"

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
TRADEBOOK_JWT_SECRET="bench-secret-bench-secret-bench-secret" DATABASE_URL="$app" RUST_LOG=warn \
  TRADEBOOK_RATE_PER_IP_PER_MINUTE=100000000 TRADEBOOK_RATE_PER_USER_PER_MINUTE=100000000 \
  "$target/release/tradebook-server" serve --listen "127.0.0.1:$port" --pool-size 8 &
server_pid=$!
trap 'kill $server_pid 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done

curl -sf -X POST "$base/api/auth/register" -H 'content-type: application/json' \
  -d '{"email":"trader@bench.test","name":"Bench Trader","password":"bench-password"}' >/dev/null
psql -q -d "$owner" -c "UPDATE users SET is_operator = true WHERE email = 'trader@bench.test'"
token=$(curl -sf -X POST "$base/api/auth/login" -H 'content-type: application/json' \
  -d '{"email":"trader@bench.test","password":"bench-password"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
curl -sf -X POST "$base/api/platform/communities" -H "authorization: Bearer $token" \
  -H 'content-type: application/json' -d '{"name":"Bench","admin_email":"trader@bench.test"}' >/dev/null

cli="$target/release/tradebook"
export TRADEBOOK_PASSWORD=bench-password
unset DBUS_SESSION_BUS_ADDRESS
python3 "$root/bench/gen_tradovate_fills.py" "$n" "$work/fills.csv"
"$cli" --db "$work/a.db" import "$work/fills.csv" --account Bench --json >/dev/null

echo "== device A: connect and upload $n fills"
"$cli" --db "$work/a.db" sync login --server "$base" --email trader@bench.test --no-sync >/dev/null
/usr/bin/time -f "%e %M" -o "$work/up" "$cli" --db "$work/a.db" sync now --json > "$work/up.json"
read -r up_secs up_kib < "$work/up"

echo "== device B (new): connect and sync"
"$cli" --db "$work/b.db" sync login --server "$base" --email trader@bench.test --no-sync >/dev/null
/usr/bin/time -f "%e %M" -o "$work/down" "$cli" --db "$work/b.db" sync now --json > "$work/down.json"
read -r down_secs down_kib < "$work/down"

trades_a=$("$cli" --db "$work/a.db" trades --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
trades_b=$("$cli" --db "$work/b.db" trades --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
python3 - "$n" "$up_secs" "$up_kib" "$down_secs" "$down_kib" "$work/down.json" "$trades_a" "$trades_b" <<'PY'
import json, sys
n, up, up_kib, down, down_kib, down_json, trades_a, trades_b = sys.argv[1:]
d = json.load(open(down_json))
print(f"upload (device A, {n} fills): {float(up):.2f} s, peak RSS {int(up_kib) // 1024} MiB")
print(f"new device sync: {d['pulled']} changes pulled, {d['applied']} applied in {float(down):.2f} s "
      f"= {d['pulled'] / float(down):,.0f} changes/s, peak RSS {int(down_kib) // 1024} MiB (target: under 10 s)")
print(f"trades: device A {trades_a}, device B {trades_b} ({'same' if trades_a == trades_b else 'DIFFERENT'})")
PY
