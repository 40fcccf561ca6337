#!/bin/bash
# java with the broker's classpath and log configuration; the remaining arguments name the class.
exec java -Djava.awt.headless=true -Dlog4j2.configurationFile=/opt/kafka/config/log4j2.properties \
  ${KAFKA_OPTS:-} -cp '/opt/kafka/libs/*' "$@"
