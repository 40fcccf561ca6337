/**
 * Export of a static Kafka read: the plan keeps where its rows came from, so the script reads
 * `spark.read.format("kafka")` with the learner's options instead of inlining rows.
 */
import { describe, expect, it } from 'vitest';
import { exportProgramFiles } from '../../../runtime/src/export/index.js';

const program = `import { SparkSession, functions as F } from "streamlab";

export function main(): void {
  const spark = SparkSession.builder.appName("enrich").getOrCreate();
  const devices = spark.read
    .format("kafka")
    .option("kafka.bootstrap.servers", "broker:9092")
    .option("subscribe", "devices")
    .option("startingOffsets", '{"devices":{"0":-2}}')
    .option("endingOffsets", '{"devices":{"0":10}}')
    .load()
    .selectExpr("CAST(key AS STRING) AS device", "CAST(value AS STRING) AS owner");
  spark.readStream
    .format("kafka")
    .option("kafka.bootstrap.servers", "broker:9092")
    .option("subscribe", "readings")
    .load()
    .selectExpr("CAST(key AS STRING) AS device", "CAST(value AS STRING) AS reading")
    .join(devices, ["device"], "inner")
    .writeStream.format("console").start();
}
`;

describe('export of spark.read.format("kafka")', () => {
  it('renders the static read as spark.read with its options, not as inlined rows', async () => {
    const result = await exportProgramFiles([{ path: 'job.ts', content: program }], 'job.ts', { title: 'enrich' });
    expect(result.stubs).toEqual([]);
    expect(result.code).not.toContain('createDataFrame');
    expect(result.code).toContain([
      '        spark.read',
      '        .format("kafka")',
      '        .option("kafka.bootstrap.servers", "broker:9092")',
      '        .option("subscribe", "devices")',
      '        .option("startingOffsets", "{\\"devices\\":{\\"0\\":-2}}")',
      '        .option("endingOffsets", "{\\"devices\\":{\\"0\\":10}}")',
      '        .load()',
      '        .select(F.col("key").cast("string").alias("device"), F.col("value").cast("string").alias("owner"))',
    ].join('\n'));
  });

  it("still checks the static read with Spark's rules while exporting", async () => {
    const bad = program.replace(`.option("startingOffsets", '{"devices":{"0":-2}}')`, '.option("startingOffsets", "latest")');
    await expect(exportProgramFiles([{ path: 'job.ts', content: bad }], 'job.ts')).rejects.toThrow("starting offset can't be latest for batch queries on Kafka");
  });
});
