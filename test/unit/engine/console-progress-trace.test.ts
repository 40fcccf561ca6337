/** Console sink text, progress JSON and the explain trace of a windowed count. */
import { describe, expect, it } from 'vitest';
import { functions as F, ManualClock, MemoryStream, SparkSession, type BatchTrace } from 'streamlab';

function windowedCount(outputMode: 'update' | 'append', options: Record<string, string> = {}) {
  const out: string[] = [];
  const clock = new ManualClock(1_000);
  const spark = SparkSession.builder.clock(clock).output((t) => out.push(t)).create();
  const input = new MemoryStream('value INT', spark);
  const counts = input.toDF()
    .withColumn('eventTime', F.col('value').cast('timestamp'))
    .withWatermark('eventTime', '10 seconds')
    .groupBy(F.window('eventTime', '5 seconds'))
    .count();
  const traces: BatchTrace[] = [];
  const q = counts.writeStream.format('console').options(options).outputMode(outputMode).start();
  q.onBatch((b) => traces.push(b.trace));
  return { out, input, q, traces, clock };
}

describe('console sink', () => {
  it("prints Spark's text, truncating struct cells to 17 characters + ...", async () => {
    const { out, input, q } = windowedCount('update');
    input.addData([10, 11, 12, 13, 14, 15]);
    await q.processAllAvailable();
    await q.stop();
    expect(out[0]).toBe([
      '-------------------------------------------',
      'Batch: 0',
      '-------------------------------------------',
      '+--------------------+-----+',
      '|              window|count|',
      '+--------------------+-----+',
      '|{1970-01-01 00:00...|    5|',
      '|{1970-01-01 00:00...|    1|',
      '+--------------------+-----+',
      '',
      '',
    ].join('\n'));
    // The no-data batch that follows (watermark 0 -> 5 s) prints an empty table.
    expect(out[1]).toBe('-------------------------------------------\nBatch: 1\n-------------------------------------------\n+------+-----+\n|window|count|\n+------+-----+\n+------+-----+\n\n');
  });

  it('honours numRows and truncate=false (left-aligned, full cells)', async () => {
    const { out, input, q } = windowedCount('update', { numRows: '1', truncate: 'false' });
    input.addData([10, 11, 15]);
    await q.processAllAvailable();
    await q.stop();
    expect(out[0]).toBe([
      '-------------------------------------------',
      'Batch: 0',
      '-------------------------------------------',
      '+------------------------------------------+-----+',
      '|window                                    |count|',
      '+------------------------------------------+-----+',
      '|{1970-01-01 00:00:10, 1970-01-01 00:00:15}|2    |',
      '+------------------------------------------+-----+',
      'only showing top 1 row',
      '',
      '',
    ].join('\n'));
  });
});

describe('progress', () => {
  it("reports Spark's StreamingQueryProgress fields for each batch", async () => {
    const { input, q } = windowedCount('append');
    input.addData([10, 11, 12, 13, 14, 15]);
    await q.processAllAvailable();
    input.addData([25, 10]);
    await q.processAllAvailable();
    const progress = q.recentProgress;
    expect(progress.map((p) => p.batchId)).toEqual([0, 1, 2, 3]);
    expect(progress.map((p) => p.numInputRows)).toEqual([6, 0, 2, 0]);
    const p2 = progress[2];
    expect(p2.id).toBe(q.id);
    expect(p2.timestamp).toBe('1970-01-01T00:00:01.000Z');
    expect(p2.eventTime).toEqual({ avg: '1970-01-01T00:00:17.500Z', max: '1970-01-01T00:00:25.000Z', min: '1970-01-01T00:00:10.000Z', watermark: '1970-01-01T00:00:05.000Z' });
    expect(p2.stateOperators).toHaveLength(1);
    expect(p2.stateOperators[0]).toMatchObject({ operatorName: 'stateStoreSave', numRowsTotal: 3, numRowsUpdated: 2, numRowsRemoved: 0, numRowsDroppedByWatermark: 0 });
    expect(p2.sources[0]).toMatchObject({ description: 'memory[value]', startOffset: 0, endOffset: 1, numInputRows: 2 });
    expect(p2.sink).toEqual({ description: 'org.apache.spark.sql.execution.streaming.ConsoleTable$', numOutputRows: 0 });
    // The no-data batch at watermark 15 s evicts and emits [10,15).
    expect(progress[3].stateOperators[0]).toMatchObject({ numRowsTotal: 2, numRowsRemoved: 1 });
    expect(progress[3].sink.numOutputRows).toBe(1);
    await q.stop();
  });
});

describe('explain trace', () => {
  it('records the watermark, row outcomes with their windows, emitted rows and evictions', async () => {
    const { input, q, traces } = windowedCount('append');
    input.addData([10, 11, 12, 13, 14, 15]);
    await q.processAllAvailable();
    input.addData([25]);
    await q.processAllAvailable();
    input.addData([10, 26]);
    await q.processAllAvailable();
    await q.stop();
    expect(traces.map((t) => [t.batchId, t.kind, t.watermark?.beforeMs, t.watermark?.afterMs])).toEqual([
      [0, 'data', 0, 5000], [1, 'no-data', 5000, 5000], [2, 'data', 5000, 15000], [3, 'no-data', 15000, 15000], [4, 'data', 15000, 16000], [5, 'no-data', 16000, 16000],
    ]);
    expect(traces[0].input.total).toBe(6);
    expect(traces[0].input.sample[0]).toEqual({ values: ['10', '1970-01-01 00:00:10'], eventTimeMs: 10_000, outcome: 'updated', window: { startMs: 10_000, endMs: 15_000 }, key: [] });
    expect(traces[3].evicted).toEqual({ total: 1, sample: [{ key: [], window: { startMs: 10_000, endMs: 15_000 }, emitted: true }] });
    expect(traces[3].emitted).toEqual({ total: 1, sample: [['{1970-01-01 00:00:10, 1970-01-01 00:00:15}', '5']] });
    const late = traces[4].input.sample.find((r) => r.outcome === 'late');
    expect(late).toEqual({ values: ['10', '1970-01-01 00:00:10'], eventTimeMs: 10_000, outcome: 'late', window: { startMs: 10_000, endMs: 15_000 }, key: [], reason: 'window end 15000 <= watermark 15000' });
    expect(traces[4].droppedLate).toBe(1);
  });
});

describe('explain trace of a stateless query', () => {
  it('samples the input rows as passed through', async () => {
    const spark = SparkSession.builder.output(() => undefined).create();
    const input = new MemoryStream('name STRING, n INT', spark);
    const q = input.toDF().select('name').writeStream.format('memory').queryName('passed').start();
    const traces: BatchTrace[] = [];
    q.onBatch((b) => traces.push(b.trace));
    input.addData([['a', 1], ['b', null]]);
    await q.processAllAvailable();
    await q.stop();
    expect(traces[0].input).toEqual({ total: 2, sample: [{ values: ['a', '1'], eventTimeMs: null, outcome: 'passed' }, { values: ['b', 'NULL'], eventTimeMs: null, outcome: 'passed' }] });
    expect(traces[0].emitted).toEqual({ total: 2, sample: [['a'], ['b']] });
  });
});
