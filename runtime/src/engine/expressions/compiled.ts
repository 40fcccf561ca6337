/**
 * The vocabulary of compiled expressions, shared by the expression compiler and the function
 * registry: a row, the per-batch evaluation context, a compiled expression (type + closure), and
 * Spark's implicit coercions between types (non-ANSI: bad input becomes NULL).
 */
import type { Zone } from '../time-zone.js';
import { AnalysisException } from '../errors.js';
import {
  BOOLEAN, DOUBLE, INT, LONG, NULL, STRING, isIntegral, isNumeric, isTimestamp, sameType, widerNumeric,
  type DataType, type FieldMetadata,
} from '../types.js';
import { caster } from '../values.js';

/** A row: one value per field of the schema, in order. */
export type Row = unknown[];

/** Values that change per batch and that expressions may read (e.g. `current_timestamp()`). */
export interface EvalContext {
  batchTimestampMs: number;
  /** The session time zone (`spark.sql.session.timeZone`); UTC when absent. */
  timeZone?: Zone;
  /**
   * Malformed records seen by `from_json` in PERMISSIVE mode (they become nulls), counted per batch
   * when the caller provides this collector; the first few texts are kept for the trace.
   */
  malformed?: MalformedRecords;
}

/** Records a parser could not read, per batch: an exact count and a short sample. */
export interface MalformedRecords {
  count: number;
  readonly sample: string[];
}

/** How many malformed texts a batch keeps, and how much of each. */
export const MALFORMED_SAMPLE_CAP = 5;
const MALFORMED_TEXT_CAP = 200;

/** Counts one malformed record in the batch's collector (when there is one). */
export function noteMalformed(ctx: EvalContext, text: string): void {
  const m = ctx.malformed;
  if (!m) return;
  m.count++;
  if (m.sample.length < MALFORMED_SAMPLE_CAP) m.sample.push(text.length > MALFORMED_TEXT_CAP ? `${text.slice(0, MALFORMED_TEXT_CAP)}…` : text);
}

/** A compiled expression. */
export interface Compiled {
  readonly type: DataType;
  readonly nullable: boolean;
  /** The output column name Spark would give it. */
  readonly name: string;
  readonly metadata: FieldMetadata;
  readonly eval: (row: Row) => unknown;
}

/** Wraps a compiled expression in a cast. */
export function castTo(c: Compiled, to: DataType): Compiled {
  if (sameType(c.type, to)) return c;
  const cv = caster(c.type, to);
  const f = c.eval;
  return { type: to, nullable: true, name: c.name, metadata: {}, eval: (row) => cv(f(row)) };
}

/** An arithmetic operand: numbers as they are, strings as doubles, NULL as int; booleans are refused. */
export function numericOperand(c: Compiled): Compiled {
  if (isNumeric(c.type)) return c;
  if (c.type === STRING) return castTo(c, DOUBLE);
  if (c.type === NULL) return castTo(c, INT);
  if (c.type === BOOLEAN) throw new AnalysisException(`[DATATYPE_MISMATCH.BINARY_OP_WRONG_TYPE] Cannot resolve "${c.name}" due to data type mismatch: the binary operator requires the input type "NUMERIC", not "BOOLEAN".`, { code: 'DATATYPE_MISMATCH' });
  return c;
}

/** The common type two branches coerce to (Spark's `findWiderTypeForTwo`, simplified). */
export function mergeTypes(a: DataType, b: DataType): DataType {
  if (a === NULL) return b;
  if (b === NULL) return a;
  if (sameType(a, b)) return a;
  if (isNumeric(a) && isNumeric(b)) return widerNumeric(a, b);
  if (isTimestamp(a) && isTimestamp(b)) return a;
  return STRING;
}

/** Expressions coerced to their common type (`coalesce`, `greatest`, `array`), with their closures. */
export function commonType(cs: readonly Compiled[]): { type: DataType; evals: ((row: Row) => unknown)[] } {
  let type: DataType = NULL;
  for (const c of cs) type = mergeTypes(type, c.type);
  return { type, evals: cs.map((c) => castTo(c, type).eval) };
}

/** Two operands of a comparison coerced to a common type, as Spark's binary comparison does. */
export function coercePair(l: Compiled, r: Compiled): [Compiled, Compiled, DataType] {
  const lt = l.type;
  const rt = r.type;
  if (sameType(lt, rt)) return [l, r, lt];
  if (lt === NULL) return [castTo(l, rt), r, rt];
  if (rt === NULL) return [l, castTo(r, lt), lt];
  if (isNumeric(lt) && isNumeric(rt)) return [l, r, widerNumeric(lt, rt)];
  if (isTimestamp(lt) && rt === STRING) return [l, castTo(r, lt), lt];
  if (isTimestamp(rt) && lt === STRING) return [castTo(l, rt), r, rt];
  if (lt.kind === 'atomic' && lt.name === 'date' && rt === STRING) return [l, castTo(r, lt), lt];
  if (rt.kind === 'atomic' && rt.name === 'date' && lt === STRING) return [castTo(l, rt), r, rt];
  if (isNumeric(lt) && rt === STRING) return [l, castTo(r, isIntegral(lt) ? LONG : DOUBLE), DOUBLE];
  if (isNumeric(rt) && lt === STRING) return [castTo(l, isIntegral(rt) ? LONG : DOUBLE), r, DOUBLE];
  if (lt === BOOLEAN && rt === STRING) return [l, castTo(r, BOOLEAN), BOOLEAN];
  if (rt === BOOLEAN && lt === STRING) return [castTo(l, BOOLEAN), r, BOOLEAN];
  if (isTimestamp(lt) && isTimestamp(rt)) return [l, r, lt];
  return [castTo(l, STRING), castTo(r, STRING), STRING];
}

/** A type as Spark's error messages write it: `INT`, `ARRAY<INT>`, `STRUCT<a: INT>`. */
export function sqlTypeName(t: DataType): string {
  if (t.kind === 'array') return `ARRAY<${sqlTypeName(t.elementType)}>`;
  if (t.kind === 'map') return `MAP<${sqlTypeName(t.keyType)}, ${sqlTypeName(t.valueType)}>`;
  if (t.kind === 'struct') return `STRUCT<${t.fields.map((f) => `${f.name}: ${sqlTypeName(f.dataType)}`).join(', ')}>`;
  return t.simpleString().toUpperCase();
}
