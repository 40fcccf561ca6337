/**
 * Export of a program whose main() reads CSV files and writes a static batch view before it starts its
 * stream (lesson 07's lambda architecture): the export reads no file and writes no table, and the
 * script holds the streaming query; a CSV read without a schema cannot be exported and says so.
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
  it('captures the stream without reading the files or writing the table', async () => {
    const { code } = await exportProgramFiles([{ path: 'main.ts', content: program('schema: "date DATE, country STRING, cases INT", ') }], 'main.ts');
    expect(code).toContain('.option("subscribe", "covid.reports")');
    expect(code).toContain('.format("console")');
    expect(code).not.toContain('batch_view');
  });

  it('asks for the schema of a CSV read it cannot look into', async () => {
    await expect(exportProgramFiles([{ path: 'main.ts', content: program('') }], 'main.ts'))
      .rejects.toThrow('[UNABLE_TO_INFER_SCHEMA] Unable to infer schema for CSV. It must be specified manually: the export reads no files, so give spark.read.csv a schema.');
  });
});
