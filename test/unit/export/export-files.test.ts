/**
 * Export to PySpark of a pipeline between file folders: the file source with its schema and options and
 * the file sink are written as PySpark's readers and writers, with nothing stubbed (the export reads and
 * writes no file).
 */
import { describe, expect, it } from 'vitest';
import { exportProgramFiles } from '../../../runtime/src/export/index.js';

const program = `import { SparkSession } from "streamlab";
const spark = SparkSession.builder.getOrCreate();
spark.readStream.schema("n INT, s STRING").option("maxFilesPerTrigger", 1).json("in")
  .writeStream.format("csv").option("path", "out").option("checkpointLocation", "cp").start();
`;

describe('exportPySpark of file sources and sinks', () => {
  it('writes the file source and the file sink as PySpark reads and writes them', async () => {
    const result = await exportProgramFiles([{ path: 'main.ts', content: program }], 'main.ts', { title: 'files' });
    expect(result.stubs).toEqual([]);
    expect(result.code).toContain(`query = (
    spark.readStream
    .format("json")
    .schema("n INT, s STRING")
    .option("maxFilesPerTrigger", "1")
    .option("path", "in")
    .load()
    .writeStream
    .outputMode("append")
    .format("csv")
    .option("path", "out")
    .option("checkpointLocation", "cp")
    .start()
)`);
  });

  it("writes Spark's socket word count as PySpark reads it, without connecting anywhere", async () => {
    const wordCount = `import { SparkSession, functions as F } from "streamlab";
const spark = SparkSession.builder.getOrCreate();
const lines = spark.readStream.format("socket").option("host", "localhost").option("port", 9999).load();
lines.select(F.explode(F.split(F.col("value"), " ")).alias("word")).groupBy("word").count()
  .writeStream.outputMode("complete").format("console").start();
`;
    const result = await exportProgramFiles([{ path: 'main.ts', content: wordCount }], 'main.ts', { title: 'word count' });
    expect(result.stubs).toEqual([]);
    expect(result.code).toContain(`spark.readStream
    .format("socket")
    .option("host", "localhost")
    .option("port", "9999")
    .load()`);
  });
});
