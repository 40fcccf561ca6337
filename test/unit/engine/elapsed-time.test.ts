/** PySpark's timeouts elapse on the injected Clock's `sleep`, never on a timer of the engine's own. */
import { describe, expect, it } from 'vitest';
import { SparkSession, MemoryStream } from 'streamlab';
import { ManualClock, type Sleep } from '../../../runtime/src/engine/clock.js';
import { InMemoryKafkaCluster } from '../../../runtime/src/engine/kafka-client/memory-kafka-cluster.js';

/** A sleep that records what it was asked for and elapses at once. */
function instantSleep(asked: number[]): Sleep {
  return (ms) => {
    asked.push(ms);
    return Promise.resolve();
  };
}

/** A sleep that records what it was asked for and ends only when aborted. */
function endlessSleep(asked: number[]): Sleep {
  return (ms, signal) => {
    asked.push(ms);
    return new Promise<void>((_resolve, reject) => signal?.addEventListener('abort', () => reject(signal.reason), { once: true }));
  };
}

/** A cluster on a ManualClock at `startMs` whose sleeps are `sleep`, with topic `t` and a consumer reading it from the start. */
function clusterAndConsumer(sleep: Sleep, startMs = 0) {
  const cluster = new InMemoryKafkaCluster({ clock: new ManualClock(startMs, sleep) });
  cluster.createTopic('t', 1);
  const consumer = cluster.consumer({ group_id: null, auto_offset_reset: 'earliest' });
  consumer.subscribe(['t']);
  return { cluster, consumer };
}

describe('elapsed time on the Clock', () => {
  it("awaitTermination(timeout) waits the timeout in seconds on the session clock's sleep", async () => {
    const asked: number[] = [];
    const spark = SparkSession.builder.clock(new ManualClock(0, instantSleep(asked))).output(() => undefined).create();
    const input = new MemoryStream('value INT', spark);
    const query = input.toDF().writeStream.format('memory').queryName('elapsed').start();
    expect(await query.awaitTermination(2.5)).toBe(false);
    expect(asked).toEqual([2500]);
    await query.stop();
    expect(await query.awaitTermination(2.5)).toBe(true);
  });

  it("a memory consumer's poll waits its timeout on the cluster clock's sleep and returns empty", async () => {
    const asked: number[] = [];
    const { consumer } = clusterAndConsumer(instantSleep(asked));
    expect(await consumer.poll(700, 10)).toEqual([]);
    expect(asked).toEqual([700]);
  });

  it('an append ends the wait before the timeout and the poll returns the record', async () => {
    const asked: number[] = [];
    const { cluster, consumer } = clusterAndConsumer(endlessSleep(asked), 40);
    const polled = consumer.poll(60_000, 10);
    await Promise.resolve();
    cluster.append({ topic: 't', key: null, value: new TextEncoder().encode('a'), headers: [] });
    expect((await polled).map((r) => [r.offset, r.timestamp, new TextDecoder().decode(r.value!)])).toEqual([[0, 40, 'a']]);
    expect(asked).toEqual([60_000]);
  });
});
