#!/bin/bash
# kafka-broker-api-versions.sh of the distribution: the API versions a broker answers (a login check).
exec "$(dirname "$0")/kafka-run-class.sh" org.apache.kafka.tools.BrokerApiVersionsCommand "$@"
