#!/usr/bin/env bash
# Runs CMD with a throwaway PostgreSQL for the window tests of the community pages: re-runs
# itself under Debian's pg_virtualenv (in a kernel session keyring of its own, where the
# app keeps its session), creates the owner and application roles and a database, and
# exports TRADEBOOK_E2E_DATABASE_URL (owner) and TRADEBOOK_E2E_APP_DATABASE_URL (app role).
#   scripts/with-test-db.sh CMD [ARGS...]
set -euo pipefail
if [ -z "${PGHOST:-}" ]; then
  exec keyctl session - pg_virtualenv "$0" "$@"
fi
owner_pw="owner-$RANDOM$RANDOM"
app_pw="app-$RANDOM$RANDOM"
psql -q -v ON_ERROR_STOP=1 -d postgres <<SQL
CREATE ROLE e2e_owner LOGIN PASSWORD '$owner_pw';
CREATE ROLE e2e_app LOGIN PASSWORD '$app_pw';
CREATE DATABASE tradebook_e2e OWNER e2e_owner;
SQL
conn="host=$PGHOST port=${PGPORT:-5432} dbname=tradebook_e2e"
export TRADEBOOK_E2E_DATABASE_URL="$conn user=e2e_owner password=$owner_pw"
export TRADEBOOK_E2E_APP_DATABASE_URL="$conn user=e2e_app password=$app_pw"
export TRADEBOOK_E2E_APP_ROLE=e2e_app
"$@"
