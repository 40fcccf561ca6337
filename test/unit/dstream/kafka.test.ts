import { describe, expect, it } from 'vitest';
import { KafkaUtils, MemoryTopics, StreamingContext, type DirectInput } from '../../../runtime/src/engine/dstream/index.js';
import { harness, sorted } from './harness.js';

describe('KafkaUtils.createDirectStream over in-memory topics', () => {
  it('each batch holds the [key, value] records that arrived in (t − batch, t], one partition per topic partition', async () => {
    const h = harness(1);
    const topics = new MemoryTopics({ clock: h.clock });
    topics.createTopic('sensors', 2);
    topics.produce('sensors', 'old', { partition: 0 });
    const ssc = new StreamingContext(h.sc, 1, { clock: h.clock, kafka: topics });
    const stream = KafkaUtils.createDirectStream(ssc, ['sensors'], { 'bootstrap.servers': 'memory' });
    const out: Array<[number, number, [string | null, string][]]> = [];
    stream.foreachRDD((time, rdd) => {
      out.push([time.getTime(), rdd.getNumPartitions(), rdd.collect()]);
    });
    ssc.start();
    h.clock.advance(400);
    topics.produce('sensors', '21.5', { key: 's1', partition: 0 });
    topics.produce('sensors', '19.0', { key: 's2', partition: 1 });
    h.clock.advance(600);
    topics.produce('sensors', 'at-1000', { partition: 1 });
    await ssc.awaitBatchCompleted(1000);
    h.clock.advance(1000);
    await ssc.awaitBatchCompleted(2000);
    ssc.stop();
    // "latest" (the default) skips what was there before start; a record arriving exactly at t is in batch t.
    expect(out).toEqual([
      [1000, 2, [['s1', '21.5'], ['s2', '19.0'], [null, 'at-1000']]],
      [2000, 2, []],
    ]);
  });

  it('auto.offset.reset=earliest reads from the start, and a restarted context resumes from its checkpointed offsets', async () => {
    const h = harness(1);
    const topics = new MemoryTopics({ clock: h.clock });
    for (const v of ['a', 'b']) topics.produce('t', v);
    const run = (values: string[][]): StreamingContext => {
      const ssc = new StreamingContext(h.sc, 1, { clock: h.clock, kafka: topics, checkpointStore: h.store });
      ssc.checkpoint('kafka-ckpt');
      KafkaUtils.createDirectStream(ssc, ['t'], { 'auto.offset.reset': 'earliest' }).foreachRDD((rdd) => {
        values.push(sorted(rdd.collect().map(([, v]) => v)));
      });
      return ssc;
    };
    const first: string[][] = [];
    const ssc1 = run(first);
    ssc1.start();
    h.clock.advance(1000);
    await ssc1.awaitBatchCompleted(1000);
    ssc1.stop(false);
    topics.produce('t', 'c');
    const second: string[][] = [];
    const ssc2 = run(second);
    ssc2.start();
    h.clock.advance(1000);
    await ssc2.awaitBatchCompleted(2000);
    ssc2.stop(false);
    expect(first).toEqual([['a', 'b']]);
    expect(second).toEqual([['c']]);
  });

  it('checkpoints the offsets of what a batch handed out, so records fetched for a time no window asked for are read again after a restart', async () => {
    const h = harness(1);
    const topics = new MemoryTopics({ clock: h.clock });
    const run = (values: [number, string[]][]): StreamingContext => {
      const ssc = new StreamingContext(h.sc, 1, { clock: h.clock, kafka: topics, checkpointStore: h.store });
      ssc.checkpoint('kafka-skip-ckpt');
      // Window 1 s every 2 s: the input is computed at 2 s, 4 s, ... only.
      KafkaUtils.createDirectStream(ssc, ['t'], { 'auto.offset.reset': 'earliest' }).window(1, 2).foreachRDD((t, rdd) => {
        values.push([t.getTime(), sorted(rdd.collect().map(([, v]) => v))]);
      });
      return ssc;
    };
    const first: [number, string[]][] = [];
    const ssc1 = run(first);
    ssc1.start();
    topics.produce('t', 'a', { arrivalMs: 500 });
    h.clock.setTime(1000);
    await ssc1.awaitBatchCompleted(1000);
    ssc1.stop(false);
    // 'a' was fetched at 1 s, but no operation needed the input at 1 s: the checkpoint keeps offset 0.
    const second: [number, string[]][] = [];
    const ssc2 = run(second);
    ssc2.start();
    h.clock.setTime(2000);
    await ssc2.awaitBatchCompleted(2000);
    ssc2.stop(false);
    expect(first).toEqual([]);
    expect(second).toEqual([[2000, ['a']]]);
  });
});

describe('readInputsEveryBatch', () => {
  /** Averages per batch, then the average of those over a 60-s window sliding by 60 s, over six 10-s batches. */
  async function averageOfAverages(readInputsEveryBatch: boolean): Promise<Array<[number, [string, number][]]>> {
    const h = harness(10);
    const topics = new MemoryTopics({ clock: h.clock });
    topics.createTopic('t', 1);
    const ssc = new StreamingContext(h.sc, 10, { clock: h.clock, kafka: topics, readInputsEveryBatch });
    const add = ([a, n]: [number, number], [b, m]: [number, number]): [number, number] => [a + b, n + m];
    const out: Array<[number, [string, number][]]> = [];
    KafkaUtils.createDirectStream(ssc, ['t'], { 'auto.offset.reset': 'earliest' })
      .map(([, v]): [string, [number, number]] => ['s1', [Number(v), 1]])
      .reduceByKey(add)
      .mapValues(([sum, n]): [number, number] => [sum / n, 1])
      .reduceByKeyAndWindow(add, null, 60, 60)
      .mapValues(([sum, n]) => sum / n)
      .foreachRDD((time, rdd) => {
        out.push([time.getTime(), rdd.collect()]);
      });
    ssc.start();
    // Three readings in the first batch, one in the second, none after.
    for (const batch of [['20', '21', '22'], ['30'], [], [], [], []]) {
      h.clock.advance(1);
      for (const v of batch) topics.produce('t', v);
      h.clock.advance(9_999);
      await ssc.awaitBatchCompleted(h.clock.now());
    }
    ssc.stop();
    return out;
  }

  it('off (as in Spark), the window\'s first batch computes late and gets the whole minute: 23.25 is the average of all four readings', async () => {
    expect(await averageOfAverages(false)).toEqual([[60_000, [['s1', 23.25]]]]);
  });

  it('on, each batch holds what arrived in it: the average of the averages 21 and 30 is 25.5', async () => {
    expect(await averageOfAverages(true)).toEqual([[60_000, [['s1', 25.5]]]]);
  });
});

describe('socketTextStream', () => {
  it('reads lines through the socket input factory, batch by batch', async () => {
    const h = harness(1);
    const arrived: Array<[number, string]> = [];
    let position = 0;
    const input: DirectInput<string> = {
      name: 'socket[localhost:9999]',
      start: async () => undefined,
      fetch: async (t) => {
        const lines = arrived.filter(([at], i) => i >= position && at <= t).map(([, line]) => line);
        position += lines.length;
        return [lines];
      },
      positions: () => null,
      stop: async () => undefined,
    };
    const asked: string[] = [];
    const socket = {
      createSocketInput: (host: string, port: number) => {
        asked.push(`${host}:${port}`);
        return input;
      },
    };
    const ssc = new StreamingContext(h.sc, 1, { clock: h.clock, socket });
    const words: Array<[number, [string, number][]]> = [];
    ssc.socketTextStream('localhost', 9999).flatMap((l) => l.split(' ')).map((w) => [w, 1]).reduceByKey((a, b) => a + b).foreachRDD((time, rdd) => {
      words.push([time.getTime(), sorted(rdd.collect())]);
    });
    ssc.start();
    arrived.push([300, 'to be or'], [900, 'not to be']);
    h.clock.advance(1000);
    await ssc.awaitBatchCompleted(1000);
    arrived.push([1500, 'be']);
    h.clock.advance(1000);
    await ssc.awaitBatchCompleted(2000);
    ssc.stop();
    expect(asked).toEqual(['localhost:9999']);
    expect(words).toEqual([
      [1000, [['be', 2], ['not', 1], ['or', 1], ['to', 2]]],
      [2000, [['be', 1]]],
    ]);
  });

  it('needs a socket input factory', () => {
    const h = harness(1);
    expect(() => h.ssc.socketTextStream('localhost', 9999)).toThrowError(
      expect.objectContaining({ name: 'IllegalStateException', message: 'socketTextStream(localhost, 9999) needs a socket input: create the StreamingContext with { socket }' }),
    );
  });
});
