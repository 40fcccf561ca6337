#!/bin/bash
# Writes server.properties from KAFKA_* variables (KAFKA_LOG_DIRS → log.dirs; `___` → `-`, `__` → `_`,
# `_` → `.`), formats the log directory on first start, then runs the broker in the foreground.
set -euo pipefail
conf=/opt/kafka/config/server.properties
: > "$conf"
for name in $(compgen -e); do
  case "$name" in
    KAFKA_HEAP_OPTS | KAFKA_OPTS | KAFKA_JVM_PERFORMANCE_OPTS | KAFKA_LOG4J_OPTS | KAFKA_JMX_OPTS | KAFKA_VERSION) continue ;;
    KAFKA_*) ;;
    *) continue ;;
  esac
  key=${name#KAFKA_}
  key=${key,,}
  key=${key//___/-}
  key=${key//__/@}
  key=${key//_/.}
  key=${key//@/_}
  printf '%s=%s\n' "$key" "${!name}" >> "$conf"
done
grep -q '^log.dirs=' "$conf" || echo 'log.dirs=/var/lib/kafka/data' >> "$conf"
log_dir=$(sed -n 's/^log.dirs=//p' "$conf" | cut -d, -f1)
if [[ ! -f "$log_dir/meta.properties" ]]; then
  /opt/kafka/bin/kafka-run-class.sh kafka.tools.StorageTool format --ignore-formatted \
    -t "${CLUSTER_ID:-5L6g3nShT-eMCtK--X86sw}" -c "$conf"
fi
exec /opt/kafka/bin/kafka-run-class.sh ${KAFKA_HEAP_OPTS:--Xms256m -Xmx1g} kafka.Kafka "$conf"
