#!/usr/bin/env bash
# Tests the community tenant API (crates/server, crates/sync) against a real, throwaway
# PostgreSQL: re-runs itself under Debian's pg_virtualenv (installing postgresql when it is
# missing), creates a non-superuser owner role, the non-owner application role and the test
# database, migrates it, runs the Rust tests (real sockets, real SQL, no mocks), then fuzzes
# the served OpenAPI document with Schemathesis.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"

if [ -z "${PGHOST:-}" ]; then
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
  # The sync client tests keep sessions in the kernel keyring (keyutils): give them a
  # session keyring of their own.
  exec keyctl session - pg_virtualenv "$0" "$@"
fi

cd "$root"
target="${CARGO_TARGET_DIR:-$root/target}"
owner_pw="owner-$RANDOM$RANDOM"
app_pw="app-$RANDOM$RANDOM"
psql -q -v ON_ERROR_STOP=1 -d postgres <<SQL
CREATE ROLE tradebook_owner LOGIN PASSWORD '$owner_pw';
CREATE ROLE tradebook_app LOGIN PASSWORD '$app_pw';
CREATE DATABASE tradebook_test OWNER tradebook_owner;
SQL
conn="host=$PGHOST port=${PGPORT:-5432} dbname=tradebook_test"
export TRADEBOOK_TEST_DATABASE_URL="$conn user=tradebook_owner password=$owner_pw"
export TRADEBOOK_TEST_APP_DATABASE_URL="$conn user=tradebook_app password=$app_pw"
export TRADEBOOK_TEST_APP_ROLE=tradebook_app
export TRADEBOOK_REQUIRE_DATABASE=1

echo "== build"
cargo build --quiet -p tradebook-server -p tradebook-cli -p tradebook-sync-client --bins --tests
# The kill -9 test drives the real CLI.
export TRADEBOOK_CLI="$target/debug/tradebook"
echo "== migrate (owner role), grant the app role"
"$target/debug/tradebook-server" migrate --database-url "$TRADEBOOK_TEST_DATABASE_URL" --app-role tradebook_app

# TRADEBOOK_SERVER_TESTS narrows the run while developing (e.g. "-p tradebook-server --test sync_client").
echo "== cargo test ${TRADEBOOK_SERVER_TESTS:--p tradebook-server -p tradebook-sync -p tradebook-sync-client}"
# shellcheck disable=SC2086
cargo test --quiet ${TRADEBOOK_SERVER_TESTS:--p tradebook-server -p tradebook-sync -p tradebook-sync-client}

if [ "${TRADEBOOK_SKIP_SCHEMATHESIS:-}" = 1 ]; then exit 0; fi
"$root/scripts/schemathesis.sh" "$target/debug/tradebook-server"
