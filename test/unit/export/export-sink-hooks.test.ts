/**
 * A sink PySpark has no format for exports the way its provider's `pyspark` hook writes it: the
 * PostgreSQL sinks as a foreachBatch JDBC writer, foreach and foreachBatch as the learner's marked
 * stubs, any other provider's hook alike; a sink without a hook stays `.format(name)`.
 */
import { describe, expect, it } from 'vitest';
import { exportProgramFiles } from '../../../runtime/src/export/index.js';
import { queryCode } from '../../../runtime/src/export/structured-export.js';
import { StubCollector } from '../../../runtime/src/export/python-text.js';
import { MemoryStream, SparkSession } from '../../../runtime/src/engine/index.js';

const program = (sink: string) => `import { SparkSession, MemoryStream } from "streamlab";
export function main(): void {
  const spark = SparkSession.builder.appName("sinks").getOrCreate();
  const input = new MemoryStream("id INT", spark);
  input.toDF().writeStream${sink}.start();
}
`;

describe('sinks export through their providers', () => {
  it('foreach: the writer becomes a process_row stub PySpark calls per row', async () => {
    const r = await exportProgramFiles([{ path: 'p.ts', content: program('.foreach({ process: (row: any) => console.log(row.id) })') }], 'p.ts');
    expect(r.stubs).toEqual([{ name: 'process_row', where: 'foreach of query 1', params: ['row'], source: 'process: (row) => console.log(row.id)' }]);
    expect(r.code).toContain('#     process: (row) => console.log(row.id)\ndef process_row(row):\n');
    expect(r.code).toContain('    .outputMode("append")\n    .foreach(process_row)\n    .start()\n');
  });

  it('format("JDBC") streams as a foreachBatch JDBC writer; options it does not take stay options', async () => {
    const r = await exportProgramFiles([{ path: 'p.ts', content: program('.format("JDBC").option("url", "postgres://u:p@db/app").option("dbtable", "ids").option("checkpointLocation", "/cp")') }], 'p.ts');
    expect(r.code).toContain('def write_query_to_postgres(batch_df, batch_id):\n'
      + '    """Appends each micro-batch to PostgreSQL table ids with Spark\'s JDBC writer."""\n'
      + '    (\n        batch_df.write\n        .format("jdbc")\n'
      + '        .option("url", "jdbc:postgresql://db/app?user=u&password=p")\n'
      + '        .option("driver", "org.postgresql.Driver")\n        .option("dbtable", "ids")\n'
      + '        .mode("append")\n        .save()\n    )\n');
    expect(r.code).toContain('    .outputMode("append")\n    .foreachBatch(write_query_to_postgres)\n    .option("checkpointLocation", "/cp")\n    .start()\n');
  });

  it("any provider's hook: its helpers, its writer and the options it leaves", () => {
    const spark = SparkSession.builder.output(() => undefined).create();
    const df = new MemoryStream('id INT', spark).toDF();
    const code = queryCode({
      plan: df.plan, format: 'audit', outputMode: 'append', options: { a: '1', b: '2' }, trigger: { kind: 'default' },
      sinkExport: (q, py) => ({ helpers: [`# ${q.variable} in ${q.where}: ${py.str(q.options.a!)}`], writer: `.foreachBatch(${py.ident('audit-it', 'x')})`, options: { b: q.options.b! } }),
    }, 0, { stubs: new StubCollector(), where: '', named: new Map() }, new Set());
    expect(code).toEqual({
      helpers: ['# query in query 1: "1"'],
      statement: ['query = (', '    spark.readStream', '    .format("memory")', '    .load()', '    .writeStream', '    .outputMode("append")', '    .foreachBatch(audit_it)', '    .option("b", "2")', '    .start()', ')'],
      variable: 'query',
    });
  });

  it('a sink with no hook is written as its format with every option', () => {
    const spark = SparkSession.builder.output(() => undefined).create();
    const df = new MemoryStream('id INT', spark).toDF();
    const code = queryCode({ plan: df.plan, format: 'kafka', outputMode: 'append', options: { topic: 't' }, trigger: { kind: 'default' } },
      0, { stubs: new StubCollector(), where: '', named: new Map() }, new Set());
    expect(code.statement.slice(5)).toEqual(['    .outputMode("append")', '    .format("kafka")', '    .option("topic", "t")', '    .start()', ')']);
  });
});
