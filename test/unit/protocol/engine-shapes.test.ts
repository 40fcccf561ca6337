/**
 * What the engine reports is what the wire schemas accept: real batches of a watermarked windowed count
 * (late rows, evictions, no-data batches), a stateless query, a stateful query without a watermark and a
 * DStream with a window and state, each parsed by the protocol's strict schemas. The watermark and
 * event times of the trace are the numbers behind Spark's ISO `eventTime` of the same batch.
 */
import { describe, expect, it } from 'vitest';
import { functions as F, ManualClock, MemoryStream, SparkSession, type BatchTrace, type StreamingQueryProgress } from 'streamlab';
import type { DStreamBatchTrace } from '../../../runtime/src/engine/dstream/index.js';
import { dstreamBatchTrace, streamingQueryProgress, structuredBatchTrace } from '../../../runtime/src/protocol/index.js';
import { harness } from '../dstream/harness.js';

async function batchesOf(build: (input: MemoryStream) => ReturnType<MemoryStream['toDF']>, mode: 'append' | 'update', data: unknown[][]) {
  const spark = SparkSession.builder.clock(new ManualClock(1000)).create();
  const input = new MemoryStream('value INT, text STRING', spark);
  const results: { trace: BatchTrace; progress: StreamingQueryProgress }[] = [];
  const q = build(input).writeStream.format('memory').queryName(`q${Math.random().toString(36).slice(2)}`).outputMode(mode).start();
  q.onBatch((b) => results.push({ trace: b.trace, progress: b.progress }));
  for (const rows of data) {
    input.addData(...rows.map((value) => ({ value, text: `{"n": ${String(value)}` })));
    await q.processAllAvailable();
  }
  await q.stop();
  return results;
}

const iso = (ms: number) => new Date(ms).toISOString();

describe('structured batches on the wire', () => {
  it('a watermarked windowed count: every trace and progress parses, and eventTime is the trace in ISO', async () => {
    const results = await batchesOf((input) => input.toDF()
      .withColumn('ts', F.col('value').cast('timestamp'))
      .withColumn('parsed', F.from_json(F.col('text'), 'n INT').getField('n'))
      .withWatermark('ts', '10 seconds')
      .groupBy(F.window('ts', '5 seconds'))
      .agg(F.count('*').alias('n'), F.max('parsed').alias('parsed')), 'append', [[10, 11, 15], [25], [10, 26]]);
    expect(results.map((r) => r.trace.kind)).toEqual(['data', 'no-data', 'data', 'no-data', 'data', 'no-data']);
    expect(results.some((r) => r.trace.droppedLate > 0 && r.trace.evicted.total === 0)).toBe(true);
    expect(results.some((r) => r.trace.evicted.total > 0)).toBe(true);
    expect(results[0]!.trace.malformed.total).toBe(3);
    for (const { trace, progress } of results) {
      expect(structuredBatchTrace.parse(trace)).toEqual(trace);
      const { eventTime, ...wire } = progress;
      expect(streamingQueryProgress.parse(wire)).toEqual(wire);
      expect(eventTime).toEqual({
        ...(trace.eventTime ? { avg: iso(trace.eventTime.avgMs), max: iso(trace.eventTime.maxMs), min: iso(trace.eventTime.minMs) } : {}),
        watermark: iso(trace.watermark!.beforeMs),
      });
    }
    expect(results.map((r) => r.trace.eventTime)).toEqual([
      { minMs: 10_000, maxMs: 15_000, avgMs: 12_000 }, null, { minMs: 25_000, maxMs: 25_000, avgMs: 25_000 }, null,
      { minMs: 10_000, maxMs: 26_000, avgMs: 18_000 }, null,
    ]);
  });

  it('queries without a watermark have neither watermark nor event times, and no Spark eventTime', async () => {
    const stateless = await batchesOf((input) => input.toDF().select('value'), 'append', [[1, 2]]);
    const counted = await batchesOf((input) => input.toDF().groupBy('value').count(), 'update', [[1, 1, 2]]);
    for (const { trace, progress } of [...stateless, ...counted]) {
      expect(structuredBatchTrace.parse(trace)).toEqual(trace);
      expect([trace.watermark, trace.eventTime, progress.eventTime]).toEqual([null, null, undefined]);
      expect(streamingQueryProgress.parse(progress)).toEqual(progress);
    }
    expect(stateless[0]!.trace.input.sample.map((r) => r.outcome)).toEqual(['passed', 'passed']);
  });
});

describe('DStream batches on the wire', () => {
  it('a window and state: every trace parses', async () => {
    const h = harness();
    h.ssc.checkpoint('ckpt');
    const traces: DStreamBatchTrace[] = [];
    h.ssc.addStreamingListener({ onBatchCompleted: (t) => traces.push(t) });
    const input = h.ssc.queueStream([['a', 'b'], ['a'], []]);
    input.window(2, 1).pprint();
    input.map((w) => [w, 1] as [string, number]).updateStateByKey((vs: number[], s: number | null) => vs.length + (s ?? 0)).pprint();
    await h.runBatches(3);
    expect(traces.length).toBe(3);
    for (const t of traces) expect(dstreamBatchTrace.parse(t)).toEqual(t);
  });
});
