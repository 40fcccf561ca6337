/**
 * Request-version trace (conformance plan, Layer A.5), on the embedded broker: the (api key,
 * version) pairs kafkajs 2.2.4 and librdkafka (kcat) actually send against our advertised profile
 * must be exactly the ones the design note lists. A change here means negotiation moved, which is
 * how features such as compression get switched off silently. Real Kafka is not traced: it
 * advertises higher versions, so librdkafka negotiates higher there by design.
 */
import { spawn } from 'node:child_process';
import { CompressionTypes, Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type RunningBroker } from '../../../runtime/src/broker/index.js';

const seen = new Map<string, Set<string>>();
let broker: RunningBroker;

beforeAll(async () => {
  broker = await startBroker({
    hooks: {
      onRequest: (h) => {
        const client = h.clientId?.startsWith('rdkafka') ? 'kcat' : (h.clientId ?? '');
        if (!seen.has(client)) seen.set(client, new Set());
        seen.get(client)!.add(`${h.apiKey}v${h.apiVersion}`);
      },
    },
  });
});
afterAll(() => broker?.close());

function kcat(args: string[], input = ''): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('kcat', ['-b', broker.bootstrap, ...args], { stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('error', () => reject(new Error('kcat is not installed: run `apt-get install -y kcat` (CI installs it in .ci/run)')));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`kcat ${args.join(' ')} exited ${code}: ${err}`))));
    child.stdin.end(input);
  });
}

const sorted = (client: string) => [...(seen.get(client) ?? [])].sort((a, b) => parseInt(a) - parseInt(b) || a.localeCompare(b));

describe('negotiated request versions on the embedded broker', () => {
  it('kafkajs sends exactly the versions of the design note', async () => {
    const kafka = new Kafka({ brokers: [broker.bootstrap], clientId: 'trace-kafkajs', logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'trace', numPartitions: 2 }] });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'trace', compression: CompressionTypes.GZIP, messages: [{ value: 'a' }, { value: 'b' }] });
    await producer.disconnect();
    const consumer = kafka.consumer({ groupId: 'trace-g', maxWaitTimeInMs: 100, heartbeatInterval: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic: 'trace', fromBeginning: true });
    let n = 0;
    await consumer.run({ eachMessage: async () => void n++ });
    while (n < 2) await new Promise((r) => setTimeout(r, 20));
    // kafkajs heartbeats between batches once heartbeatInterval has passed; wait for one.
    while (!seen.get('trace-kafkajs')?.has('12v3')) await new Promise((r) => setTimeout(r, 20));
    await consumer.disconnect();
    await admin.fetchTopicOffsets('trace');
    await admin.fetchOffsets({ groupId: 'trace-g', topics: ['trace'] });
    await admin.describeGroups(['trace-g']);
    await admin.listGroups();
    await admin.deleteTopics({ topics: ['trace'] });
    await admin.disconnect();
    expect(sorted('trace-kafkajs')).toEqual(['0v7', '1v11', '2v3', '3v6', '8v5', '9v4', '10v2', '11v5', '12v3', '13v3', '14v3', '15v2', '16v2', '18v2', '19v3', '20v1']);
  });

  it('kcat -L, -P, -C and -G send exactly the versions of the design note', async () => {
    await kcat(['-L']);
    await kcat(['-P', '-t', 'trace-kcat', '-z', 'gzip'], 'x\ny\n');
    await kcat(['-C', '-t', 'trace-kcat', '-o', 'beginning', '-e', '-q']);
    await kcat(['-G', 'trace-kcat-g', 'trace-kcat', '-X', 'auto.offset.reset=earliest', '-e', '-q']);
    // A short -G run may exit before its first heartbeat is due; when one is sent it must be v3.
    const kcatVersions = sorted('kcat');
    expect(kcatVersions.filter((v) => v.startsWith('12v'))).toEqual(kcatVersions.includes('12v3') ? ['12v3'] : []);
    expect(kcatVersions.filter((v) => !v.startsWith('12v'))).toEqual(['0v7', '1v11', '2v2', '3v4', '8v7', '9v5', '10v2', '11v5', '13v1', '14v3', '18v3']);
  });
});
