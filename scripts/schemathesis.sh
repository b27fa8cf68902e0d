#!/usr/bin/env bash
# Fuzzes the tenant API from its own OpenAPI document with Schemathesis (from PyPI): no 5xx,
# responses conform to the documented schemas, and requests without credentials are
# rejected. Called by scripts/test-server.sh inside its throwaway cluster, with the built
# server binary as $1 and TRADEBOOK_TEST_{,APP_}DATABASE_URL set (migrated database).
set -euo pipefail
server_bin="$1"
venv="${XDG_CACHE_HOME:-$HOME/.cache}/tradebook/schemathesis-venv"
if [ ! -x "$venv/bin/schemathesis" ]; then
  echo "== pip: schemathesis (into $venv)"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check schemathesis
fi

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
work="$(mktemp -d)"
TRADEBOOK_JWT_SECRET="schemathesis-secret-schemathesis-secret" DATABASE_URL="$TRADEBOOK_TEST_APP_DATABASE_URL" \
  TRADEBOOK_RATE_PER_IP_PER_MINUTE=1000000 TRADEBOOK_RATE_PER_USER_PER_MINUTE=1000000 \
  RUST_LOG=warn "$server_bin" --listen "127.0.0.1:$port" >"$work/server.log" 2>&1 &
server_pid=$!
cleanup() { kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
for _ in $(seq 1 100); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done

# A seeded user: platform operator and admin of one community, so authenticated requests
# reach the handlers (path ids that name nothing answer 404, which is also checked).
email="fuzz-$RANDOM$RANDOM@example.test"
curl -sf -X POST "$base/api/auth/register" -H 'content-type: application/json' \
  -d "{\"email\":\"$email\",\"name\":\"Fuzz\",\"password\":\"fuzz-password\"}" >/dev/null
psql -q -d "$TRADEBOOK_TEST_DATABASE_URL" -c "UPDATE users SET is_operator = true WHERE email = '$email'"
token=$(curl -sf -X POST "$base/api/auth/login" -H 'content-type: application/json' \
  -d "{\"email\":\"$email\",\"password\":\"fuzz-password\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
community=$(curl -sf -X POST "$base/api/platform/communities" -H "authorization: Bearer $token" \
  -H 'content-type: application/json' -d "{\"name\":\"Fuzz\",\"admin_email\":\"$email\"}" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')

echo "== a request without credentials is rejected"
status=$(curl -s -o /dev/null -w '%{http_code}' "$base/api/communities/$community/members")
[ "$status" = 401 ] || { echo "error: unauthenticated request answered $status" >&2; exit 1; }

cat >"$work/schemathesis.toml" <<TOML
[parameters]
"path.community_id" = "$community"
TOML
echo "== schemathesis against $base/api/openapi.json"
(cd "$work" && "$venv/bin/schemathesis" --config-file "$work/schemathesis.toml" run "$base/api/openapi.json" \
  --header "Authorization: Bearer $token" \
  --checks not_a_server_error,response_schema_conformance,ignored_auth \
  --phases examples,coverage,fuzzing --max-examples 25 --seed 1 --workers 2 \
  --exclude-path /api/platform/communities/{community_id}/suspend \
  --no-color --warnings off) || { echo "== server log"; tail -50 "$work/server.log"; exit 1; }
