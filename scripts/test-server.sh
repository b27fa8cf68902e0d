#!/usr/bin/env bash
# Tests the community tenant API and sync (crates/server, crates/sync, crates/sync-client)
# against a real, throwaway PostgreSQL: installs postgresql when it is missing, re-runs itself
# through scripts/with-test-db.sh (pg_virtualenv, the owner and application roles, a database),
# migrates it, runs the Rust tests (real sockets, real SQL, no mocks), then fuzzes the served
# OpenAPI document with Schemathesis.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"

if [ -z "${TRADEBOOK_TEST_DATABASE_URL:-}" ]; then
  missing=()
  for p in postgresql python3-venv curl keyutils; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    sudo_cmd=""
    if [ "$(id -u)" != 0 ]; then sudo_cmd="sudo"; fi
    echo "== apt: installing ${missing[*]}"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  exec "$root/scripts/with-test-db.sh" "$0" "$@"
fi

cd "$root"
target="${CARGO_TARGET_DIR:-$root/target}"
export TRADEBOOK_REQUIRE_DATABASE=1

echo "== build"
cargo build --quiet -p tradebook-server -p tradebook-cli -p tradebook-sync-client --bins --tests
# The kill -9 test drives the real CLI.
export TRADEBOOK_CLI="$target/debug/tradebook"
echo "== migrate (owner role), grant the app role"
"$target/debug/tradebook-server" migrate --database-url "$TRADEBOOK_TEST_DATABASE_URL" --app-role "$TRADEBOOK_TEST_APP_ROLE"

# TRADEBOOK_SERVER_TESTS narrows the run while developing (e.g. "-p tradebook-server --test sync_client").
echo "== cargo test ${TRADEBOOK_SERVER_TESTS:--p tradebook-server -p tradebook-sync -p tradebook-sync-client}"
# shellcheck disable=SC2086
cargo test --quiet ${TRADEBOOK_SERVER_TESTS:--p tradebook-server -p tradebook-sync -p tradebook-sync-client}

if [ "${TRADEBOOK_SKIP_SCHEMATHESIS:-}" = 1 ]; then exit 0; fi
"$root/scripts/schemathesis.sh" "$target/debug/tradebook-server"
