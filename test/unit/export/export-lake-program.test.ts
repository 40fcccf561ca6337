/**
 * Export of a program whose main() reads CSV files and writes a static batch view before it starts its
 * stream (lesson 07's lambda architecture): the export reads no file and writes no table; the script
 * writes the batch view with Spark's JDBC writer, then starts the streaming query; a CSV read without
 * a schema cannot be exported and says so.
 */
import { describe, expect, it } from 'vitest';
import { exportProgramFiles } from '../../../runtime/src/export/index.js';

const program = (schema: string) => `import { SparkSession, functions as F } from "streamlab";

export async function main(): Promise<void> {
  const spark = SparkSession.builder.appName("lake").getOrCreate();
  const history = spark.read.csv("covid", { ${schema}header: true });
  history.groupBy("country").count().show();
  await history.write.option("truncate", "true").jdbc("jdbc:postgresql://localhost:5432/streamlab", "batch_view", "overwrite", { user: "streamlab" });
  spark.readStream.format("kafka").option("kafka.bootstrap.servers", "localhost:9092").option("subscribe", "covid.reports").load()
    .selectExpr("CAST(key AS STRING) AS country")
    .writeStream.format("console").start();
}
`;

describe('exporting a program that reads a lake', () => {
  it('writes the batch view, then starts the stream, without reading the files or writing the table', async () => {
    const { code } = await exportProgramFiles([{ path: 'main.ts', content: program('schema: "date DATE, country STRING, cases INT", ') }], 'main.ts');
    const batch = [
      'batch_view = (',
      '    spark.read',
      '    .format("csv")',
      '    .schema("date DATE, country STRING, cases INT")',
      '    .option("header", "true")',
      '    .option("path", "covid")',
      '    .load()',
      ')',
      '(',
      '    batch_view.write',
      '    .format("jdbc")',
      '    .mode("overwrite")',
      '    .option("truncate", "true")',
      '    .option("url", "jdbc:postgresql://localhost:5432/streamlab")',
      '    .option("dbtable", "batch_view")',
      '    .option("user", "streamlab")',
      '    .save()',
      ')',
    ].join('\n');
    expect(code).toContain(`\n\n${batch}\n\nquery = (\n`);
    expect(code).toContain('.option("subscribe", "covid.reports")');
    expect(code).toContain('.format("console")');
  });

  it('exports a program that only writes as its writes, in the order it made them', async () => {
    const content = `import { SparkSession, functions as F } from "streamlab";

export async function main(): Promise<void> {
  const spark = SparkSession.builder.appName("nightly").getOrCreate();
  const dax = spark.read.csv("dax", { schema: "date DATE, close DOUBLE", header: true });
  await dax.filter("date <= DATE '2020-03-29'").write.mode("append").format("parquet").save("out/dax");
  await dax.groupBy().agg(F.max("close").alias("high")).write.jdbc("postgres://db:5432/lab", "highs", "overwrite", { user: "lab" });
}
`;
    const { code } = await exportProgramFiles([{ path: 'main.ts', content }], 'main.ts');
    const writes = code.split('\n').filter((l) => /^\w+ = \($|^\s+\.(save|mode|filter|agg)\(/.test(l));
    expect(writes).toEqual([
      'batch_1 = (',
      // The typed literal as Spark SQL that reads back to it.
      '    .filter((F.col("date") <= F.expr("DATE \'2020-03-29\'")))',
      '    .mode("append")',
      '    .save("out/dax")',
      'highs = (',
      '    .agg(F.max("close").alias("high"))',
      '    .mode("overwrite")',
      '    .save()',
    ]);
    expect(code).toContain('.option("url", "jdbc:postgresql://db:5432/lab")');
    expect(code.trimEnd().endsWith('# The program started no streaming query: its writes above are the whole job.')).toBe(true);
  });

  it('asks for the schema of a CSV read it cannot look into', async () => {
    await expect(exportProgramFiles([{ path: 'main.ts', content: program('') }], 'main.ts'))
      .rejects.toThrow('[UNABLE_TO_INFER_SCHEMA] Unable to infer schema for CSV. It must be specified manually: the export reads no files, so give spark.read.csv a schema.');
  });
});
