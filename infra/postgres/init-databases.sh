#!/usr/bin/env bash
# One database per service and the roles that use it, with least privilege (issue 14).
#
# Run by the postgres image (/docker-entrypoint-initdb.d) once, on an empty data directory, as the
# superuser over the local socket. Passwords come from the environment (compose.yaml defines the
# development defaults); a missing one stops the initialisation.
#
# Per service database, e.g. orders:
#   - order_service owns it and runs the service's Flyway migrations (tables, outbox, publication
#     shopflow_outbox; a database owner may create publications);
#   - order_service_app is the service at runtime: rows of those tables, no DDL, no other database;
# and shopflow_relay, the outbox relay, logs in with REPLICATION (a pgoutput slot per database) and
# may only read, delete and mark published the rows of each database's outbox.
# What each role may do is not written here: /etc/shopflow/service-database-roles.sql
# (k8s/base/databases/service-database-roles.sql, which Kubernetes and the tests run too) and the
# outbox library's migration V0_6 (the relay's grant on outbox) say it.
set -eo pipefail

: "${ORDER_SERVICE_DB_PASSWORD:?ORDER_SERVICE_DB_PASSWORD is not set}"
: "${ORDER_SERVICE_APP_DB_PASSWORD:?ORDER_SERVICE_APP_DB_PASSWORD is not set}"
: "${INVENTORY_SERVICE_DB_PASSWORD:?INVENTORY_SERVICE_DB_PASSWORD is not set}"
: "${INVENTORY_SERVICE_APP_DB_PASSWORD:?INVENTORY_SERVICE_APP_DB_PASSWORD is not set}"
: "${PAYMENT_SERVICE_DB_PASSWORD:?PAYMENT_SERVICE_DB_PASSWORD is not set}"
: "${PAYMENT_SERVICE_APP_DB_PASSWORD:?PAYMENT_SERVICE_APP_DB_PASSWORD is not set}"
: "${NOTIFICATION_SERVICE_DB_PASSWORD:?NOTIFICATION_SERVICE_DB_PASSWORD is not set}"
: "${NOTIFICATION_SERVICE_APP_DB_PASSWORD:?NOTIFICATION_SERVICE_APP_DB_PASSWORD is not set}"
: "${SAGA_ORCHESTRATOR_DB_PASSWORD:?SAGA_ORCHESTRATOR_DB_PASSWORD is not set}"
: "${SAGA_ORCHESTRATOR_APP_DB_PASSWORD:?SAGA_ORCHESTRATOR_APP_DB_PASSWORD is not set}"
: "${RELAY_DB_PASSWORD:?RELAY_DB_PASSWORD is not set}"

ROLES_SQL=/etc/shopflow/service-database-roles.sql
[[ -r "$ROLES_SQL" ]] || { echo "init-databases: $ROLES_SQL is not mounted" >&2; exit 1; }

# Passwords travel as psql variables (:'password' quotes them); names are fixed identifiers.
sql() {
  local database="$1"
  shift
  psql -v ON_ERROR_STOP=1 --no-psqlrc --username "${POSTGRES_USER:-postgres}" --dbname "$database" "$@"
}

sql "${POSTGRES_DB:-postgres}" -v password="$RELAY_DB_PASSWORD" <<'SQL'
CREATE ROLE shopflow_relay LOGIN REPLICATION PASSWORD :'password';
SQL

# create_service_database <database> <owner role> <owner password> <runtime role password>
create_service_database() {
  local database="$1" owner="$2" password="$3" app_password="$4"

  sql "${POSTGRES_DB:-postgres}" -v password="$password" -v app_password="$app_password" <<SQL
CREATE ROLE ${owner} LOGIN PASSWORD :'password';
CREATE ROLE ${owner}_app LOGIN PASSWORD :'app_password';
CREATE DATABASE ${database} OWNER ${owner};
SQL

  sql "$database" --file "$ROLES_SQL"

  echo "init-databases: database ${database} (owner ${owner}, service ${owner}_app, relay shopflow_relay) ready"
}

create_service_database orders        order_service        "$ORDER_SERVICE_DB_PASSWORD"        "$ORDER_SERVICE_APP_DB_PASSWORD"
create_service_database inventory     inventory_service    "$INVENTORY_SERVICE_DB_PASSWORD"    "$INVENTORY_SERVICE_APP_DB_PASSWORD"
create_service_database payments      payment_service      "$PAYMENT_SERVICE_DB_PASSWORD"      "$PAYMENT_SERVICE_APP_DB_PASSWORD"
create_service_database notifications notification_service "$NOTIFICATION_SERVICE_DB_PASSWORD" "$NOTIFICATION_SERVICE_APP_DB_PASSWORD"
create_service_database sagas         saga_orchestrator    "$SAGA_ORCHESTRATOR_DB_PASSWORD"    "$SAGA_ORCHESTRATOR_APP_DB_PASSWORD"
