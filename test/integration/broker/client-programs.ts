/**
 * Real Kafka clients as programs the broker tests run: the Java producer of kafka-clients 3.4.1 (the
 * one Spark 3.5.7 ships), Spark's own Kafka sink through PySpark, and kafka-python. Each resolves
 * with its exit code and output; the programs print one line per acknowledged record or the error.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { connectorJars, javaKafkaClientClasspath, pysparkEnv, pysparkPython } from '../../parity/pyspark-dist.js';
import { kafkaPythonInterpreter } from '../../services/python-clients.js';

const clientFile = (name: string) => fileURLToPath(new URL(`./clients/${name}`, import.meta.url));

/** Runs a client program to completion; resolves with its exit code and standard output. */
export function runClient(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** The Java producer of kafka-clients 3.4.1, as a single-file program. */
export function javaProducer(bootstrap: string, topic: string, count: number, props: Record<string, string> = {}) {
  return runClient('java', ['-cp', javaKafkaClientClasspath().join(':'), clientFile('IdempotentProducer.java'), bootstrap, topic, String(count), ...Object.entries(props).map(([k, v]) => `${k}=${v}`)]);
}

/** Spark 3.5.7's Kafka sink writing `count` rows, once per options set (one Spark session for all). */
export function sparkSink(bootstrap: string, topic: string, count: number, ...attempts: Record<string, string>[]) {
  const env = pysparkEnv();
  const sets = attempts.length > 0 ? attempts : [{}];
  return runClient(pysparkPython(), [clientFile('spark_kafka_sink.py'), connectorJars().join(','), bootstrap, topic, String(count), ...sets.map((o) => JSON.stringify(o))], env);
}

/** kafka-python's producer and consumer. */
export function kafkaPython(bootstrap: string, topic: string, count: number, config: Record<string, unknown> = {}) {
  return runClient(kafkaPythonInterpreter(), [clientFile('kafka_python_client.py'), bootstrap, topic, String(count), JSON.stringify(config)]);
}

