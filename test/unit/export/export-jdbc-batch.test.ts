/**
 * A foreachBatch function that only writes the batch with Spark's JDBC writer exports as that write in
 * Python; one that does anything else with the batch stays a stub; flows are noted, not exported.
 */
import { describe, expect, it } from 'vitest';
import { exportProgramFiles } from '../../../runtime/src/export/index.js';

const program = (batchBody: string) => `import { SparkSession, MemoryStream, ActorSystem, Source, Sink } from "streamlab";
export function main(): void {
  const spark = SparkSession.builder.appName("fixes").getOrCreate();
  const input = new MemoryStream("driverId INT, lat FLOAT", spark);
  input.toDF().writeStream.foreachBatch(async (batch: any, id: number) => {
    ${batchBody}
  }).start();
  Source.single(1).runWith(Sink.ignore(), ActorSystem.create("side"));
}
`;

describe('foreachBatch with a JDBC write', () => {
  it('becomes the same write in Python: write.jdbc(url, table, mode, properties)', async () => {
    const r = await exportProgramFiles([{ path: 'p.ts', content: program('await batch.write.jdbc("jdbc:postgresql://db:5432/app", "fixes", "append", { user: "u", password: "p" });') }], 'p.ts');
    expect(r.stubs).toEqual([]);
    expect(r.code).toContain('def write_query_to_postgres(batch_df, batch_id):\n'
      + '    """Writes each micro-batch to PostgreSQL table fixes (mode append) with Spark\'s JDBC writer."""\n'
      + '    batch_df.write.jdbc(url="jdbc:postgresql://db:5432/app", table="fixes", mode="append", properties={"user": "u", "password": "p"})');
    expect(r.code).toContain('.foreachBatch(write_query_to_postgres)');
    expect(r.code).toContain('The program also runs a flow (Pekko Streams), which is not Spark and is not exported.');
  });

  it('format("jdbc")…save() too, with its mode', async () => {
    const r = await exportProgramFiles([{ path: 'p.ts', content: program('await batch.write.format("jdbc").option("url", "jdbc:postgresql://db/app").option("dbtable", "fixes").mode("overwrite").save();') }], 'p.ts');
    expect(r.stubs).toEqual([]);
    expect(r.code).toContain('batch_df.write.jdbc(url="jdbc:postgresql://db/app", table="fixes", mode="overwrite", properties={})');
  });

  it('stays a stub when the function does more with the batch than write it', async () => {
    for (const body of [
      'console.log(batch.count()); await batch.write.jdbc("jdbc:postgresql://db/app", "fixes", "append", {});',
      'if (id > 0) await batch.write.jdbc("jdbc:postgresql://db/app", "a", "append", {}); await batch.write.jdbc("jdbc:postgresql://db/app", "b", "append", {});',
      'await batch.where("lat > 0").write.jdbc("jdbc:postgresql://db/app", "fixes", "append", {});',
    ]) {
      const r = await exportProgramFiles([{ path: 'p.ts', content: program(body) }], 'p.ts');
      expect(r.stubs.map((s) => s.where), body).toEqual(['foreachBatch of query 1']);
    }
  });
});
