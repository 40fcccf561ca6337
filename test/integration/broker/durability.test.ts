/**
 * Durability of the embedded broker's segment files (embedded only: it is about this broker's
 * storage, not a behaviour shared with Kafka). An acks=-1 producer sends 100,000 messages in
 * batches while the broker process is SIGKILLed at a random moment; after a restart on the same
 * data dir every acknowledged message is readable, in order, exactly once per offset. The
 * producer then finishes the remaining messages against the restarted broker.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { kafkajsDecodeResponse, kafkajsRequestFrame } from '../../unit/broker/kafkajs-protocol.js';
import { RawClient } from './raw-client.js';

const SCRIPT = fileURLToPath(new URL('./broker-process.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const TOTAL = 100_000;
const BATCH = 500;

const dataDir = mkdtempSync(join(tmpdir(), 'broker-durability-'));
const children = new Set<ChildProcess>();
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

/** Spawns the broker process and resolves with its port once it prints READY. */
function spawnBroker(port: number): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, String(port), dataDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr!.on('data', (d) => {
      err += d;
      process.stderr.write(`[broker ${port}] ${d}`);
    });
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /READY (\d+)/.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.once('exit', (code) => reject(new Error(`broker exited with ${code} before READY: ${err}`)));
  });
}

/** Reads every message of partition 0 with raw Fetch requests: [offset, value] in log order. */
async function readAll(bootstrap: string, topic: string): Promise<Array<[number, string]>> {
  const c = await RawClient.connect(bootstrap);
  const out: Array<[number, string]> = [];
  let next = 0;
  for (;;) {
    const frame = await kafkajsRequestFrame('Fetch', 11, {
      replicaId: -1,
      maxWaitTime: 0,
      minBytes: 1,
      maxBytes: 4 << 20,
      isolationLevel: 1,
      topics: [{ topic, partitions: [{ partition: 0, fetchOffset: String(next), maxBytes: 4 << 20 }] }],
    });
    const d = await kafkajsDecodeResponse('Fetch', 11, (await c.send(frame)).body);
    const p = d.responses[0].partitions[0];
    expect(p.errorCode).toBe(0);
    for (const m of p.messages) {
      const offset = Number(m.offset);
      if (offset >= next) out.push([offset, m.value.toString()]);
    }
    next = out.length ? out[out.length - 1][0] + 1 : next;
    if (next >= Number(p.highWatermark)) break;
  }
  c.close();
  return out;
}

describe('embedded broker durability', () => {
  it('keeps every acknowledged message across a SIGKILL at a random moment', async () => {
    const first = await spawnBroker(0);
    const bootstrap = `127.0.0.1:${first.port}`;
    const topic = 'durable';
    const kafka = new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 0 } });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    await admin.disconnect();

    const producer = kafka.producer({ retry: { retries: 0 } });
    await producer.connect();
    const killAfterBatch = 1 + Math.floor(Math.random() * (TOTAL / BATCH - 2));
    let acked = 0;
    let killed = false;
    try {
      for (let b = 0; b < TOTAL / BATCH; b++) {
        const messages = Array.from({ length: BATCH }, (_, i) => ({ value: JSON.stringify({ i: b * BATCH + i }) }));
        const send = producer.send({ topic, acks: -1, messages });
        // Kill while the next batch is on the wire: the process may die before, during or after its write.
        if (b === killAfterBatch) setImmediate(() => first.child.kill('SIGKILL'));
        await send;
        acked = (b + 1) * BATCH;
      }
    } catch {
      killed = true;
    }
    await producer.disconnect().catch(() => undefined);
    if (!killed) first.child.kill('SIGKILL'); // the whole run fit before the kill landed
    await new Promise((r) => (first.child.exitCode !== null || first.child.signalCode !== null ? r(undefined) : first.child.once('exit', r)));

    const second = await spawnBroker(first.port);
    const afterRestart = await readAll(bootstrap, topic);
    // Once per offset and in order: offsets 0..n-1 hold messages 0..n-1.
    expect(afterRestart.length).toBeGreaterThanOrEqual(acked);
    expect(afterRestart.length % BATCH).toBe(0); // batches are all-or-nothing
    afterRestart.forEach(([offset, value], i) => {
      if (offset !== i || JSON.parse(value).i !== i) expect([offset, value]).toEqual([i, JSON.stringify({ i })]);
    });

    // Finish the run on the restarted broker, continuing after what the log holds.
    const resumed = new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING }).producer();
    await resumed.connect();
    for (let start = afterRestart.length; start < TOTAL; start += BATCH) {
      await resumed.send({ topic, acks: -1, messages: Array.from({ length: BATCH }, (_, i) => ({ value: JSON.stringify({ i: start + i }) })) });
    }
    await resumed.disconnect();
    const all = await readAll(bootstrap, topic);
    expect(all.length).toBe(TOTAL);
    expect(all.every(([offset, value], i) => offset === i && JSON.parse(value).i === i)).toBe(true);
    second.child.kill('SIGTERM');
    await new Promise((r) => second.child.once('exit', r));
  });
});
