#!/bin/bash
# The official script's class lives in kafka-tools, which the broker's jars do not include; describing
# the cluster's broker configuration asks the broker the same way (exit 0 only when it answers).
bootstrap=
while [[ $# -gt 0 ]]; do
  case "$1" in --bootstrap-server) bootstrap=$2; shift 2 ;; *) shift ;; esac
done
exec /opt/kafka/bin/kafka-run-class.sh kafka.admin.ConfigCommand --bootstrap-server "$bootstrap" \
  --describe --entity-type brokers --entity-default
