#!/usr/bin/env bash
# Shopflow without Docker: ./local-stack.sh up|down|status|demo
# Builds what is missing (once), then runs the launcher in platform/local-stack.
set -euo pipefail
cd "$(dirname "$0")"
launcher=platform/local-stack/target/local-stack-0.1.0-SNAPSHOT.jar
apps=(services/order-service/target/quarkus-app/quarkus-run.jar platform/outbox-relay/target/quarkus-app/quarkus-run.jar)
needs_build=false
for f in "$launcher" "${apps[@]}"; do [ -f "$f" ] || needs_build=true; done
if [ "${1:-}" = "up" ] && { $needs_build || [ "${SHOPFLOW_REBUILD:-}" = "1" ]; }; then
  echo "Building Shopflow (first run; tests skipped; ./mvnw -B verify runs them)..."
  ./mvnw -B -q install -DskipTests
fi
exec java -Xmx1g -Dshopflow.repository="$PWD" \
  -cp "$launcher:platform/local-stack/target/lib/*" io.shopflow.localstack.LocalStack "$@"
