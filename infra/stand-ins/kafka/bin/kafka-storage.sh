#!/bin/bash
# kafka-storage.sh of the distribution: format a log directory.
exec "$(dirname "$0")/kafka-run-class.sh" kafka.tools.StorageTool "$@"
