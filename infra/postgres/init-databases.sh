#!/usr/bin/env bash
# One database per service, owned by that service's role, plus the outbox relay's role.
#
# Run by the postgres image (/docker-entrypoint-initdb.d) once, on an empty data directory, as the
# superuser over the local socket. Passwords come from the environment (compose.yaml defines the
# development defaults); a missing one stops the initialisation.
#
# Each service's Flyway migrations, run as the owner, create its tables, the outbox and the
# publication shopflow_outbox (a database owner may create publications). The relay:
#   - logs in with REPLICATION: it reads a logical replication slot (pgoutput) per database;
#   - may CONNECT to the five databases (no other role but the owner may: CONNECT is revoked
#     from PUBLIC, so a service cannot reach another service's database);
#   - gets, through default privileges, SELECT (start-up scan, polling, lag), UPDATE (polling's
#     on-ack=mark) and DELETE (published rows) on every table the owner creates later.
set -eo pipefail

: "${ORDER_SERVICE_DB_PASSWORD:?ORDER_SERVICE_DB_PASSWORD is not set}"
: "${INVENTORY_SERVICE_DB_PASSWORD:?INVENTORY_SERVICE_DB_PASSWORD is not set}"
: "${PAYMENT_SERVICE_DB_PASSWORD:?PAYMENT_SERVICE_DB_PASSWORD is not set}"
: "${NOTIFICATION_SERVICE_DB_PASSWORD:?NOTIFICATION_SERVICE_DB_PASSWORD is not set}"
: "${SAGA_ORCHESTRATOR_DB_PASSWORD:?SAGA_ORCHESTRATOR_DB_PASSWORD is not set}"
: "${RELAY_DB_PASSWORD:?RELAY_DB_PASSWORD is not set}"

# Passwords travel as psql variables (:'password' quotes them); names are fixed identifiers.
sql() {
  local database="$1"
  shift
  psql -v ON_ERROR_STOP=1 --no-psqlrc --username "${POSTGRES_USER:-postgres}" --dbname "$database" "$@"
}

sql "${POSTGRES_DB:-postgres}" -v password="$RELAY_DB_PASSWORD" <<'SQL'
CREATE ROLE relay LOGIN REPLICATION PASSWORD :'password';
SQL

# create_service_database <database> <owner role> <owner password>
create_service_database() {
  local database="$1" owner="$2" password="$3"

  sql "${POSTGRES_DB:-postgres}" -v password="$password" <<SQL
CREATE ROLE ${owner} LOGIN PASSWORD :'password';
CREATE DATABASE ${database} OWNER ${owner};
REVOKE ALL ON DATABASE ${database} FROM PUBLIC;
GRANT CONNECT ON DATABASE ${database} TO relay;
SQL

  sql "$database" <<SQL
GRANT USAGE ON SCHEMA public TO relay;
ALTER DEFAULT PRIVILEGES FOR ROLE ${owner} IN SCHEMA public GRANT SELECT, UPDATE, DELETE ON TABLES TO relay;
SQL

  echo "init-databases: database ${database} (owner ${owner}) ready for the relay"
}

create_service_database orders        order_service        "$ORDER_SERVICE_DB_PASSWORD"
create_service_database inventory     inventory_service    "$INVENTORY_SERVICE_DB_PASSWORD"
create_service_database payments      payment_service      "$PAYMENT_SERVICE_DB_PASSWORD"
create_service_database notifications notification_service "$NOTIFICATION_SERVICE_DB_PASSWORD"
create_service_database sagas         saga_orchestrator    "$SAGA_ORCHESTRATOR_DB_PASSWORD"
