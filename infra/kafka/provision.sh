#!/usr/bin/env bash
# Provisions Kafka for Shopflow (ADR 14): every topic (the broker runs with
# auto.create.topics.enable=false), a SCRAM-SHA-512 user per principal, and the ACLs of
# acls.txt (next to this script). It logs in as the super user admin (SASL PLAIN).
#
# Run once per `docker compose up` by the one-shot kafka-init service (the apache/kafka image);
# every service waits for it to complete successfully. Safe to run again: topics are created
# with --if-not-exists, and existing ones are left as they are (partitions are never added
# behind the producers' backs: that would move keys, and so orders, to other partitions);
# passwords are set again, ACLs added where missing (one that acls.txt no longer lists stays:
# remove it with kafka-acls.sh --remove). Exits non-zero when anything could not be done.
#
#   BOOTSTRAP_SERVERS                   default kafka:9092
#   ADMIN_PASSWORD                      the super user admin's password (required)
#   <PRINCIPAL>_KAFKA_PASSWORD          each principal's password, e.g. ORDER_SERVICE_KAFKA_PASSWORD,
#                                       OUTBOX_RELAY_KAFKA_PASSWORD (required, one per principal of acls.txt)
#   SHOPFLOW_TOPIC_PARTITIONS           default 6 (compose.load.yaml: 12)
#   SHOPFLOW_TOPIC_REPLICATION_FACTOR   default 1 (a single broker)
set -euo pipefail

bootstrap="${BOOTSTRAP_SERVERS:-kafka:9092}"
partitions="${SHOPFLOW_TOPIC_PARTITIONS:-6}"
replication="${SHOPFLOW_TOPIC_REPLICATION_FACTOR:-1}"
kafka_bin=/opt/kafka/bin
acls_file="$(dirname "$0")/acls.txt"
# Each tool is a JVM of its own: small heaps.
export KAFKA_HEAP_OPTS=-Xmx128m

admin_config="$(mktemp)"
trap 'rm -f "$admin_config"' EXIT
cat > "$admin_config" <<EOF
security.protocol=SASL_PLAINTEXT
sasl.mechanism=PLAIN
sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="${ADMIN_PASSWORD:?ADMIN_PASSWORD is required}";
EOF

seven_days_ms=604800000
thirty_days_ms=2592000000

# Commands and events: owned by one service each (contracts: io.shopflow.contracts.Topics).
message_topics=(
  shopflow.order.events.v1
  shopflow.order.commands.v1
  shopflow.inventory.events.v1
  shopflow.inventory.commands.v1
  shopflow.payment.events.v1
  shopflow.payment.commands.v1
  shopflow.notification.events.v1
  shopflow.saga.events.v1
)
# Each consumer group's delayed-retry and dead-letter topics, shopflow.<group>.retry and
# shopflow.<group>.dlq (platform/messaging: ConsumerSettings; the groups are the services' names).
retry_topics=(
  shopflow.order-service.retry
  shopflow.inventory-service.retry
  shopflow.payment-service.retry
  shopflow.notification-service.retry
  shopflow.saga-orchestrator.retry
)
dead_letter_topics=(
  shopflow.order-service.dlq
  shopflow.inventory-service.dlq
  shopflow.payment-service.dlq
  shopflow.notification-service.dlq
  shopflow.saga-orchestrator.dlq
)

# The broker is healthy before this runs (compose depends_on); wait anyway when run by hand.
for attempt in $(seq 1 30); do
  if "$kafka_bin/kafka-broker-api-versions.sh" --bootstrap-server "$bootstrap" --command-config "$admin_config" >/dev/null 2>&1; then
    break
  fi
  if [ "$attempt" -eq 30 ]; then
    echo "provision: no broker at $bootstrap" >&2
    exit 1
  fi
  sleep 2
done

existing="$("$kafka_bin/kafka-topics.sh" --bootstrap-server "$bootstrap" --command-config "$admin_config" --list)"
expected=()

# create_topic <name> <retention.ms>
create_topic() {
  local topic="$1" retention_ms="$2"
  expected+=("$topic")
  if grep -qxF -- "$topic" <<<"$existing"; then
    echo "provision: $topic exists"
    return
  fi
  "$kafka_bin/kafka-topics.sh" --bootstrap-server "$bootstrap" --command-config "$admin_config" --create --if-not-exists \
    --topic "$topic" --partitions "$partitions" --replication-factor "$replication" \
    --config "retention.ms=$retention_ms" \
    --config cleanup.policy=delete
  echo "provision: $topic created ($partitions partitions, retention.ms=$retention_ms)"
}

for topic in "${message_topics[@]}" "${retry_topics[@]}"; do
  create_topic "$topic" "$seven_days_ms"
done
# Dead letters wait for an operator (list and replay through /ops/dead-letters): kept longer.
for topic in "${dead_letter_topics[@]}"; do
  create_topic "$topic" "$thirty_days_ms"
done

# Every expected topic must now be there.
existing="$("$kafka_bin/kafka-topics.sh" --bootstrap-server "$bootstrap" --command-config "$admin_config" --list)"
missing=0
for topic in "${expected[@]}"; do
  if ! grep -qxF -- "$topic" <<<"$existing"; then
    echo "provision: $topic is missing" >&2
    missing=1
  fi
done
if [ "$missing" -ne 0 ]; then
  exit 1
fi
echo "provision: all ${#expected[@]} topics present"

# A SCRAM-SHA-512 user per principal, its password from <PRINCIPAL>_KAFKA_PASSWORD.
principals="$(grep -v '^#' "$acls_file" | awk 'NF { print $1 }' | sort -u)"
for principal in $principals; do
  variable="$(tr 'a-z-' 'A-Z_' <<<"$principal")_KAFKA_PASSWORD"
  password="${!variable:-}"
  if [ -z "$password" ]; then
    echo "provision: $variable is not set: no password for the principal $principal" >&2
    exit 1
  fi
  "$kafka_bin/kafka-configs.sh" --bootstrap-server "$bootstrap" --command-config "$admin_config" --alter \
    --entity-type users --entity-name "$principal" \
    --add-config "SCRAM-SHA-512=[iterations=4096,password=$password]" >/dev/null
  echo "provision: user $principal (SCRAM-SHA-512)"
done

# The ACLs: one kafka-acls.sh per principal and operation, for all its topics and groups at once.
grep -v '^#' "$acls_file" | awk 'NF { print $1, $2 }' | sort -u | while read -r principal operation; do
  resources=()
  while read -r type name; do
    resources+=("--$type" "$name")
  done < <(grep -v '^#' "$acls_file" | awk -v p="$principal" -v o="$operation" '$1 == p && $2 == o { print $3, $4 }')
  "$kafka_bin/kafka-acls.sh" --bootstrap-server "$bootstrap" --command-config "$admin_config" --add \
    --allow-principal "User:$principal" --operation "$operation" "${resources[@]}" >/dev/null
  echo "provision: $principal may $operation ${resources[*]}"
done
echo "provision: $(grep -v '^#' "$acls_file" | awk 'NF' | wc -l) ACLs present"
