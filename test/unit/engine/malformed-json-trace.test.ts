/** PERMISSIVE `from_json`: malformed records become nulls, the query keeps going, and the trace counts them. */
import { describe, expect, it } from 'vitest';
import { functions as F, ManualClock, MemoryStream, SparkSession, type BatchTrace } from 'streamlab';

function parsedReadings() {
  const spark = SparkSession.builder.clock(new ManualClock(0)).create();
  const input = new MemoryStream('value STRING', spark);
  const parsed = input.toDF()
    .select(F.from_json(F.col('value'), 'node_name STRING, temperature DOUBLE').alias('data'))
    .select('data.*');
  const traces: BatchTrace[] = [];
  const q = parsed.writeStream.format('memory').queryName('readings').outputMode('append').start();
  q.onBatch((b) => traces.push(b.trace));
  return { spark, input, q, traces };
}

describe('malformed JSON in a stream', () => {
  it('yields nulls, keeps running and counts each malformed record once per batch', async () => {
    const { spark, input, q, traces } = parsedReadings();
    input.addData(['{"node_name":"s1","temperature":21.5}', '{"node_name":"s2",', 'not json', '{"node_name":"s3","temperature":"warm"}']);
    await q.processAllAvailable();
    input.addData(['{"node_name":"s4","temperature":19}']);
    await q.processAllAvailable();
    expect(q.isActive).toBe(true);
    const rows = spark.table('readings').collect().map((r) => [r.node_name, r.temperature]);
    // A field of the wrong type makes the record malformed; Spark 3.5 keeps the fields it could read.
    expect(rows).toEqual([['s1', 21.5], [null, null], [null, null], ['s3', null], ['s4', 19]]);
    expect(traces.map((t) => t.malformed.total)).toEqual([3, 0]);
    expect(traces[0].malformed.sample).toEqual(['{"node_name":"s2",', 'not json', '{"node_name":"s3","temperature":"warm"}']);
    expect(traces[1].malformed.sample).toEqual([]);
    await q.stop();
  });

  it('keeps at most five texts, each cut at 200 characters, while the count stays exact', async () => {
    const { input, q, traces } = parsedReadings();
    const long = `{"node_name":"${'x'.repeat(300)}`;
    input.addData([long, ...Array.from({ length: 9 }, (_, i) => `broken ${i}`)]);
    await q.processAllAvailable();
    expect(traces[0].malformed.total).toBe(10);
    expect(traces[0].malformed.sample).toEqual([`${long.slice(0, 200)}…`, 'broken 0', 'broken 1', 'broken 2', 'broken 3']);
    await q.stop();
  });
});
