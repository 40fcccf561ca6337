/**
 * The public conformance scenarios (`test/conformance/public`, format in `test/conformance/FORMAT.md`) that a
 * Kafka source can express, as parity pipelines: a streaming query over one memory source becomes the
 * same query over a one-partition topic whose records are the scenario's `addData` rows, in order, as
 * JSON objects (parsed back with `from_json` and the source schema). Batch boundaries are then those
 * of maxOffsetsPerTrigger, the same on both engines; the scenario's own expectations are not used.
 *
 * Left out, by rule: batch execution, several sources, non-memory sources, expected errors, non-default
 * confs, and sources with a timestamp column fed numbers (JSON has no timestamp type to carry them).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DataFrame, SparkSession } from '../../runtime/src/engine/structured/index.js';
import * as F from '../../runtime/src/engine/structured/functions.js';
import { aggColumn, groupColumn } from '../../runtime/src/testing/conformance/structured.js';
import type { ParityPipeline } from './pipelines.js';

// Scenario JSON is loosely typed by design (see FORMAT.md).
type Json = any;

/** The public scenarios (the parity tier pins their ids and batch counts, so never another set). */
export function conformanceDir(): string {
  return fileURLToPath(new URL('../conformance/public/', import.meta.url));
}

/** Why a scenario cannot run over Kafka, or undefined when it can. */
function unsupported(s: Json): string | undefined {
  const q = s.query;
  if (s.api !== 'structured') return 'DStream API';
  if (!q || q.execution !== 'streaming') return 'batch execution';
  if (q.sources || !q.source || q.source.kind !== 'memory') return 'not one memory source';
  if (s.confs && Object.keys(s.confs).length > 0) return 'non-default confs';
  if ((s.topics ?? []).includes('error') || s.steps.some((st: Json) => st.expectError || st.expectException)) return 'expects an error';
  if (q.sink && !['memory', 'foreachBatch', 'console'].includes(q.sink.kind)) return `sink ${q.sink.kind}`;
  const rows = s.steps.flatMap((st: Json) => st.addData ?? []);
  const ts = q.source.schema.findIndex((f: Json) => f.type.startsWith('timestamp'));
  if (ts >= 0 && rows.some((r: Json) => typeof (Array.isArray(r) ? r[ts] : r) === 'number')) return 'timestamps fed as numbers';
  if (rows.length === 0) return 'no input';
  return undefined;
}

function pipeline(s: Json): ParityPipeline {
  const q = s.query;
  const fields: { name: string; type: string }[] = q.source.schema;
  const ddl = fields.map((f) => `\`${f.name}\` ${f.type.toUpperCase()}`).join(', ');
  const records = s.steps.flatMap((st: Json) => st.addData ?? []).map((r: Json) => {
    const values = Array.isArray(r) && fields.length > 1 ? r : [r];
    return JSON.stringify(Object.fromEntries(fields.map((f, i) => [f.name, values[i] ?? null])));
  });
  const build = (spark: SparkSession): DataFrame => {
    let df = spark.readStream.format('kafka').option('kafka.bootstrap.servers', 'localhost:9092').option('subscribe', 'parity.input').load()
      .select(F.from_json(F.col('value').cast('string'), ddl).alias('r')).select('r.*');
    for (const d of q.derived ?? []) df = df.withColumn(d.name, F.expr(d.expr));
    if (q.watermark) df = df.withWatermark(q.watermark.column, q.watermark.delay);
    if (q.afterWatermark) df = df.selectExpr(...q.afterWatermark);
    if (q.groupBy) df = df.groupBy(...q.groupBy.map(groupColumn)).agg(...(q.aggregations ?? []).map(aggColumn));
    const order = (q.orderBy ?? []).map((o: Json) => (o.desc ? F.col(o.column).desc() : F.col(o.column).asc()));
    if (q.select && q.orderBy) {
      try {
        df = df.selectExpr(...q.select).orderBy(...order);
      } catch {
        df = df.orderBy(...order).selectExpr(...q.select);
      }
    } else if (q.select) df = df.selectExpr(...q.select);
    else if (q.orderBy) df = df.orderBy(...order);
    return df;
  };
  return { id: `conformance/${s.id}`, build, mode: q.outputMode ?? 'append', records, maxOffsetsPerTrigger: 3 };
}

/** The expressible scenarios as pipelines, and the others with the reason they were left out. */
export function conformancePipelines(): { pipelines: ParityPipeline[]; left: { id: string; why: string }[] } {
  const pipelines: ParityPipeline[] = [];
  const left: { id: string; why: string }[] = [];
  for (const file of readdirSync(conformanceDir()).filter((f) => f.endsWith('.json')).sort()) {
    const s = JSON.parse(readFileSync(join(conformanceDir(), file), 'utf8'));
    const why = unsupported(s);
    if (why) left.push({ id: s.id, why });
    else pipelines.push(pipeline(s));
  }
  return { pipelines, left };
}
