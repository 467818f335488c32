#!/bin/bash
# kafka-acls.sh of the distribution: ACLs.
exec "$(dirname "$0")/kafka-run-class.sh" org.apache.kafka.tools.AclCommand "$@"
