/**
 * One form for both engines' output rows, so batches compare as data: a row is an object keyed by
 * column name, a struct likewise, a timestamp is microseconds since the epoch (UTC), a date is days
 * since the epoch; Spark's Python side (parity_runner.py) converts to the same form.
 */
import type { Row } from '../../runtime/src/engine/expressions/compile.js';
import type { DataType, StructType } from '../../runtime/src/engine/types.js';

/** A value in canonical form. */
export type Plain = null | boolean | number | string | Plain[] | { [k: string]: Plain };

/** An engine value of type `t` in canonical form. */
export function plainValue(v: unknown, t: DataType): Plain {
  if (v === null || v === undefined) return null;
  switch (t.kind) {
    case 'struct': {
      const values = v as unknown[];
      return Object.fromEntries(t.fields.map((f, i) => [f.name, plainValue(values[i], f.dataType)]));
    }
    case 'array': return (v as unknown[]).map((x) => plainValue(x, t.elementType));
    case 'map': return Object.fromEntries([...(v as Map<unknown, unknown>)].map(([k, x]) => [String(plainValue(k, t.keyType)), plainValue(x, t.valueType)]));
    default:
      if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
      if (typeof v === 'bigint') return Number(v);
      return v as Plain;
  }
}

/** Engine rows of a batch in canonical form. */
export function plainRows(rows: readonly Row[], schema: StructType): Plain[] {
  return rows.map((r) => plainValue(r, schema));
}

function sortKey(p: Plain): string {
  return JSON.stringify(p);
}

/** JSON text (a `to_json` column) as data, so its doubles compare as doubles. */
function asJson(s: string): Plain | undefined {
  if (!/^[[{]/.test(s)) return undefined;
  try {
    return JSON.parse(s) as Plain;
  } catch {
    return undefined;
  }
}

function close(a: Plain, b: Plain): boolean {
  if (typeof a === 'string' && typeof b === 'string' && a !== b) {
    const ja = asJson(a);
    const jb = asJson(b);
    return ja !== undefined && jb !== undefined && close(ja, jb);
  }
  if (typeof a === 'number' && typeof b === 'number') {
    if (a === b) return true;
    return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
  }
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => close(x, b[i]!));
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => k in b && close(a[k]!, b[k]!));
  }
  return a === b;
}

/** Compares two batches as multisets of rows (doubles to 1e-9 relative, JSON text as data); a message on difference. */
export function compareBatch(engine: readonly Plain[], spark: readonly Plain[]): string | undefined {
  const e = [...engine].sort((x, y) => sortKey(x).localeCompare(sortKey(y)));
  const s = [...spark].sort((x, y) => sortKey(x).localeCompare(sortKey(y)));
  if (e.length !== s.length) return `engine has ${e.length} rows, Spark ${s.length}: engine ${JSON.stringify(e)} vs Spark ${JSON.stringify(s)}`;
  for (let i = 0; i < e.length; i++) {
    if (!close(e[i]!, s[i]!)) return `row ${JSON.stringify(e[i])} (engine) vs ${JSON.stringify(s[i])} (Spark)`;
  }
  return undefined;
}

/** One pipeline's batches from one engine, in batch-id order. */
export interface BatchLog {
  batches: { id: number; rows: Plain[] }[];
  error?: string;
}

/** The PARITY line for a pipeline. */
export function parityLine(id: string, engine: BatchLog, spark: BatchLog): { ok: boolean; line: string } {
  if (engine.error) return { ok: false, line: `PARITY ${id}: differs at batch 0: the engine failed: ${engine.error}` };
  if (spark.error) return { ok: false, line: `PARITY ${id}: differs at batch 0: Spark failed: ${spark.error}` };
  const n = Math.max(engine.batches.length, spark.batches.length);
  for (let b = 0; b < n; b++) {
    const e = engine.batches[b];
    const s = spark.batches[b];
    if (!e || !s) return { ok: false, line: `PARITY ${id}: differs at batch ${b}: ${e ? 'Spark' : 'the engine'} ran no batch ${b} (engine ${engine.batches.length} batches, Spark ${spark.batches.length})` };
    if (e.id !== s.id) return { ok: false, line: `PARITY ${id}: differs at batch ${b}: batch ids ${e.id} (engine) vs ${s.id} (Spark)` };
    const d = compareBatch(e.rows, s.rows);
    if (d) return { ok: false, line: `PARITY ${id}: differs at batch ${b}: ${d}` };
  }
  return { ok: true, line: `PARITY ${id}: identical (${n} batches)` };
}
