#!/usr/bin/env bash
# Run once by the postgres image on an empty data directory: the broker's database with two roles of its own —
# the owner (Flyway migrations) and the runtime role the broker works as (no DDL, no UPDATE/DELETE on the audit
# trail; the grants are in the migrations). The superuser stays out of the broker's hands.
set -euo pipefail
: "${RB_OWNER_PASSWORD:?}" "${RB_RUNTIME_PASSWORD:?}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v owner_pw="$RB_OWNER_PASSWORD" -v runtime_pw="$RB_RUNTIME_PASSWORD" <<'SQL'
CREATE ROLE record_broker_owner LOGIN PASSWORD :'owner_pw';
CREATE ROLE record_broker_app LOGIN PASSWORD :'runtime_pw';
CREATE DATABASE record_broker OWNER record_broker_owner;
REVOKE ALL ON DATABASE record_broker FROM PUBLIC;
GRANT CONNECT ON DATABASE record_broker TO record_broker_app;
SQL
