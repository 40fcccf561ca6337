/**
 * Export to PySpark of a program that queries a streaming view with `spark.sql`: the query is written
 * as the DataFrame chain its plan is (the same plan the DataFrame API builds), with the view's source,
 * its watermark and nothing stubbed. (test/parity/spark-sql-parity.test.ts runs such chains on Spark.)
 */
import { describe, expect, it } from 'vitest';
import { exportProgramFiles } from '../../../runtime/src/export/index.js';

const program = `import { SparkSession } from "streamlab";
const spark = SparkSession.builder.getOrCreate();
spark.readStream.schema("ts TIMESTAMP, word STRING").json("in").withWatermark("ts", "10 seconds").createOrReplaceTempView("events");
spark.sql("SELECT window.start AS start, word, count(*) AS n FROM events WHERE word <> 'skip' GROUP BY window(ts, '1 minute'), word")
  .writeStream.outputMode("update").format("console").option("checkpointLocation", "cp").start();
`;

describe('exportPySpark of spark.sql', () => {
  it('writes a SQL query over a streaming view as its DataFrame chain', async () => {
    const result = await exportProgramFiles([{ path: 'main.ts', content: program }], 'main.ts', { title: 'sql' });
    expect(result.stubs).toEqual([]);
    expect(result.code).toContain(`query = (
    spark.readStream
    .format("json")
    .schema("ts TIMESTAMP, word STRING")
    .option("path", "in")
    .load()
    .withWatermark("ts", "10 seconds")
    .filter((F.col("word") != F.expr("'skip'")))
    .groupBy(F.expr("window(ts, '1 minute')"), F.col("word").alias("__key1"))
    .agg(F.col("window.start").alias("start"), F.col("__key1").alias("word"), F.count("*").alias("n"))
    .drop("window", "__key1")
    .writeStream
    .outputMode("update")
    .format("console")
    .option("checkpointLocation", "cp")
    .start()
)`);
  });
});
