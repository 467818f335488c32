#!/usr/bin/env bash
# Creates Shopflow's topics; the broker runs with auto.create.topics.enable=false.
#
# Run once per `docker compose up` by the one-shot kafka-init service (the apache/kafka image);
# every service waits for it to complete successfully. Safe to run again: topics are created
# with --if-not-exists, and existing ones are left as they are (partitions are never added
# behind the producers' backs: that would move keys, and so orders, to other partitions).
# Exits non-zero when a topic could not be created.
#
#   BOOTSTRAP_SERVERS                   default kafka:9092
#   SHOPFLOW_TOPIC_PARTITIONS           default 6 (compose.load.yaml: 12)
#   SHOPFLOW_TOPIC_REPLICATION_FACTOR   default 1 (a single broker)
set -euo pipefail

bootstrap="${BOOTSTRAP_SERVERS:-kafka:9092}"
partitions="${SHOPFLOW_TOPIC_PARTITIONS:-6}"
replication="${SHOPFLOW_TOPIC_REPLICATION_FACTOR:-1}"
kafka_bin=/opt/kafka/bin

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
  if "$kafka_bin/kafka-broker-api-versions.sh" --bootstrap-server "$bootstrap" >/dev/null 2>&1; then
    break
  fi
  if [ "$attempt" -eq 30 ]; then
    echo "create-topics: no broker at $bootstrap" >&2
    exit 1
  fi
  sleep 2
done

existing="$("$kafka_bin/kafka-topics.sh" --bootstrap-server "$bootstrap" --list)"
expected=()

# create_topic <name> <retention.ms>
create_topic() {
  local topic="$1" retention_ms="$2"
  expected+=("$topic")
  if grep -qxF -- "$topic" <<<"$existing"; then
    echo "create-topics: $topic exists"
    return
  fi
  "$kafka_bin/kafka-topics.sh" --bootstrap-server "$bootstrap" --create --if-not-exists \
    --topic "$topic" --partitions "$partitions" --replication-factor "$replication" \
    --config "retention.ms=$retention_ms" \
    --config cleanup.policy=delete
  echo "create-topics: $topic created ($partitions partitions, retention.ms=$retention_ms)"
}

for topic in "${message_topics[@]}" "${retry_topics[@]}"; do
  create_topic "$topic" "$seven_days_ms"
done
# Dead letters wait for an operator (list and replay through /ops/dead-letters): kept longer.
for topic in "${dead_letter_topics[@]}"; do
  create_topic "$topic" "$thirty_days_ms"
done

# Every expected topic must now be there.
existing="$("$kafka_bin/kafka-topics.sh" --bootstrap-server "$bootstrap" --list)"
missing=0
for topic in "${expected[@]}"; do
  if ! grep -qxF -- "$topic" <<<"$existing"; then
    echo "create-topics: $topic is missing" >&2
    missing=1
  fi
done
if [ "$missing" -ne 0 ]; then
  exit 1
fi
echo "create-topics: all ${#expected[@]} topics present"
