#!/usr/bin/env bash
# Shopflow without Docker: ./local-stack.sh up|down|status|demo|...; ./local-stack.sh --help lists every command.
# Builds what is missing (once), then runs the launcher in platform/local-stack.
set -euo pipefail
cd "$(dirname "$0")"
# JDK 25 (ADR 13): JAVA_HOME's, else the java on the PATH; ./mvnw takes the same.
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
version=$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
if [ "${version%%.*}" -lt 25 ] 2>/dev/null || [ -z "$version" ]; then
  echo "Shopflow needs JDK 25 (ADR 13); $java is ${version:-not a JDK}. Point JAVA_HOME at a JDK 25, e.g." >&2
  echo "  JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 ./local-stack.sh ${1:-up}" >&2
  exit 1
fi
launcher=platform/local-stack/target/local-stack.jar
apps=(services/order-service/target/quarkus-app/quarkus-run.jar platform/outbox-relay/target/quarkus-app/quarkus-run.jar)
needs_build=false
for f in "$launcher" "${apps[@]}"; do [ -f "$f" ] || needs_build=true; done
if [ "${1:-}" = "up" ] && { $needs_build || [ "${SHOPFLOW_REBUILD:-}" = "1" ]; }; then
  echo "Building Shopflow (first run; tests skipped; ./mvnw -B verify runs them)..."
  ./mvnw -B -q install -DskipTests
fi
# The launcher's libraries (Kafka clients, jose4j) log through SLF4J with no provider on its class
# path, so not at all; the verbosity keeps SLF4J from saying so on every command (`token` included).
exec "$java" -Xmx1g -Dshopflow.repository="$PWD" -Dslf4j.internal.verbosity=ERROR \
  -cp "$launcher:platform/local-stack/target/lib/*" io.shopflow.localstack.LocalStack "$@"
