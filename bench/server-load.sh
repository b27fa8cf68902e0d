#!/usr/bin/env bash
# Load benchmark of the tenant API (a benchmark, not a test): seeds one community with
# MEMBERS members (default 10,000) and TRADES trades (default 1,000,000) in a throwaway
# PostgreSQL (pg_virtualenv), starts the release server on loopback and prints p50/p95/p99 of
# the community overview, members page, analytics, leaderboard and trader overview at CLIENTS
# concurrent clients (default 200) for SECONDS (default 20). Target (SPEC §9): p95 under 100 ms.
#   bench/server-load.sh [MEMBERS] [TRADES] [CLIENTS] [SECONDS]
# CLIENTS may be a list ("10 50 200"): one run per level over the same seeded database.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"
if [ -z "${TRADEBOOK_TEST_DATABASE_URL:-}" ]; then
  exec "$root/scripts/with-test-db.sh" "$0" "$@"
fi
members="${1:-10000}"; trades="${2:-1000000}"; clients="${3:-200}"; seconds="${4:-20}"
cd "$root"
target="${CARGO_TARGET_DIR:-$root/target}"

owner="$TRADEBOOK_TEST_DATABASE_URL"
app="$TRADEBOOK_TEST_APP_DATABASE_URL"

echo "== release build"
cargo build --release --quiet -p tradebook-server --bins --examples
"$target/release/tradebook-server" migrate --database-url "$owner" --app-role "$TRADEBOOK_TEST_APP_ROLE"

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
TRADEBOOK_JWT_SECRET="bench-secret-bench-secret-bench-secret" DATABASE_URL="$app" RUST_LOG=warn \
  TRADEBOOK_RATE_PER_IP_PER_MINUTE=100000000 TRADEBOOK_RATE_PER_USER_PER_MINUTE=100000000 \
  "$target/release/tradebook-server" --listen "127.0.0.1:$port" --pool-size 16 &
server_pid=$!
trap 'kill $server_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done

curl -sf -X POST "$base/api/auth/register" -H 'content-type: application/json' \
  -d '{"email":"admin@bench.test","name":"Bench Admin","password":"bench-password"}' >/dev/null
psql -q -d "$owner" -c "UPDATE users SET is_operator = true WHERE email = 'admin@bench.test'"
token=$(curl -sf -X POST "$base/api/auth/login" -H 'content-type: application/json' \
  -d '{"email":"admin@bench.test","password":"bench-password"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
community=$(curl -sf -X POST "$base/api/platform/communities" -H "authorization: Bearer $token" \
  -H 'content-type: application/json' -d '{"name":"Bench","admin_email":"admin@bench.test"}' \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')

echo "== seed $members members, $trades trades"
started=$(date +%s)
psql -q -v ON_ERROR_STOP=1 -d "$owner" <<SQL
SET app.community_id = '$community';
CREATE TEMP TABLE m AS
  SELECT gen_random_uuid() AS id, i FROM generate_series(1, $members) i;
INSERT INTO users (id, email, name, password_hash)
  SELECT id, 'member' || i || '@bench.test', 'Member ' || i, 'x' FROM m;
INSERT INTO memberships (community_id, user_id, role, leaderboard_opt_in, last_active_at)
  SELECT '$community', id, 'trader', i % 3 = 0, now() - (i % 60) * interval '1 day' FROM m;
INSERT INTO accounts (community_id, user_id, id, name, version)
  SELECT '$community', id, id, 'Main', 0 FROM m;
INSERT INTO trades (community_id, user_id, id, account_id, symbol, asset_class, direction, status,
                    quantity, closed_quantity, multiplier, entry_price, exit_price, gross_pnl, fees, net_pnl,
                    opened_at, closed_at, trading_day)
  SELECT '$community', m.id, gen_random_uuid(), m.id, 'ES', 'future', 'long', 'closed', 1, 1, 50, 5000, 5001,
         p, 4, p - 4, t - interval '30 minutes', t, (t AT TIME ZONE 'America/Chicago')::date
  FROM generate_series(0, $trades - 1) g
  JOIN m ON m.i = 1 + g % $members
  CROSS JOIN LATERAL (SELECT now() - (g % 365) * interval '1 day' - (g % 390) * interval '1 minute' AS t,
                             ((g::bigint * 7919) % 2001 - 1000)::numeric AS p) x;
WITH x AS MATERIALIZED (
  SELECT user_id, max(closed_at) AS last, count(*) AS n, sum(net_pnl) AS net FROM trades
  WHERE community_id = '$community' AND status = 'closed' GROUP BY user_id)
UPDATE memberships ms SET last_trade_at = x.last, closed_trades = x.n, closed_net_pnl = x.net FROM x
  WHERE ms.community_id = '$community' AND ms.user_id = x.user_id;
SQL
psql -q -d "$owner" -c "VACUUM ANALYZE"
echo "   seeded in $(( $(date +%s) - started ))s"

for n in $clients; do
  echo "== $n clients, ${seconds}s"
  "$target/release/examples/load" "$base" "$token" "$community" "$n" "$seconds"
done
