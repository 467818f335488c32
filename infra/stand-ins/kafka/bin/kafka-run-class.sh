#!/bin/bash
# kafka-run-class.sh of the distribution, reduced to what the stand-in image needs: the class on
# the classpath of /opt/kafka/libs, the tools' logging unless KAFKA_LOG4J_OPTS says otherwise.
set -euo pipefail
base_dir=/opt/kafka
log4j_opts="${KAFKA_LOG4J_OPTS:--Dlog4j2.configurationFile=$base_dir/config/tools-log4j2.yaml}"
# shellcheck disable=SC2086 # the *_OPTS variables are option lists
exec java ${KAFKA_HEAP_OPTS:--Xmx256M} \
  ${KAFKA_JVM_PERFORMANCE_OPTS:--XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true} \
  $log4j_opts ${KAFKA_OPTS:-} -cp "$base_dir/libs/*" "$@"
