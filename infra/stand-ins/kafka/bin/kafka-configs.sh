#!/bin/bash
# kafka-configs.sh of the distribution: configuration of brokers, topics, users (SCRAM credentials).
exec "$(dirname "$0")/kafka-run-class.sh" kafka.admin.ConfigCommand "$@"
