#!/usr/bin/env bash
# Runs CMD beside a throwaway PostgreSQL: re-runs itself under Debian's pg_virtualenv (in a
# kernel session keyring of its own, where the app and the CLI keep their sessions), creates
# a non-superuser owner role, the non-owner application role the server connects as, and a
# database, and exports TRADEBOOK_TEST_DATABASE_URL (owner), TRADEBOOK_TEST_APP_DATABASE_URL
# (application role) and TRADEBOOK_TEST_APP_ROLE. Used by test-server.sh, the window tests of
# the community pages and the server benchmarks.
#   scripts/with-test-db.sh CMD [ARGS...]
set -euo pipefail
if [ -z "${PGHOST:-}" ]; then
  for tool in pg_virtualenv keyctl; do
    command -v "$tool" >/dev/null || { echo "error: $tool is missing (apt-get install postgresql keyutils)" >&2; exit 1; }
  done
  exec keyctl session - pg_virtualenv "$0" "$@"
fi
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
"$@"
