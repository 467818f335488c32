# One Dockerfile, one target per application. Every target shares the `build` stage, so a
# `docker compose build` compiles the reactor once and each image only copies its own output:
#
#   docker build --target order-service -t shopflow/order-service:dev .
#
# Targets: order-service, inventory-service, payment-service, notification-service,
# saga-orchestrator, outbox-relay (Quarkus aot-jars, each with its JDK AOT cache) and
# payment-provider-simulator (plain jar). JDK 25 throughout (ADR 13). BuildKit (RUN --mount,
# COPY --chmod) with the engine's own Dockerfile frontend: no "# syntax=" line, so that nothing
# but the base images is fetched to build (infra/compose.sh builds where nothing can be pulled).

# ---------------------------------------------------------------------------------------------
# build: the Maven reactor, tests skipped (./mvnw -B verify runs them, in CI).
# ---------------------------------------------------------------------------------------------
FROM eclipse-temurin:25-jdk AS build
WORKDIR /workspace

# The wrapper and every pom of the root pom's <modules> first: this layer and the dependency
# layer below stay cached until a pom changes. Maven reads every module's pom, even those the
# package step below leaves out (platform/local-stack, deployment-tests, load-tests).
COPY --chmod=0755 mvnw ./
COPY .mvn/ .mvn/
COPY pom.xml ./
COPY contracts/pom.xml contracts/
COPY platform/testing/pom.xml platform/testing/
COPY platform/outbox/pom.xml platform/outbox/
COPY platform/messaging/pom.xml platform/messaging/
COPY platform/web/pom.xml platform/web/
COPY platform/relay-core/pom.xml platform/relay-core/
COPY platform/outbox-relay/pom.xml platform/outbox-relay/
COPY platform/payment-provider-simulator/pom.xml platform/payment-provider-simulator/
COPY services/order-service/pom.xml services/order-service/
COPY services/inventory-service/pom.xml services/inventory-service/
COPY services/payment-service/pom.xml services/payment-service/
COPY services/notification-service/pom.xml services/notification-service/
COPY services/saga-orchestrator/pom.xml services/saga-orchestrator/
COPY platform/local-stack/pom.xml platform/local-stack/
COPY deployment-tests/pom.xml deployment-tests/
COPY load-tests/pom.xml load-tests/

# Dependencies and plugins, from the poms alone, for the modules the package step builds (not
# the launcher's or the deployment tests' own). go-offline skips the reactor's own modules
# (excludeReactor, the default), which are not built yet; it cannot see what plugins resolve
# while they run (the Quarkus build's deployment artifacts), so it only warms the cache: the
# package step fetches whatever is still missing, and a failure here must not stop the build.
RUN --mount=type=cache,target=/root/.m2,sharing=locked \
    ./mvnw -B -ntp -pl '!platform/local-stack,!deployment-tests,!load-tests' dependency:go-offline \
    || echo "Dependency prefetch incomplete; the package step resolves the rest."

# Sources of the modules the applications are built from. platform/web packages the development
# JWT public key from infra/dev-keys (its one copy) as shopflow/dev-keys/jwt-public.pem.
COPY contracts/src contracts/src
COPY platform/testing/src platform/testing/src
COPY platform/outbox/src platform/outbox/src
COPY platform/messaging/src platform/messaging/src
COPY platform/web/src platform/web/src
COPY platform/relay-core/src platform/relay-core/src
COPY platform/outbox-relay/src platform/outbox-relay/src
COPY platform/payment-provider-simulator/src platform/payment-provider-simulator/src
COPY services/order-service/src services/order-service/src
COPY services/inventory-service/src services/inventory-service/src
COPY services/payment-service/src services/payment-service/src
COPY services/notification-service/src services/notification-service/src
COPY services/saga-orchestrator/src services/saga-orchestrator/src
COPY infra/dev-keys/jwt-public.pem infra/dev-keys/jwt-public.pem

# All applications in one reactor run; -am adds the libraries they need (and platform/testing,
# a test-scoped dependency whose jar the test classpath still resolves). The contracts'
# schema-compatibility check is a test (SchemaEvolutionTest): it runs in CI, not here.
RUN --mount=type=cache,target=/root/.m2,sharing=locked \
    ./mvnw -B -ntp -DskipTests package \
      -pl services/order-service,services/inventory-service,services/payment-service,services/notification-service,services/saga-orchestrator,platform/outbox-relay,platform/payment-provider-simulator \
      -am

# ---------------------------------------------------------------------------------------------
# runtime: the JRE, curl for the compose health checks, a non-root user.
# ---------------------------------------------------------------------------------------------
FROM eclipse-temurin:25-jre AS runtime
# Temurin's Ubuntu images have shipped curl so far; install it only where a base lacks it.
# uid 185 in group 0: the usual Java-image user, also fine for platforms that pick an arbitrary
# uid in group 0 (the group owns /deployments).
RUN set -eux; \
    if ! command -v curl >/dev/null 2>&1; then \
      apt-get update; \
      apt-get install -y --no-install-recommends curl; \
      rm -rf /var/lib/apt/lists/*; \
    fi; \
    useradd --uid 185 --gid 0 --home-dir /deployments --no-create-home --shell /usr/sbin/nologin shopflow; \
    mkdir -p /deployments; \
    chown 185:0 /deployments; \
    chmod 0775 /deployments
WORKDIR /deployments
# Extra JVM options per container (compose: the relay's -XX:+UseZGC). The heap is sized from the
# container's memory limit (-XX:MaxRAMPercentage in each ENTRYPOINT).
ENV JAVA_OPTS_APPEND=""

# ---------------------------------------------------------------------------------------------
# Quarkus applications (aot-jar): dependencies first, they change least. Each image builds its
# JDK AOT cache with its own JVM (a cache only fits the JVM that wrote it) from a start without
# the infrastructure: the application gets as far as its first connection (Flyway's, at start),
# which fails it, or is stopped after 60 s, and the JVM writes the cache at exit; the step fails
# only when no cache was written (ADR 13; the local stack trains fuller caches, with orders).
# Quarkus 3.34 no longer stops after static initialisation for -Dquarkus.appcds.generate: it runs
# the start actions, so a training run that needed the start to succeed failed every image build.
# The ENTRYPOINT uses the cache with the options it was built with; a JVM that cannot use it
# starts without it.
# ---------------------------------------------------------------------------------------------
FROM runtime AS order-service
COPY --from=build /workspace/services/order-service/target/quarkus-app/lib/ /deployments/lib/
COPY --from=build /workspace/services/order-service/target/quarkus-app/app/ /deployments/app/
COPY --from=build /workspace/services/order-service/target/quarkus-app/quarkus/ /deployments/quarkus/
COPY --from=build /workspace/services/order-service/target/quarkus-app/quarkus-run.jar /deployments/quarkus-run.jar
RUN timeout 60 java -XX:+UseCompactObjectHeaders -XX:AOTCacheOutput=/deployments/app.aot -jar /deployments/quarkus-run.jar \
      || test -s /deployments/app.aot
EXPOSE 8080
USER 185
ENTRYPOINT ["sh", "-c", "exec java -XX:AOTCache=/deployments/app.aot -XX:+UseCompactObjectHeaders -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -Djava.util.logging.manager=org.jboss.logmanager.LogManager $JAVA_OPTS_APPEND -jar /deployments/quarkus-run.jar"]

FROM runtime AS inventory-service
COPY --from=build /workspace/services/inventory-service/target/quarkus-app/lib/ /deployments/lib/
COPY --from=build /workspace/services/inventory-service/target/quarkus-app/app/ /deployments/app/
COPY --from=build /workspace/services/inventory-service/target/quarkus-app/quarkus/ /deployments/quarkus/
COPY --from=build /workspace/services/inventory-service/target/quarkus-app/quarkus-run.jar /deployments/quarkus-run.jar
RUN timeout 60 java -XX:+UseCompactObjectHeaders -XX:AOTCacheOutput=/deployments/app.aot -jar /deployments/quarkus-run.jar \
      || test -s /deployments/app.aot
EXPOSE 8081
USER 185
ENTRYPOINT ["sh", "-c", "exec java -XX:AOTCache=/deployments/app.aot -XX:+UseCompactObjectHeaders -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -Djava.util.logging.manager=org.jboss.logmanager.LogManager $JAVA_OPTS_APPEND -jar /deployments/quarkus-run.jar"]

FROM runtime AS payment-service
COPY --from=build /workspace/services/payment-service/target/quarkus-app/lib/ /deployments/lib/
COPY --from=build /workspace/services/payment-service/target/quarkus-app/app/ /deployments/app/
COPY --from=build /workspace/services/payment-service/target/quarkus-app/quarkus/ /deployments/quarkus/
COPY --from=build /workspace/services/payment-service/target/quarkus-app/quarkus-run.jar /deployments/quarkus-run.jar
RUN timeout 60 java -XX:+UseCompactObjectHeaders -XX:AOTCacheOutput=/deployments/app.aot -jar /deployments/quarkus-run.jar \
      || test -s /deployments/app.aot
EXPOSE 8082
USER 185
ENTRYPOINT ["sh", "-c", "exec java -XX:AOTCache=/deployments/app.aot -XX:+UseCompactObjectHeaders -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -Djava.util.logging.manager=org.jboss.logmanager.LogManager $JAVA_OPTS_APPEND -jar /deployments/quarkus-run.jar"]

FROM runtime AS notification-service
COPY --from=build /workspace/services/notification-service/target/quarkus-app/lib/ /deployments/lib/
COPY --from=build /workspace/services/notification-service/target/quarkus-app/app/ /deployments/app/
COPY --from=build /workspace/services/notification-service/target/quarkus-app/quarkus/ /deployments/quarkus/
COPY --from=build /workspace/services/notification-service/target/quarkus-app/quarkus-run.jar /deployments/quarkus-run.jar
RUN timeout 60 java -XX:+UseCompactObjectHeaders -XX:AOTCacheOutput=/deployments/app.aot -jar /deployments/quarkus-run.jar \
      || test -s /deployments/app.aot
EXPOSE 8083
USER 185
ENTRYPOINT ["sh", "-c", "exec java -XX:AOTCache=/deployments/app.aot -XX:+UseCompactObjectHeaders -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -Djava.util.logging.manager=org.jboss.logmanager.LogManager $JAVA_OPTS_APPEND -jar /deployments/quarkus-run.jar"]

FROM runtime AS saga-orchestrator
COPY --from=build /workspace/services/saga-orchestrator/target/quarkus-app/lib/ /deployments/lib/
COPY --from=build /workspace/services/saga-orchestrator/target/quarkus-app/app/ /deployments/app/
COPY --from=build /workspace/services/saga-orchestrator/target/quarkus-app/quarkus/ /deployments/quarkus/
COPY --from=build /workspace/services/saga-orchestrator/target/quarkus-app/quarkus-run.jar /deployments/quarkus-run.jar
RUN timeout 60 java -XX:+UseCompactObjectHeaders -XX:AOTCacheOutput=/deployments/app.aot -jar /deployments/quarkus-run.jar \
      || test -s /deployments/app.aot
EXPOSE 8084
USER 185
ENTRYPOINT ["sh", "-c", "exec java -XX:AOTCache=/deployments/app.aot -XX:+UseCompactObjectHeaders -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -Djava.util.logging.manager=org.jboss.logmanager.LogManager $JAVA_OPTS_APPEND -jar /deployments/quarkus-run.jar"]

FROM runtime AS outbox-relay
# No data directory and no volume: the relay keeps no state of its own; each source's replication
# slot holds its position (ADR 11).
COPY --from=build /workspace/platform/outbox-relay/target/quarkus-app/lib/ /deployments/lib/
COPY --from=build /workspace/platform/outbox-relay/target/quarkus-app/app/ /deployments/app/
COPY --from=build /workspace/platform/outbox-relay/target/quarkus-app/quarkus/ /deployments/quarkus/
COPY --from=build /workspace/platform/outbox-relay/target/quarkus-app/quarkus-run.jar /deployments/quarkus-run.jar
RUN timeout 60 java -XX:+UseCompactObjectHeaders -XX:AOTCacheOutput=/deployments/app.aot -jar /deployments/quarkus-run.jar \
      || test -s /deployments/app.aot
EXPOSE 8089
USER 185
ENTRYPOINT ["sh", "-c", "exec java -XX:AOTCache=/deployments/app.aot -XX:+UseCompactObjectHeaders -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -Djava.util.logging.manager=org.jboss.logmanager.LogManager $JAVA_OPTS_APPEND -jar /deployments/quarkus-run.jar"]

# ---------------------------------------------------------------------------------------------
# The payment provider simulator: a self-contained jar (JDK HTTP server, no dependencies).
# ---------------------------------------------------------------------------------------------
FROM runtime AS payment-provider-simulator
COPY --from=build /workspace/platform/payment-provider-simulator/target/payment-provider-simulator-0.1.0-SNAPSHOT.jar /deployments/payment-provider-simulator.jar
ENV PROVIDER_PORT=8099
EXPOSE 8099
USER 185
ENTRYPOINT ["sh", "-c", "exec java -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError $JAVA_OPTS_APPEND -jar /deployments/payment-provider-simulator.jar"]
