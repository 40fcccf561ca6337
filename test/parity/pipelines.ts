/**
 * The pipelines the parity tier runs on both engines: every lesson solution's Structured queries
 * (found by running its `main()` through the exporter's capture) and scenarios from the spec written
 * over a Kafka source. Each reads one topic; its input is a list of JSON values keyed by topic name.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { captureProgram, compileProgram, planChain, StubCollector } from '../../runtime/src/export/index.js';
import { readLearnerFiles } from '../../runtime/src/lessons/submission-files.js';
import { provideLessonModels } from './lesson-models.js';
import { announcedReports, epochSeconds, generateDriverFixes, generateMachineRows, generateOriginEvents } from '../../runtime/src/datagen/index.js';
import type { LogicalPlan } from '../../runtime/src/engine/plans/plan.js';
import type { DataFrame, SparkSession } from '../../runtime/src/engine/structured/index.js';
import * as F from '../../runtime/src/engine/structured/functions.js';

/** A record with headers (name, value or null), kept in this order. */
export interface HeaderRecord {
  value: string;
  headers: [string, string | null][];
}

/** One pipeline of the tier. */
export interface ParityPipeline {
  id: string;
  /** The streaming DataFrame, reading Kafka (its source options are rewritten per run). */
  build: (spark: SparkSession) => DataFrame | LogicalPlan;
  mode: 'append' | 'update' | 'complete';
  /** Where Spark runs it (the lesson folder, for a program that loads the lesson's saved model). */
  cwd?: string;
  /** Kafka record values (or values with headers), in offset order. */
  records: (string | HeaderRecord)[];
  maxOffsetsPerTrigger: number;
}

const at = (hms: string) => `2026-11-21T${hms}Z`;

/** Sensor readings: three sensors, out of order inside a batch, and one reading behind the watermark. */
export const temperatureReadings: string[] = [
  ['sensor-1', '10:00:05', 20.5], ['sensor-2', '10:00:12', 18.25], ['sensor-1', '10:00:40', 21.5],
  ['sensor-3', '10:00:59', 30.0], ['sensor-2', '10:01:10', 19.0], ['sensor-1', '10:00:55', 22.0],
  ['sensor-1', '10:01:35', 23.5], ['sensor-3', '10:02:05', 29.5], ['sensor-2', '10:02:20', 17.75],
  ['sensor-1', '10:00:30', 99.0], ['sensor-3', '10:03:01', 31.25], ['sensor-2', '10:03:40', 18.5],
  ['sensor-1', '10:03:45', 24.0], ['sensor-3', '10:04:10', 28.0],
].map(([node, ts, temperature]) => JSON.stringify({ node_name: node, temperature, ts: at(ts as string) }));

/** A reading far in the future: in append mode it moves the watermark past every real window. */
export const temperatureSentinel = JSON.stringify({ node_name: 'sentinel', temperature: 0.0, ts: at('23:59:00') });

/** The producers' events for lesson 04, `timestamp` in epoch seconds with a fraction as the tutorial's producers write it. */
export const gatewayEvents: string[] = [
  ['gw-a', 'hello'], ['gw-b', 'x'], ['gw-a', 'y'], ['gw-c', 'z'], ['gw-b', 'w'], ['gw-a', 'v'], ['gw-c', 'u'], ['gw-a', 't'],
].map(([origin, content], i) => JSON.stringify({ timestamp: epochSeconds(Date.parse(at(`09:0${i}:00`)) * 1000 + 277_745 + i * 3), _id: `e${i}`, origin, content }));

/**
 * Epoch seconds as producers write them: the seeded generator's microseconds, and by hand whole
 * seconds, one microsecond past a second, before 1970 and the tutorial's own event.
 */
export const epochSecondEvents: string[] = [
  ...generateOriginEvents({ seed: 404, gateways: 3, count: 12, intervalMs: 250, startMs: Date.UTC(2024, 1, 5, 10, 25, 17) }),
  { timestamp: 1707128717.277745, _id: '65c0f38d16ab1d2a2c6a4cc6', origin: 'kafka-test-app-0 (10.1.29.185)', content: 'Message #121' },
  { timestamp: 1707128717, _id: 'whole', origin: 'kafka-test-app-1 (10.1.29.186)', content: 'Message #122' },
  { timestamp: 1707128717.000001, _id: 'one-micro', origin: 'kafka-test-app-1 (10.1.29.186)', content: 'Message #123' },
  { timestamp: -1.0000005, _id: 'before-1970', origin: 'kafka-test-app-2 (10.1.29.187)', content: 'Message #124' },
].map((e) => JSON.stringify(e));

/** Machine readings for lesson 06: CSV lines keyed by id, every fifth broken (empty field, not a number, too few fields). */
export const machineLines: string[] = generateMachineRows({ seed: 606, count: 24, badEvery: 5 }).map((r) => r.line);

/** Drivers' location fixes for lesson 05, every field as text as the tutorial's producer sends it. */
export const driverFixes: string[] = generateDriverFixes({ seed: 505, drivers: 5, count: 20, intervalMs: 250 }).map((f) => JSON.stringify(f.fix));

/**
 * COVID-19 reports for lesson 07's speed layer: two countries over two weeks, every fifth report four
 * days late (its week still open), and one report announced twice.
 */
export const covidReports: string[] = (() => {
  const values = announcedReports({ seed: 707, startDate: '2020-03-02', days: 28, countries: ['Germany', 'Italy'], historyDays: 14, lateEvery: 5, lateBy: 4 })
    .map((a) => JSON.stringify(a.report));
  values.splice(7, 0, values[2]!);
  return values;
})();

/** Inputs for the topics lesson solutions read. */
const lessonInputs: Record<string, string[]> = {
  'sensors.temperature': temperatureReadings,
  'spark-streaming-store': gatewayEvents,
  'kaspar-inputs': machineLines,
  locations: driverFixes,
  'covid.reports': covidReports,
};

function lessonsRoot(): string {
  return fileURLToPath(new URL('../../lessons/', import.meta.url));
}

function subscribedTopic(plan: LogicalPlan): string | undefined {
  if (plan.kind === 'StreamingRelation') return plan.format === 'kafka' ? plan.options.subscribe : undefined;
  const kids = plan.kind === 'Union' ? plan.children : plan.kind === 'Join' ? [plan.left, plan.right] : plan.kind === 'LocalRelation' ? [] : [plan.child];
  for (const k of kids) {
    const t = subscribedTopic(k);
    if (t) return t;
  }
  return undefined;
}

/** Every lesson solution's Structured queries over Kafka, with the learner's function names. */
export async function lessonPipelines(): Promise<ParityPipeline[]> {
  const out: ParityPipeline[] = [];
  const dirs = readdirSync(lessonsRoot()).filter((d) => /^\d\d-/.test(d)).sort();
  for (const dir of dirs) {
    const files = (await readLearnerFiles(join(lessonsRoot(), dir))).filter((f) => f.path !== 'starter.ts');
    const models = await provideLessonModels(lessonsRoot(), dir);
    const program = await captureProgram(await compileProgram(files, 'solution.ts'));
    const stubs = new StubCollector();
    const text = (p: LogicalPlan) => planChain(p, { stubs, where: '' }).join('\n');
    program.queries.forEach((q, i) => {
      const topic = subscribedTopic(q.plan);
      if (!topic) return;
      const named = program.pipelines.find((p) => text(p.plan) === text(q.plan));
      const records = lessonInputs[topic];
      if (!records) throw new Error(`parity: no input records for topic "${topic}" read by ${dir}; add them to test/parity/pipelines.ts`);
      out.push({ id: `${dir}/${named?.name ?? `query${i + 1}`}`, build: () => q.plan, mode: q.outputMode, records, maxOffsetsPerTrigger: 4, ...(models.length > 0 ? { cwd: join(lessonsRoot(), dir) } : {}) });
    });
  }
  return out;
}

function readings(spark: SparkSession): DataFrame {
  return spark.readStream
    .format('kafka')
    .option('kafka.bootstrap.servers', 'localhost:9092')
    .option('subscribe', 'parity.input')
    .load()
    .select(F.from_json(F.col('value').cast('string'), 'node_name STRING, temperature DOUBLE, ts TIMESTAMP').alias('r'))
    .select('r.*');
}

/** Scenarios from the spec that a Kafka source can express. */
export const scenarioPipelines: ParityPipeline[] = [
  {
    // Append mode emits a window only once the watermark passes its end; the sentinel (sentinel
    // record, not final state) lets the last real windows close within the run.
    id: 'scenario/append-tumbling-watermark-sentinel',
    build: (spark) => readings(spark).withWatermark('ts', '30 seconds').groupBy(F.window('ts', '1 minute'), 'node_name').agg(F.max('temperature').alias('max_temp'), F.count('*').alias('n')),
    mode: 'append',
    records: [...temperatureReadings, temperatureSentinel],
    maxOffsetsPerTrigger: 5,
  },
  {
    id: 'scenario/update-sliding-window-avg',
    build: (spark) => readings(spark).withWatermark('ts', '1 minute').groupBy(F.window('ts', '2 minutes', '1 minute')).agg(F.avg('temperature').alias('avg_temp'), F.min('temperature').alias('min_temp')),
    mode: 'update',
    records: temperatureReadings,
    maxOffsetsPerTrigger: 3,
  },
  {
    // Data batches back to back: the second's rows for windows that end between the first batch's
    // watermark and its own are not late (late rows are judged by the previous batch's watermark), so
    // they update and are written before their windows are evicted; the third's row for such a window
    // is behind the watermark it is judged by and is dropped.
    id: 'scenario/update-late-by-previous-watermark',
    build: (spark) => readings(spark).withWatermark('ts', '30 seconds').groupBy(F.window('ts', '1 minute'), 'node_name').agg(F.avg('temperature').alias('avg_temp'), F.count('*').alias('n')),
    mode: 'update',
    records: [
      ['sensor-1', '10:00:05', 20.0], ['sensor-1', '10:01:10', 21.0], ['sensor-1', '10:02:40', 22.0],
      ['sensor-1', '10:01:50', 23.0], ['sensor-2', '10:00:30', 24.0], ['sensor-1', '10:03:00', 25.0],
      ['sensor-1', '10:00:20', 26.0], ['sensor-2', '10:04:00', 27.0], ['sensor-1', '10:03:30', 28.0],
    ].map(([node, ts, temperature]) => JSON.stringify({ node_name: node, temperature, ts: at(ts as string) })),
    maxOffsetsPerTrigger: 3,
  },
  {
    id: 'scenario/stateless-projection-filter',
    build: (spark) => readings(spark)
      .filter(F.col('temperature').gt(19))
      .select(
        F.upper(F.col('node_name')).alias('node'),
        F.round(F.col('temperature').multiply(1.8).plus(32), 2).alias('fahrenheit'),
        F.when(F.col('temperature').geq(25), F.lit('hot')).otherwise(F.lit('mild')).alias('band'),
        F.col('ts'),
      ),
    mode: 'append',
    records: temperatureReadings,
    maxOffsetsPerTrigger: 4,
  },
  {
    id: 'scenario/complete-global-count-per-key',
    build: (spark) => readings(spark).groupBy('node_name').agg(F.count('*').alias('n'), F.sum('temperature').alias('total')),
    mode: 'complete',
    records: temperatureReadings,
    maxOffsetsPerTrigger: 6,
  },
  {
    // PERMISSIVE from_json: unparseable text, wrong types (the readable fields stay), JSON that is
    // not an object and whole-second timestamps, mixed with good readings.
    id: 'scenario/malformed-json-permissive',
    build: (spark) => readings(spark).select('node_name', 'temperature', 'ts'),
    mode: 'append',
    records: [
      temperatureReadings[0],
      '{"node_name":"sensor-2","temperature":',
      'not json at all',
      JSON.stringify({ node_name: 'sensor-3', temperature: 'warm', ts: at('10:00:20') }),
      JSON.stringify({ node_name: 'sensor-1', temperature: true, ts: at('10:00:25') }),
      JSON.stringify([{ node_name: 'sensor-1', temperature: 20 }]),
      JSON.stringify({ node_name: 42, temperature: 21, ts: 1_700_000_000 }),
      JSON.stringify({ node_name: 'sensor-2', temperature: 22.5, ts: 1_700_000_000.5 }),
      temperatureReadings[1],
    ],
    maxOffsetsPerTrigger: 3,
  },
  {
    // get_json_object, json_tuple and try_cast over raw JSON text as tutorials read Kafka values:
    // nested paths, a wildcard, a missing field, JSON null, text that is not JSON and a number
    // that is not a whole one.
    id: 'scenario/json-path-functions',
    build: (spark) => spark.readStream
      .format('kafka')
      .option('kafka.bootstrap.servers', 'localhost:9092')
      .option('subscribe', 'parity.input')
      .load()
      .selectExpr('CAST(value AS STRING) AS j')
      .select(
        F.get_json_object('j', '$.device.id').alias('device'),
        F.get_json_object('j', '$.readings[*].v').alias('values'),
        F.get_json_object('j', '$.readings[0]').alias('first'),
        F.json_tuple('j', 'kind', 'count', 'device').alias('kind', 'count', 'device_json'),
        F.expr("try_cast(get_json_object(j, '$.count') AS INT)").alias('n'),
      ),
    mode: 'append',
    records: [
      JSON.stringify({ device: { id: 'd-1' }, kind: 'temp', count: '3', readings: [{ v: 1.5 }, { v: 2 }] }),
      JSON.stringify({ device: { id: 'd-2', zone: null }, kind: null, count: 2.5, readings: [{ v: 1e3 }] }),
      '{"kind": "single", "count": " 7 ", "readings": []}',
      'not json',
      JSON.stringify({ device: 'flat', count: 'x', readings: [{ w: 1 }, { v: 'a"b' }] }),
    ],
    maxOffsetsPerTrigger: 2,
  },
  {
    // count_if next to the statistical aggregates, per key, as the whole result each batch.
    id: 'scenario/complete-count-if-statistics',
    build: (spark) => readings(spark).groupBy('node_name').agg(
      F.count_if(F.col('temperature').gt(20)).alias('warm'),
      F.stddev('temperature').alias('sd'),
      F.var_pop('temperature').alias('var'),
    ),
    mode: 'complete',
    records: temperatureReadings,
    maxOffsetsPerTrigger: 3,
  },
  {
    // percentile_approx and FILTER (WHERE …) per key, as the whole result each batch, with the
    // schema schema_of_json infers for a reading beside them.
    id: 'scenario/complete-percentile-filter',
    build: (spark) => readings(spark).groupBy('node_name').agg(
      F.percentile_approx('temperature', 0.5).alias('median'),
      F.percentile_approx('temperature', [0.25, 0.75]).alias('quartiles'),
      F.expr('count(*) FILTER (WHERE temperature > 20)').alias('warm'),
      F.expr('max(temperature) FILTER (WHERE temperature < 25)').alias('max_below_25'),
      F.first(F.schema_of_json(temperatureReadings[0]!)).alias('schema'),
    ),
    mode: 'complete',
    records: temperatureReadings,
    maxOffsetsPerTrigger: 4,
  },
  {
    // The count-by-origin tutorial's epoch seconds with a fraction: read as a DOUBLE and converted by
    // CAST and by timestamp_seconds (both (seconds * 1000000).toLong), read as a STRING (Spark prints
    // the number as Java does) and as a TIMESTAMP (a fractional number there is NULL, a whole one is seconds).
    id: 'scenario/epoch-seconds-timestamps',
    build: (spark) => {
      const read = (schema: string) => F.from_json(F.col('value').cast('string'), schema);
      return spark.readStream
        .format('kafka')
        .option('kafka.bootstrap.servers', 'localhost:9092')
        .option('subscribe', 'parity.input')
        .load()
        .select(
          read('timestamp DOUBLE, _id STRING, origin STRING').alias('d'),
          read('timestamp STRING, _id STRING').alias('s'),
          read('timestamp TIMESTAMP, _id STRING').alias('t'),
        )
        .select(
          F.col('d._id').alias('id'),
          F.col('d.origin').alias('origin'),
          F.col('d.timestamp').cast('timestamp').alias('cast'),
          F.timestamp_seconds('d.timestamp').alias('seconds'),
          F.date_format(F.col('d.timestamp').cast('timestamp'), 'yyyy-MM-dd HH:mm:ss.SSSSSS').alias('micros'),
          F.col('s.timestamp').alias('text'),
          F.col('s.timestamp').cast('double').cast('timestamp').alias('text_cast'),
          F.col('t.timestamp').alias('as_timestamp'),
        );
    },
    mode: 'append',
    records: epochSecondEvents,
    maxOffsetsPerTrigger: 6,
  },
  {
    // includeHeaders: Spark's headers column, array<struct<key:string,value:binary>>, in the record's
    // order (a repeated key stays where it was), null for a record without headers.
    id: 'scenario/include-headers',
    build: (spark) => spark.readStream
      .format('kafka')
      .option('kafka.bootstrap.servers', 'localhost:9092')
      .option('subscribe', 'parity.input')
      .option('includeHeaders', 'true')
      .load()
      .select(F.col('value').cast('string').alias('value'), F.col('headers')),
    mode: 'append',
    records: [
      'no headers',
      { value: 'one header', headers: [['trace-id', 'a1b2']] },
      { value: 'repeated key', headers: [['a', '1'], ['b', '2'], ['a', '3']] },
      { value: 'null and empty', headers: [['nothing', null], ['empty', '']] },
    ],
    maxOffsetsPerTrigger: 2,
  },
];
