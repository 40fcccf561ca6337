/**
 * SASL/SCRAM with real clients, against the embedded broker's SASL_PLAINTEXT listener and real
 * Apache Kafka configured for SCRAM, with the same client code and the same assertions: kafkajs,
 * kcat (`-X security.protocol=SASL_PLAINTEXT -X sasl.*`), the Java producer Spark ships, Spark's
 * own Kafka sink (`kafka.sasl.jaas.config` with ScramLoginModule) and kafka-python. Each client
 * writes and reads with the right password and fails with the broker's authentication error with
 * a wrong one — the message a Spark learner sees against a real Kafka.
 */
import { spawn, spawnSync } from 'node:child_process';
import { Kafka, logLevel, type SASLOptions } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pysparkProblem } from '../../parity/pyspark-dist.js';
import { freshTopic } from '../../services/inject.js';
import { kafkaPythonProblem } from '../../services/python-clients.js';
import { javaProducer, kafkaPython, sparkSink } from './client-programs.js';
import { SCRAM_TARGETS, SCRAM_USERS, type ScramTarget } from './scram-targets.js';

const USER = 'spark-consumer';
const PASSWORD = SCRAM_USERS[USER]!;
const SCRAM_FAILED = 'Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512';

/** The JAAS line of the tutorial's Spark job. */
const jaas = (password: string) => `org.apache.kafka.common.security.scram.ScramLoginModule required username="${USER}" password="${password}";`;

const kcatMissing = spawnSync('kcat', ['-V']).error !== undefined;

function kcat(args: string[], input = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  if (kcatMissing) throw new Error('kcat is not installed: run `apt-get install -y kcat` (CI installs it in .ci/run)');
  return new Promise((resolve) => {
    const child = spawn('kcat', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.end(input);
  });
}

const kcatSasl = (mechanism: string, password: string) => ['-X', 'security.protocol=SASL_PLAINTEXT', '-X', `sasl.mechanisms=${mechanism}`, '-X', `sasl.username=${USER}`, '-X', `sasl.password=${password}`];

describe.each(SCRAM_TARGETS)('SASL/SCRAM with real clients: $name', (target: ScramTarget) => {
  let plaintext: string;
  let sasl: string;
  let admin: ReturnType<Kafka['admin']>;

  beforeAll(async () => {
    for (const problem of [pysparkProblem(), kafkaPythonProblem()]) if (problem) throw new Error(problem);
    ({ plaintext, sasl } = await target.start());
    admin = new Kafka({ brokers: [plaintext], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
  }, 180_000);
  afterAll(async () => {
    await admin?.disconnect();
    await target.stop();
  });

  async function topic(): Promise<string> {
    const t = freshTopic('scram');
    await admin.createTopics({ topics: [{ topic: t, numPartitions: 1 }], waitForLeaders: true });
    return t;
  }

  async function kafkajsRoundTrip(t: string, options: SASLOptions): Promise<string[]> {
    // No retries for the producer, so a refused login fails at once; the consumer keeps kafkajs's
    // retries (a first group on real Kafka waits for its offsets topic).
    const producer = new Kafka({ brokers: [sasl], clientId: 'scram-test', logLevel: logLevel.NOTHING, sasl: options, retry: { retries: 0 } }).producer();
    const kafka = new Kafka({ brokers: [sasl], clientId: 'scram-test', logLevel: logLevel.NOTHING, sasl: options });
    await producer.connect();
    try {
      await producer.send({ topic: t, messages: [{ value: 'a' }, { value: 'b' }] });
    } finally {
      await producer.disconnect();
    }
    const consumer = kafka.consumer({ groupId: `${t}-g`, maxWaitTimeInMs: 100 });
    await consumer.connect();
    const seen: string[] = [];
    try {
      await consumer.subscribe({ topic: t, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        // A retriable crash (a fresh Kafka still loading its group coordinator) restarts the consumer.
        consumer.on(consumer.events.CRASH, (e) => (e.payload.restart ? undefined : reject(e.payload.error)));
        consumer.run({ eachMessage: async ({ message }) => {
          seen.push(String(message.value));
          if (seen.length === 2) resolve();
        } }).catch(reject);
      });
    } finally {
      await consumer.disconnect();
    }
    return seen;
  }

  it('kafkajs authenticates with SCRAM-SHA-512, SCRAM-SHA-256 and PLAIN, and gets the broker\'s error for a wrong password', async () => {
    for (const mechanism of ['scram-sha-512', 'scram-sha-256', 'plain'] as const) {
      expect(await kafkajsRoundTrip(await topic(), { mechanism, username: USER, password: PASSWORD } as SASLOptions)).toEqual(['a', 'b']);
    }
    const wrong = await kafkajsRoundTrip(await topic(), { mechanism: 'scram-sha-512', username: USER, password: 'not-it' }).catch((e: Error) => e.message);
    expect(wrong).toContain(SCRAM_FAILED);
  });

  it('kcat produces and consumes with -X sasl.* (PLAIN), reports a wrong password, and meets the same SCRAM refusal on both brokers', async () => {
    const t = await topic();
    const produced = await kcat(['-b', sasl, ...kcatSasl('PLAIN', PASSWORD), '-P', '-t', t], 'one\ntwo\n');
    expect(produced.code, produced.stderr).toBe(0);
    const consumed = await kcat(['-b', sasl, ...kcatSasl('PLAIN', PASSWORD), '-C', '-t', t, '-o', 'beginning', '-e', '-q']);
    expect(consumed.stdout).toBe('one\ntwo\n');
    const wrong = await kcat(['-b', sasl, ...kcatSasl('PLAIN', 'not-it'), '-L']);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain('SASL authentication error: Authentication failed: Invalid username or password');
    // librdkafka before 2.6.1 (Debian's kcat has 2.0.2) repeats the client nonce in its SCRAM final
    // message; Kafka 4 compares the nonce strictly (RFC 5802) and so does the embedded broker, so
    // even the right password is refused, with Kafka's message, on both.
    const scram = await kcat(['-b', sasl, ...kcatSasl('SCRAM-SHA-512', PASSWORD), '-L']);
    expect(scram.code).not.toBe(0);
    expect(scram.stderr).toContain(`SASL authentication error: ${SCRAM_FAILED}`);
  });

  it('the Java producer with a ScramLoginModule JAAS config writes, and fails with SaslAuthenticationException for a wrong password', async () => {
    const t = await topic();
    const props = (password: string) => ({ 'security.protocol': 'SASL_PLAINTEXT', 'sasl.mechanism': 'SCRAM-SHA-512', 'sasl.jaas.config': jaas(password) });
    const ok = await javaProducer(sasl, t, 2, props(PASSWORD));
    expect(ok.stdout.trim().split('\n'), ok.stderr.slice(-2000)).toEqual(['0:0', '0:1']);
    const refused = await javaProducer(sasl, t, 1, props('not-it'));
    expect(refused.stdout.trim()).toBe(`ERROR org.apache.kafka.common.errors.SaslAuthenticationException: ${SCRAM_FAILED}`);
  });

  it('Spark\'s Kafka sink with kafka.security.protocol, kafka.sasl.mechanism and kafka.sasl.jaas.config writes, and a wrong password fails the job as it does on Kafka', async () => {
    const t = await topic();
    const options = (password: string) => ({ 'kafka.security.protocol': 'SASL_PLAINTEXT', 'kafka.sasl.mechanism': 'SCRAM-SHA-512', 'kafka.sasl.jaas.config': jaas(password) });
    const run = await sparkSink(sasl, t, 3, options(PASSWORD), options('not-it'));
    expect(run.stdout.trim().split('\n'), run.stderr.slice(-3000)).toEqual(['OK 3', `ERROR org.apache.kafka.common.errors.SaslAuthenticationException: ${SCRAM_FAILED}`]);
  });

  it('kafka-python with security_protocol SASL_PLAINTEXT and SCRAM-SHA-512 writes and reads, and refuses a wrong password', async () => {
    const t = await topic();
    const config = (password: string) => ({ security_protocol: 'SASL_PLAINTEXT', sasl_mechanism: 'SCRAM-SHA-512', sasl_plain_username: USER, sasl_plain_password: password });
    const ok = await kafkaPython(sasl, t, 2, config(PASSWORD));
    expect(ok.stdout.trim().split('\n'), ok.stderr.slice(-2000)).toEqual(['0:0', '0:1', 'READ ["v0", "v1"]']);
    // kafka-python logs the broker's refusal and keeps trying until its bootstrap gives up: after 30 s
    // by default, here after 10 s, still time for several refused logins on this host (the first comes
    // within a connection's round trip, the next ones after a backoff that starts at 50 ms).
    const refused = await kafkaPython(sasl, t, 1, { ...config('not-it'), bootstrap_timeout_ms: 10_000 });
    expect(refused.code).toBe(3);
    expect(refused.stdout).toContain('KafkaTimeoutError');
    // On a loaded machine kafka-python 3.0.12 has logged, for every attempt, only that the broker closed
    // the connection, not the refusal it read before that (seen once in CI, at load ~30): either says the
    // login was refused, and the exit code above says nothing was written.
    expect(refused.stderr).toMatch(new RegExp(`SaslAuthenticationFailedError: ${SCRAM_FAILED.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}|Connection lost: KafkaConnectionError: socket disconnected`));
  });
});
