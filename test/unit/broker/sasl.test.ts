/**
 * SASL on the embedded broker's SASL_PLAINTEXT listener, with kafkajs and raw frames: each mechanism
 * authenticates and then produces and consumes; a wrong password, an unknown user and a disabled
 * mechanism are refused with Kafka's errors; nothing but ApiVersions and the SASL requests is served
 * before authentication; the PLAINTEXT listener keeps working without credentials.
 */
import { Kafka, logLevel, type SASLOptions } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { startBroker, type RunningBroker } from '../../../runtime/src/broker/index.js';
import { RawClient } from '../../integration/broker/raw-client.js';
import { kafkajsDecodeResponse, kafkajsRequestFrame } from './kafkajs-protocol.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function broker(mechanisms?: Parameters<typeof startBroker>[0] extends infer O ? O extends { sasl?: infer S } ? S extends { mechanisms?: infer M } ? M : never : never : never): Promise<RunningBroker> {
  const b = await startBroker({ sasl: { ...(mechanisms ? { mechanisms } : {}) }, users: { 'spark-consumer': 'right-password', alice: 'alice-secret' } });
  cleanups.push(() => b.close());
  return b;
}

async function roundTrip(bootstrap: string, sasl?: SASLOptions): Promise<string[]> {
  const kafka = new Kafka({ brokers: [bootstrap], clientId: 'sasl-test', logLevel: logLevel.NOTHING, ...(sasl ? { sasl } : {}), retry: { retries: 0 } });
  const producer = kafka.producer();
  await producer.connect();
  cleanups.push(() => producer.disconnect());
  await producer.send({ topic: 'spark-streaming-store', messages: [{ value: 'one' }, { value: 'two' }] });
  const consumer = kafka.consumer({ groupId: `g-${Math.random()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  cleanups.push(() => consumer.disconnect());
  await consumer.subscribe({ topic: 'spark-streaming-store', fromBeginning: true });
  const seen: string[] = [];
  await new Promise<void>((resolve) => {
    void consumer.run({ eachMessage: async ({ message }) => {
      seen.push(String(message.value));
      if (seen.length === 2) resolve();
    } });
  });
  return seen;
}

describe('SASL_PLAINTEXT listener', () => {
  it.each([
    ['scram-sha-512'],
    ['scram-sha-256'],
    ['plain'],
  ] as const)('authenticates kafkajs with %s, then serves produce, fetch and a consumer group', async (mechanism) => {
    const b = await broker();
    expect(await roundTrip(b.saslBootstrap!, { mechanism, username: 'spark-consumer', password: 'right-password' } as SASLOptions)).toEqual(['one', 'two']);
  });

  it('refuses a wrong SCRAM password with Kafka\'s message, the same for an unknown user', async () => {
    const b = await broker();
    for (const username of ['spark-consumer', 'nobody']) {
      const err = await roundTrip(b.saslBootstrap!, { mechanism: 'scram-sha-512', username, password: 'wrong' }).catch((e: Error) => e);
      expect(String((err as Error).message)).toContain('Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512');
    }
  });

  it('refuses a wrong PLAIN password with Kafka\'s PLAIN message', async () => {
    const b = await broker();
    const err = await roundTrip(b.saslBootstrap!, { mechanism: 'plain', username: 'alice', password: 'nope' }).catch((e: Error) => e);
    expect(String((err as Error).message)).toContain('Authentication failed: Invalid username or password');
  });

  it('answers a disabled mechanism with UNSUPPORTED_SASL_MECHANISM and the enabled list, then closes', async () => {
    const b = await broker(['SCRAM-SHA-512']);
    const raw = await RawClient.connect(b.saslBootstrap!);
    cleanups.push(() => raw.close());
    const res = await raw.send(await kafkajsRequestFrame('SaslHandshake', 1, { mechanism: 'PLAIN' }));
    expect(await kafkajsDecodeResponse('SaslHandshake', 1, res.body)).toEqual({ errorCode: 33, enabledMechanisms: ['SCRAM-SHA-512'] });
    await raw.whenClosed();
    expect(raw.closed).toBe(true);
  });

  it('closes a connection that sends anything but ApiVersions or SASL before authenticating', async () => {
    const b = await broker();
    const raw = await RawClient.connect(b.saslBootstrap!);
    cleanups.push(() => raw.close());
    const versions = await raw.send(await kafkajsRequestFrame('ApiVersions', 2, {}));
    expect(versions.body.readInt16BE(0)).toBe(0);
    expect(await raw.sendExpectingClose(await kafkajsRequestFrame('Metadata', 6, { topics: ['spark-streaming-store'], allowAutoTopicCreation: true }, 2), 5000)).toBe('closed');
    expect(b.store.topic('spark-streaming-store')).toBeUndefined();
  });

  it('keeps the PLAINTEXT listener open without credentials, and answers SASL requests there with ILLEGAL_SASL_STATE', async () => {
    const b = await broker();
    expect(await roundTrip(b.bootstrap)).toEqual(['one', 'two']);
    const raw = await RawClient.connect(b.bootstrap);
    cleanups.push(() => raw.close());
    const res = await raw.send(await kafkajsRequestFrame('SaslHandshake', 1, { mechanism: 'SCRAM-SHA-512' }));
    expect(res.body.readInt16BE(0)).toBe(34);
  });

  it('advertises each listener\'s own port in Metadata, so SASL clients stay on the SASL listener', async () => {
    const b = await broker();
    const kafka = new Kafka({ brokers: [b.saslBootstrap!], logLevel: logLevel.NOTHING, sasl: { mechanism: 'scram-sha-256', username: 'alice', password: 'alice-secret' } });
    const admin = kafka.admin();
    await admin.connect();
    cleanups.push(() => admin.disconnect());
    const cluster = await admin.describeCluster();
    expect(cluster.brokers.map((x) => `${x.host}:${x.port}`)).toEqual([b.saslBootstrap]);
  });
});
