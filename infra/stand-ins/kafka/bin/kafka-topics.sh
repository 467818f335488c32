#!/bin/bash
# kafka-topics.sh of the distribution: topics: create, list, describe.
exec "$(dirname "$0")/kafka-run-class.sh" org.apache.kafka.tools.TopicCommand "$@"
