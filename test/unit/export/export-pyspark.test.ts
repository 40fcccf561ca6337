/**
 * Export to PySpark: lesson solutions and a program using every sink kind, against golden Python
 * files (STREAMLAB_UPDATE_GOLDEN=1 rewrites them, then fails on purpose).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { dstreamKafkaSubmitLine, exportProgramFiles, runExportCommand, sparkSubmitLine } from '../../../runtime/src/export/index.js';
import { jdbcUrl } from '../../../runtime/src/connectors/postgres/postgres-export.js';
import { readLearnerFiles } from '../../../runtime/src/lessons/submission-files.js';
import { SparkSession } from '../../../runtime/src/engine/structured/session.js';
import { expectGolden } from './golden-file.js';

const golden = (name: string) => new URL(`./golden/${name}`, import.meta.url);

async function exportLesson(dir: string) {
  const files = (await readLearnerFiles(fileURLToPath(new URL(`../../../lessons/${dir}`, import.meta.url)))).filter((f) => f.path !== 'starter.ts');
  return exportProgramFiles(files, 'solution.ts', { title: `lesson ${dir}` });
}

describe('exportPySpark', () => {
  it('exports lesson 03 as a runnable script that keeps temperatureWindows', async () => {
    const result = await exportLesson('03-structured-windows');
    expect(result.stubs).toEqual([]);
    expectGolden(result.code, golden('lesson-03.py'));
  });

  it('exports lesson 04 with countByOrigin and the complete-mode console query main starts', async () => {
    const result = await exportLesson('04-report-topic-and-output-modes');
    expect(result.stubs).toEqual([]);
    expectGolden(result.code, golden('lesson-04.py'));
  });

  it('exports the DStream lesson as PySpark DStream code, each TypeScript function a named stub', async () => {
    const result = await exportLesson('02-dstream-temperature');
    expect(result.stubs.map((s) => [s.name, s.where])).toEqual([
      ['map_f', 'map (DStream call 2)'],
      ['map_f_2', 'map (DStream call 3)'],
      ['reduceByKey_func', 'reduceByKey (DStream call 4)'],
      ['mapValues_f', 'mapValues (DStream call 5)'],
      ['foreachRDD_func', 'foreachRDD (DStream call 6)'],
      ['map_f_3', 'map (DStream call 8)'],
      ['map_f_4', 'map (DStream call 9)'],
      ['reduceByKeyAndWindow_func', 'reduceByKeyAndWindow (DStream call 10)'],
      ['mapValues_f_2', 'mapValues (DStream call 11)'],
      ['foreachRDD_func_2', 'foreachRDD (DStream call 12)'],
      ['map_f_5', 'map (DStream call 14)'],
      ['map_f_6', 'map (DStream call 15)'],
      ['reduceByKeyAndWindow_func_2', 'reduceByKeyAndWindow (DStream call 16)'],
      ['reduceByKeyAndWindow_invFunc', 'reduceByKeyAndWindow (DStream call 16)'],
      ['reduceByKeyAndWindow_filterFunc', 'reduceByKeyAndWindow (DStream call 16)'],
      ['mapValues_f_3', 'mapValues (DStream call 17)'],
    ]);
    expectGolden(result.code, golden('lesson-02-dstream.py'));
  });

  it('says the DStream lesson needs Spark 2.4 with spark-streaming-kafka-0-8, and writes auto.offset.reset as that consumer reads it', async () => {
    const result = await exportLesson('02-dstream-temperature');
    expect(result.submit).toEqual(['spark-submit --packages org.apache.spark:spark-streaming-kafka-0-8_2.11:2.4.8 job.py']);
    expect(result.code).toContain('PySpark\'s\nKafkaUtils was removed in Spark 3.0');
    expect(result.code).not.toContain('3.5.7');
    // The 0-8 consumer starts at the end for any value but "smallest": "earliest" would skip the data.
    expect(result.code).toContain('"auto.offset.reset": "smallest"');
  });

  it('exports Kafka and PostgreSQL sinks, triggers, SQL expressions, a UDF and a foreachBatch (stubs announced)', async () => {
    const content = readFileSync(new URL('./fixtures/sinks-and-stubs.ts.txt', import.meta.url), 'utf8');
    const result = await exportProgramFiles([{ path: 'job.ts', content }], 'job.ts', { title: 'devices job' });
    expect(result.stubs.map((s) => [s.name, s.where])).toEqual([
      ['shout', 'UDF in labelled()'],
      ['auditBatch', 'foreachBatch of query 3'],
    ]);
    expectGolden(result.code, golden('sinks-and-stubs.py'));
  });
});

describe('exportPySpark for DStream windows', () => {
  it('puts reduceByKeyAndWindow arguments in PySpark order, durations in seconds, and keeps the checkpoint', async () => {
    const content = readFileSync(new URL('./fixtures/dstream-window.ts.txt', import.meta.url), 'utf8');
    const result = await exportProgramFiles([{ path: 'words.ts', content }], 'words.ts', { title: 'word windows' });
    expect(result.code).toContain('stream3 = stream2.reduceByKeyAndWindow(reduceByKeyAndWindow_func, reduceByKeyAndWindow_invFunc, 10, 2)');
    expectGolden(result.code, golden('dstream-window.py'));
  });
});

describe('export helpers', () => {
  it('turns postgres:// URLs into JDBC URLs with the credentials as parameters', () => {
    expect(jdbcUrl('postgres://learner:s%40cret@db:5432/streamlab')).toBe('jdbc:postgresql://db:5432/streamlab?user=learner&password=s%40cret');
    expect(jdbcUrl('jdbc:postgresql://db/x')).toBe('jdbc:postgresql://db/x');
  });

  it('prints the spark-submit line with the connector and the PostgreSQL driver', () => {
    expect(sparkSubmitLine('job.py')).toBe('spark-submit --packages org.apache.spark:spark-sql-kafka-0-10_2.12:3.5.7,org.postgresql:postgresql:42.7.4 job.py');
  });

  it('prints the Spark 2.4 line, with the Kafka 0.8 integration, for DStream jobs that use KafkaUtils', () => {
    expect(dstreamKafkaSubmitLine('job.py')).toBe('spark-submit --packages org.apache.spark:spark-streaming-kafka-0-8_2.11:2.4.8 job.py');
  });

  it('gives both lines when a program mixes Structured queries with a KafkaUtils DStream job', async () => {
    const content = [
      'import { KafkaUtils, SparkSession, StreamingContext } from "streamlab";',
      'export function main(): void {',
      '  const spark = SparkSession.builder.appName("mixed").getOrCreate();',
      '  spark.readStream.format("kafka").option("kafka.bootstrap.servers", "localhost:9092").option("subscribe", "a").load()',
      '    .writeStream.format("console").start();',
      '  const ssc = new StreamingContext(spark.sparkContext, 5);',
      '  KafkaUtils.createDirectStream(ssc, ["b"], { "metadata.broker.list": "localhost:9092" }).pprint();',
      '  ssc.start();',
      '}',
    ].join('\n');
    const result = await exportProgramFiles([{ path: 'mixed.ts', content }], 'mixed.ts');
    expect(result.submit).toEqual([sparkSubmitLine('job.py'), dstreamKafkaSubmitLine('job.py')]);
    expect(result.code).toContain('No single Spark runs both parts');
  });

  it('runs a DStream program without Kafka on Spark 3.5 with no extra package', async () => {
    const content = readFileSync(new URL('./fixtures/dstream-window.ts.txt', import.meta.url), 'utf8');
    const result = await exportProgramFiles([{ path: 'words.ts', content }], 'words.ts');
    expect(result.submit).toEqual(['spark-submit job.py']);
  });

  it('leaves the running session active: exporting never stops the workbench\'s pipeline', async () => {
    const running = SparkSession.builder.appName('running').create();
    await exportLesson('03-structured-windows');
    expect(SparkSession.getActiveSession()).toBe(running);
    expect(running.appName).toBe('running');
    await running.stop();
  });

  it('refuses to run without a lesson or a file', async () => {
    expect(await runExportCommand([])).toBe(1);
  });
});
