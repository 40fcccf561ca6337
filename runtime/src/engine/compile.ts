/**
 * Resolves expressions against a schema and compiles them, once, into closures over row arrays.
 * Type coercion follows Spark's non-ANSI rules: integral arithmetic stays integral (int wraps),
 * `/` is always double, comparisons between strings and numbers/timestamps cast the string,
 * and every function returns NULL on NULL input unless Spark says otherwise (coalesce, concat_ws).
 */
import { AnalysisException } from './errors.js';
import { exprName, exprSql, type Expr } from './expr.js';
import {
  ArrayType, BINARY, BOOLEAN, DATE, DOUBLE, INT, LONG, NULL, STRING, StructField, StructType, TIMESTAMP,
  isIntegral, isNumeric, isTimestamp, parseDataType, sameType, widerNumeric, type DataType, type FieldMetadata,
} from './types.js';
import { caster, compareValues, fromUtf8, toSparkString, utf8, valuesEqual } from './values.js';
import { addInterval, parseInterval, parseTimestamp } from './time.js';
import { formatWithPattern, parseWithPattern } from './datetime-pattern.js';
import { crc32, hashValue } from './spark-hash.js';
import { md5, sha1, sha2 } from './digests.js';
import { base64, formatNumber, javaFormat } from './text-format.js';
import { jsonBytesReader } from './json-bytes.js';
import { jsonText } from './json-text.js';

/** A row: one value per field of the schema, in order. */
export type Row = unknown[];

/** Values that change per batch and that expressions may read (e.g. `current_timestamp()`). */
export interface EvalContext {
  batchTimestampMs: number;
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

function noteMalformed(ctx: EvalContext, text: string): void {
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

/** Where a column reference points. */
export interface ResolvedColumn {
  readonly index: number;
  readonly path: readonly number[];
  readonly type: DataType;
  readonly name: string;
  readonly metadata: FieldMetadata;
  readonly nullable: boolean;
}

function unresolved(name: string, schema: StructType): AnalysisException {
  const names = schema.fields.map((f) => `\`${f.name}\``).join(', ');
  return new AnalysisException(
    `[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column or function parameter with name \`${name}\` cannot be resolved. Did you mean one of the following? [${names}].`,
    { code: 'UNRESOLVED_COLUMN' },
  );
}

function findField(fields: readonly StructField[], name: string): number {
  let idx = fields.findIndex((f) => f.name === name);
  if (idx < 0) idx = fields.findIndex((f) => f.name.toLowerCase() === name.toLowerCase());
  return idx;
}

/** Resolves a possibly dotted column name (`window.start`, `` `a.b` ``) against a schema. */
export function resolveColumn(schema: StructType, rawName: string): ResolvedColumn {
  if (rawName.startsWith('`') && rawName.endsWith('`')) {
    const idx = findField(schema.fields, rawName.slice(1, -1));
    if (idx < 0) throw unresolved(rawName, schema);
    const f = schema.fields[idx];
    return { index: idx, path: [], type: f.dataType, name: f.name, metadata: f.metadata, nullable: f.nullable };
  }
  const whole = findField(schema.fields, rawName);
  if (whole >= 0) {
    const f = schema.fields[whole];
    return { index: whole, path: [], type: f.dataType, name: f.name, metadata: f.metadata, nullable: f.nullable };
  }
  const parts = rawName.split('.');
  const idx = findField(schema.fields, parts[0]);
  if (idx < 0) throw unresolved(rawName, schema);
  let type = schema.fields[idx].dataType;
  let name = schema.fields[idx].name;
  let metadata = schema.fields[idx].metadata;
  let nullable = schema.fields[idx].nullable;
  const path: number[] = [];
  for (const p of parts.slice(1)) {
    if (type.kind !== 'struct') throw unresolved(rawName, schema);
    const fi = findField(type.fields, p);
    if (fi < 0) throw unresolved(rawName, schema);
    path.push(fi);
    name = type.fields[fi].name;
    metadata = type.fields[fi].metadata;
    nullable = nullable || type.fields[fi].nullable;
    type = type.fields[fi].dataType;
  }
  return { index: idx, path, type, name, metadata, nullable };
}

function literalType(v: unknown): DataType {
  if (v === null || v === undefined) return NULL;
  if (typeof v === 'number') return Number.isInteger(v) ? (Math.abs(v) <= 2147483647 ? INT : LONG) : DOUBLE;
  if (typeof v === 'string') return STRING;
  if (typeof v === 'boolean') return BOOLEAN;
  if (typeof v === 'bigint') return LONG;
  if (v instanceof Uint8Array) return BINARY;
  if (v instanceof Date) return TIMESTAMP;
  if (Array.isArray(v)) return new ArrayType(v.length > 0 ? literalType(v[0]) : NULL);
  return STRING;
}

function literalValue(v: unknown): unknown {
  if (v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return v.getTime() * 1000;
  return v;
}

/** Compiles an expression against `schema`. Aggregates, generators and windows are rejected here (the planner lifts them out first). */
export function compile(e: Expr, schema: StructType, ctx: EvalContext): Compiled {
  return new Compiler(schema, ctx).compile(e);
}

/** A comparable compiled expression plus its coerced operands. */
function coercePair(l: Compiled, r: Compiled): [Compiled, Compiled, DataType] {
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

/** Wraps a compiled expression in a cast. */
export function castTo(c: Compiled, to: DataType): Compiled {
  if (sameType(c.type, to)) return c;
  const cv = caster(c.type, to);
  const f = c.eval;
  return { type: to, nullable: true, name: c.name, metadata: {}, eval: (row) => cv(f(row)) };
}

function numericOperand(c: Compiled): Compiled {
  if (isNumeric(c.type)) return c;
  if (c.type === STRING) return castTo(c, DOUBLE);
  if (c.type === NULL) return castTo(c, INT);
  if (c.type === BOOLEAN) throw new AnalysisException(`[DATATYPE_MISMATCH.BINARY_OP_WRONG_TYPE] Cannot resolve "${c.name}" due to data type mismatch: the binary operator requires the input type "NUMERIC", not "BOOLEAN".`, { code: 'DATATYPE_MISMATCH' });
  return c;
}

const JSON_TS_FORMAT = "yyyy-MM-dd'T'HH:mm:ss.SSS";

/** Set while converting one record when some part of it could not be read (Spark's BadRecordException). */
export interface JsonConversionState {
  bad: boolean;
}

/**
 * Converts a parsed JSON value into the engine's representation for `type`, as Spark 3.5's
 * JacksonParser does with partial results: a struct field that cannot be read becomes null and the
 * rest of the struct is kept; an array or map with an unreadable element is unreadable as a whole;
 * `undefined` means unreadable. `state.bad` records that something was dropped, so the record
 * counts as malformed.
 */
export function fromJsonValue(v: unknown, type: DataType, state: JsonConversionState = { bad: false }): unknown {
  return jsonConverter(type)(v, state);
}

type JsonConverter = (v: unknown, state: JsonConversionState) => unknown;

/** Converters specialised per schema once: `from_json` converts every record with the same one. */
const jsonConverters = new WeakMap<DataType, JsonConverter>();

function jsonConverter(type: DataType): JsonConverter {
  let c = jsonConverters.get(type);
  if (!c) {
    c = buildJsonConverter(type);
    jsonConverters.set(type, c);
  }
  return c;
}

function buildJsonConverter(type: DataType): JsonConverter {
  if (type.kind === 'struct') {
    const names = type.fields.map((f) => f.name);
    const lower = names.map((n) => n.toLowerCase());
    const convs = type.fields.map((f) => jsonConverter(f.dataType));
    const n = names.length;
    return (v, state) => {
      if (v === null || v === undefined) return null;
      if (typeof v !== 'object' || Array.isArray(v)) return undefined;
      const o = v as Record<string, unknown>;
      const out = new Array<unknown>(n);
      for (let i = 0; i < n; i++) {
        const name = names[i];
        // An exact key first; otherwise the first key equal ignoring case, as Spark matches fields.
        const key = name in o ? name : Object.keys(o).find((k) => k.toLowerCase() === lower[i]);
        const x = key === undefined ? null : convs[i](o[key], state);
        if (x === undefined) {
          state.bad = true;
          out[i] = null;
        } else out[i] = x;
      }
      return out;
    };
  }
  if (type.kind === 'array') {
    const el = jsonConverter(type.elementType);
    return (v, state) => {
      if (v === null || v === undefined) return null;
      if (!Array.isArray(v)) return undefined;
      const out = new Array<unknown>(v.length);
      for (let i = 0; i < v.length; i++) {
        const y = el(v[i], state);
        if (y === undefined) return undefined;
        out[i] = y;
      }
      return out;
    };
  }
  if (type.kind === 'map') {
    const val = jsonConverter(type.valueType);
    return (v, state) => {
      if (v === null || v === undefined) return null;
      if (typeof v !== 'object' || Array.isArray(v)) return undefined;
      const out = new Map<string, unknown>();
      for (const [k, x] of Object.entries(v as object)) {
        const y = val(x, state);
        if (y === undefined) return undefined;
        out.set(k, y);
      }
      return out;
    };
  }
  switch (type.name) {
    case 'string': return (v) => (v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v));
    case 'int': case 'bigint': case 'smallint': case 'tinyint':
      return (v) => (v === null || v === undefined ? null : typeof v === 'number' && Number.isInteger(v) ? v : undefined);
    case 'double': case 'float':
      return (v) => {
        if (v === null || v === undefined) return null;
        if (typeof v === 'number') return v;
        // Jackson's non-numeric numbers, which Spark allows by default as strings.
        if (v === 'NaN') return NaN;
        if (v === 'Infinity' || v === '+Infinity' || v === '+INF') return Infinity;
        if (v === '-Infinity' || v === '-INF') return -Infinity;
        return undefined;
      };
    case 'decimal':
      return (v) => (v === null || v === undefined ? null : typeof v === 'number' ? v : undefined);
    case 'boolean': return (v) => (v === null || v === undefined ? null : typeof v === 'boolean' ? v : undefined);
    case 'timestamp': case 'timestamp_ntz':
      return (v) => {
        if (v === null || v === undefined) return null;
        if (typeof v === 'string') return parseTimestamp(v) ?? undefined;
        // A JSON integer is seconds since the epoch; a fractional number is not read.
        if (typeof v === 'number' && Number.isInteger(v)) return v * 1_000_000;
        return undefined;
      };
    case 'date':
      return (v) => {
        if (v === null || v === undefined) return null;
        if (typeof v === 'string') {
          const us = parseTimestamp(v);
          return us === null ? undefined : Math.floor(us / 86_400_000_000);
        }
        return undefined;
      };
    default: return (v) => (v === null || v === undefined ? null : undefined);
  }
}

/** Edit distance between two strings (by UTF-16 code units, as Java's String does). */
function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

/** `date_trunc(unit, ts)` in UTC: null for an unknown unit, as Spark returns. */
function truncateTimestamp(us: number, unit: string): number | null {
  const u = unit.toLowerCase();
  const fixed: Record<string, number> = { microsecond: 1, millisecond: 1_000, second: 1_000_000, minute: 60_000_000, hour: 3_600_000_000, day: 86_400_000_000, dd: 86_400_000_000 };
  if (fixed[u] !== undefined) return Math.floor(us / fixed[u]) * fixed[u];
  const d = new Date(Math.floor(us / 1000));
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  switch (u) {
    case 'week': {
      const day = Math.floor(us / 86_400_000_000);
      // Monday-based weeks; 1970-01-01 was a Thursday.
      return (day - ((day + 3) % 7 + 7) % 7) * 86_400_000_000;
    }
    case 'month': case 'mon': case 'mm': return Date.UTC(y, m, 1) * 1000;
    case 'quarter': return Date.UTC(y, m - (m % 3), 1) * 1000;
    case 'year': case 'yyyy': case 'yy': return Date.UTC(y, 0, 1) * 1000;
    default: return null;
  }
}

/** Converts an engine value into a JSON-ready value, as `to_json` does. */
export function toJsonValue(v: unknown, type: DataType): unknown {
  if (v === null || v === undefined) return null;
  if (type.kind === 'struct') {
    const out: Record<string, unknown> = {};
    type.fields.forEach((f, i) => {
      const x = (v as unknown[])[i];
      if (x !== null && x !== undefined) out[f.name] = toJsonValue(x, f.dataType);
    });
    return out;
  }
  if (type.kind === 'array') return (v as unknown[]).map((x) => toJsonValue(x, type.elementType));
  if (type.kind === 'map') return Object.fromEntries([...(v as Map<unknown, unknown>)].map(([k, x]) => [String(k), toJsonValue(x, type.valueType)]));
  if (type.kind === 'udt') return toJsonValue(type.codec.serialize(v), type.sqlType);
  if (isTimestamp(type)) return `${formatWithPattern(v as number, JSON_TS_FORMAT)}Z`;
  if (type.name === 'date' || type.name === 'binary') return toSparkString(v, type);
  return v;
}

function schemaArg(e: Expr | undefined, fname: string): DataType {
  if (!e || e.kind !== 'lit') throw new AnalysisException(`[INVALID_SCHEMA] The input schema of ${fname} must be a literal DDL string or a StructType.`, { code: 'INVALID_SCHEMA' });
  const v = e.value;
  if (v instanceof StructType) return v;
  if (typeof v === 'string') return parseDataType(v);
  if (v && typeof v === 'object' && 'kind' in v) return v as DataType;
  throw new AnalysisException(`[INVALID_SCHEMA] The input schema of ${fname} must be a literal DDL string or a StructType.`, { code: 'INVALID_SCHEMA' });
}

function likeToRegex(p: string): RegExp {
  let re = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\' && i + 1 < p.length) re += p[++i].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (c === '%') re += '[\\s\\S]*';
    else if (c === '_') re += '[\\s\\S]';
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Java pattern syntax mostly matches JS; `(?i)` style flags are lifted to JS flags. */
function javaRegex(p: string): RegExp {
  const m = /^\(\?([imsx]+)\)/.exec(p);
  return m ? new RegExp(p.slice(m[0].length), m[1].replace('x', '')) : new RegExp(p);
}

class Compiler {
  constructor(private readonly schema: StructType, private readonly ctx: EvalContext) {}

  compile(e: Expr): Compiled {
    const c = this.inner(e);
    return c;
  }

  private mk(type: DataType, name: string, evalFn: (row: Row) => unknown, metadata: FieldMetadata = {}, nullable = true): Compiled {
    return { type, name, eval: evalFn, metadata, nullable };
  }

  private inner(e: Expr): Compiled {
    switch (e.kind) {
      case 'col': {
        const r = resolveColumn(this.schema, e.name);
        const i = r.index;
        const path = r.path;
        let f: (row: Row) => unknown;
        if (path.length === 0) f = (row) => row[i];
        else if (path.length === 1) {
          const p0 = path[0];
          f = (row) => {
            const s = row[i] as unknown[] | null;
            return s === null ? null : s[p0];
          };
        } else {
          f = (row) => {
            let v = row[i] as unknown;
            for (const p of path) {
              if (v === null) return null;
              v = (v as unknown[])[p];
            }
            return v;
          };
        }
        return this.mk(r.type, r.name, f, r.metadata, r.nullable);
      }
      case 'lit': {
        const v = literalValue(e.value);
        const type = e.type ?? literalType(e.value);
        return this.mk(type, exprName(e), () => v, {}, v === null);
      }
      case 'alias': {
        const c = this.inner(e.expr);
        return { ...c, name: e.name };
      }
      case 'cast': {
        const c = this.inner(e.expr);
        const out = castTo(c, e.to);
        return { ...out, name: exprName(e), metadata: sameType(c.type, e.to) ? c.metadata : {} };
      }
      case 'field': {
        const c = this.inner(e.expr);
        if (c.type.kind !== 'struct') throw new AnalysisException(`[INVALID_EXTRACT_BASE_FIELD_TYPE] Can't extract a value from "${exprSql(e.expr)}". Need a complex type [STRUCT, ARRAY, MAP] but got "${c.type.simpleString().toUpperCase()}".`, { code: 'INVALID_EXTRACT_BASE_FIELD_TYPE' });
        const fi = findField(c.type.fields, e.name);
        if (fi < 0) throw new AnalysisException(`[FIELD_NOT_FOUND] No such struct field \`${e.name}\` in ${c.type.fields.map((f) => `\`${f.name}\``).join(', ')}.`, { code: 'FIELD_NOT_FOUND' });
        const f = c.eval;
        return this.mk(c.type.fields[fi].dataType, c.type.fields[fi].name, (row) => {
          const s = f(row) as unknown[] | null;
          return s === null ? null : s[fi];
        }, c.type.fields[fi].metadata);
      }
      case 'index': {
        const c = this.inner(e.expr);
        const idx = this.inner(e.index);
        const f = c.eval;
        const g = idx.eval;
        if (c.type.kind === 'array') {
          return this.mk(c.type.elementType, exprSql(e), (row) => {
            const a = f(row) as unknown[] | null;
            const i = g(row) as number | null;
            if (a === null || i === null || i < 0 || i >= a.length) return null;
            return a[i];
          });
        }
        if (c.type.kind === 'map') {
          return this.mk(c.type.valueType, exprSql(e), (row) => {
            const m = f(row) as Map<unknown, unknown> | null;
            return m === null ? null : (m.get(g(row)) ?? null);
          });
        }
        if (c.type.kind === 'struct' && e.index.kind === 'lit' && typeof e.index.value === 'string') {
          return this.inner({ kind: 'field', expr: e.expr, name: e.index.value });
        }
        throw new AnalysisException(`[DATATYPE_MISMATCH] Cannot index into "${exprSql(e.expr)}" of type ${c.type.simpleString()}.`, { code: 'DATATYPE_MISMATCH' });
      }
      case 'not': {
        const c = castTo(this.inner(e.expr), BOOLEAN);
        const f = c.eval;
        return this.mk(BOOLEAN, exprSql(e), (row) => {
          const v = f(row);
          return v === null ? null : !v;
        });
      }
      case 'neg': {
        const c = numericOperand(this.inner(e.expr));
        const f = c.eval;
        const wrap = c.type === INT;
        return this.mk(c.type, exprSql(e), (row) => {
          const v = f(row) as number | null;
          return v === null ? null : wrap ? -v | 0 : -v;
        });
      }
      case 'isnull': {
        const f = this.inner(e.expr).eval;
        return e.negated
          ? this.mk(BOOLEAN, exprSql(e), (row) => f(row) !== null, {}, false)
          : this.mk(BOOLEAN, exprSql(e), (row) => f(row) === null, {}, false);
      }
      case 'binary': return this.binary(e);
      case 'case': {
        const branches = e.branches.map(([c, v]) => [castTo(this.inner(c), BOOLEAN), this.inner(v)] as const);
        const other = e.otherwise ? this.inner(e.otherwise) : undefined;
        let type: DataType = NULL;
        for (const [, v] of branches) type = mergeTypes(type, v.type);
        if (other) type = mergeTypes(type, other.type);
        const conds = branches.map(([c]) => c.eval);
        const vals = branches.map(([, v]) => castTo(v, type).eval);
        const o = other ? castTo(other, type).eval : () => null;
        const n = conds.length;
        return this.mk(type, exprSql(e), (row) => {
          for (let i = 0; i < n; i++) if (conds[i](row) === true) return vals[i](row);
          return o(row);
        });
      }
      case 'in': {
        const c = this.inner(e.expr);
        const list = e.list.map((x) => coercePair(c, this.inner(x)));
        const lf = list.map(([a, b]) => [a.eval, b.eval] as const);
        const neg = e.negated;
        return this.mk(BOOLEAN, exprSql(e), (row) => {
          let sawNull = false;
          for (const [a, b] of lf) {
            const x = a(row);
            if (x === null) return null;
            const y = b(row);
            if (y === null) sawNull = true;
            else if (valuesEqual(x, y)) return !neg;
          }
          return sawNull ? null : neg;
        });
      }
      case 'like': {
        const c = castTo(this.inner(e.expr), STRING).eval;
        const p = castTo(this.inner(e.pattern), STRING);
        const neg = e.negated;
        const constant = e.pattern.kind === 'lit' && typeof e.pattern.value === 'string' ? likeToRegex(e.pattern.value) : null;
        const pf = p.eval;
        return this.mk(BOOLEAN, exprSql(e), (row) => {
          const s = c(row) as string | null;
          if (s === null) return null;
          const re = constant ?? (pf(row) === null ? null : likeToRegex(pf(row) as string));
          if (re === null) return null;
          return re.test(s) !== neg;
        });
      }
      case 'between': {
        const ge = this.binary({ kind: 'binary', op: '>=', left: e.expr, right: e.low });
        const le = this.binary({ kind: 'binary', op: '<=', left: e.expr, right: e.high });
        const a = ge.eval;
        const b = le.eval;
        const neg = e.negated;
        return this.mk(BOOLEAN, exprSql(e), (row) => {
          const x = a(row);
          const y = b(row);
          const r = x === false || y === false ? false : x === null || y === null ? null : true;
          return r === null ? null : r !== neg;
        });
      }
      case 'call': return this.call(e);
      case 'udf': {
        const args = e.args.map((a) => this.inner(a).eval);
        const fn = e.fn;
        return this.mk(e.returnType, exprSql(e), (row) => {
          const v = fn(...args.map((a) => a(row)));
          return v === undefined ? null : v;
        });
      }
      case 'star':
        throw new AnalysisException(`[INVALID_USAGE_OF_STAR_OR_REGEX] Invalid usage of '*' in expression.`, { code: 'INVALID_USAGE_OF_STAR_OR_REGEX' });
      case 'sort':
        return this.inner(e.expr);
    }
  }

  private binary(e: Extract<Expr, { kind: 'binary' }>): Compiled {
    const name = exprSql(e);
    const op = e.op;
    if (op === 'and' || op === 'or') {
      const l = castTo(this.inner(e.left), BOOLEAN).eval;
      const r = castTo(this.inner(e.right), BOOLEAN).eval;
      if (op === 'and') {
        return this.mk(BOOLEAN, name, (row) => {
          const a = l(row);
          if (a === false) return false;
          const b = r(row);
          if (b === false) return false;
          return a === null || b === null ? null : true;
        });
      }
      return this.mk(BOOLEAN, name, (row) => {
        const a = l(row);
        if (a === true) return true;
        const b = r(row);
        if (b === true) return true;
        return a === null || b === null ? null : false;
      });
    }
    if (op === '||') {
      const l = castTo(this.inner(e.left), STRING).eval;
      const r = castTo(this.inner(e.right), STRING).eval;
      return this.mk(STRING, name, (row) => {
        const a = l(row);
        const b = r(row);
        return a === null || b === null ? null : (a as string) + (b as string);
      });
    }
    const lc = this.inner(e.left);
    const rc = this.inner(e.right);
    if (op === '=' || op === '!=' || op === '<' || op === '<=' || op === '>' || op === '>=' || op === '<=>') {
      const [l2, r2] = coercePair(lc, rc);
      const l = l2.eval;
      const r = r2.eval;
      if (op === '<=>') return this.mk(BOOLEAN, name, (row) => {
        const a = l(row);
        const b = r(row);
        if (a === null || b === null) return a === b;
        return valuesEqual(a, b);
      }, {}, false);
      const test = op === '=' ? (c: number) => c === 0 : op === '!=' ? (c: number) => c !== 0 : op === '<' ? (c: number) => c < 0
        : op === '<=' ? (c: number) => c <= 0 : op === '>' ? (c: number) => c > 0 : (c: number) => c >= 0;
      if (op === '=') return this.mk(BOOLEAN, name, (row) => {
        const a = l(row);
        if (a === null) return null;
        const b = r(row);
        if (b === null) return null;
        return a === b || valuesEqual(a, b);
      });
      return this.mk(BOOLEAN, name, (row) => {
        const a = l(row);
        if (a === null) return null;
        const b = r(row);
        if (b === null) return null;
        return test(compareValues(a, b));
      });
    }
    // Arithmetic. Timestamp +/- interval literal is supported for `ts + INTERVAL '5 seconds'`.
    if ((op === '+' || op === '-') && isTimestamp(lc.type) && e.right.kind === 'call' && e.right.name === 'interval_literal') {
      const iv = parseInterval(String((e.right.args[0] as { value: unknown }).value));
      const sign = op === '+' ? 1 : -1;
      const l = lc.eval;
      return this.mk(lc.type, name, (row) => {
        const a = l(row) as number | null;
        return a === null ? null : addInterval(a, iv, sign);
      });
    }
    const l1 = numericOperand(lc);
    const r1 = numericOperand(rc);
    const l = l1.eval;
    const r = r1.eval;
    if (op === '/') {
      return this.mk(DOUBLE, name, (row) => {
        const a = l(row) as number | null;
        const b = r(row) as number | null;
        if (a === null || b === null || b === 0) return null;
        return a / b;
      });
    }
    const type = widerNumeric(l1.type, r1.type);
    const integral = isIntegral(type);
    const int32 = type === INT || (type.kind === 'atomic' && (type.name === 'smallint' || type.name === 'tinyint'));
    if (op === 'div') {
      return this.mk(LONG, name, (row) => {
        const a = l(row) as number | null;
        const b = r(row) as number | null;
        if (a === null || b === null || b === 0) return null;
        return Math.trunc(a / b);
      });
    }
    if (op === '%') {
      return this.mk(type, name, (row) => {
        const a = l(row) as number | null;
        const b = r(row) as number | null;
        if (a === null || b === null || b === 0) return null;
        return a % b;
      });
    }
    const fn = op === '+' ? (a: number, b: number) => a + b : op === '-' ? (a: number, b: number) => a - b : (a: number, b: number) => a * b;
    if (int32) return this.mk(type, name, (row) => {
      const a = l(row) as number | null;
      if (a === null) return null;
      const b = r(row) as number | null;
      return b === null ? null : op === '*' ? Math.imul(a, b) : fn(a, b) | 0;
    });
    void integral;
    return this.mk(type, name, (row) => {
      const a = l(row) as number | null;
      if (a === null) return null;
      const b = r(row) as number | null;
      return b === null ? null : fn(a, b);
    });
  }

  /** A two-argument function that is null when either argument is. */
  private strict2<A, B>(type: DataType, name: string, a: Compiled, b: Compiled, f: (x: A, y: B) => unknown): Compiled {
    const fa = a.eval;
    const fb = b.eval;
    return this.mk(type, name, (row) => {
      const x = fa(row);
      if (x === null) return null;
      const y = fb(row);
      return y === null ? null : f(x as A, y as B);
    });
  }

  /**
   * The general `from_json` of one non-null text: `JSON.parse`, then the schema's converter, with
   * PERMISSIVE partial results and malformed counting (or FAILFAST's error).
   */
  private fromJsonText(type: DataType, args: readonly Expr[]): (s: string) => unknown {
    const failFast = args.length > 2 && /FAILFAST/i.test(JSON.stringify((args[2] as { value?: unknown }).value ?? ''));
    const allNull = type.kind === 'struct' ? () => type.fields.map(() => null) : () => null;
    const convert = jsonConverter(type);
    const state: JsonConversionState = { bad: false };
    return (s) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(s);
      } catch {
        if (failFast) throw new AnalysisException(`[MALFORMED_RECORD_IN_PARSING] Malformed records are detected in record parsing: ${s}. Parse Mode: FAILFAST.`, { code: 'MALFORMED_RECORD_IN_PARSING' });
        noteMalformed(this.ctx, s);
        return allNull();
      }
      state.bad = false;
      const v = convert(parsed, state);
      if (v === undefined || state.bad) {
        if (failFast) throw new AnalysisException(`[MALFORMED_RECORD_IN_PARSING] Malformed records are detected in record parsing: ${s}. Parse Mode: FAILFAST.`, { code: 'MALFORMED_RECORD_IN_PARSING' });
        noteMalformed(this.ctx, s);
        // Fields that could be read are kept (Spark 3.5's partial results).
        if (v === undefined) return allNull();
      }
      return v;
    };
  }

  private call(e: Extract<Expr, { kind: 'call' }>): Compiled {
    const name = exprSql(e);
    const args = e.args;
    const arg = (i: number): Compiled => {
      if (i >= args.length) throw wrongArgs(e.name, args.length);
      return this.inner(args[i]);
    };
    const strict1 = (type: DataType, c: Compiled, f: (v: any) => unknown): Compiled => {
      const g = c.eval;
      return this.mk(type, name, (row) => {
        const v = g(row);
        return v === null ? null : f(v);
      });
    };
    switch (e.name) {
      case 'lit': return arg(0);
      case 'col': case 'column': {
        const a = args[0];
        if (a?.kind !== 'lit' || typeof a.value !== 'string') throw wrongArgs(e.name, args.length);
        return this.inner({ kind: 'col', name: a.value });
      }
      case 'coalesce': case 'nvl': case 'ifnull': {
        const cs = args.map((a) => this.inner(a));
        let type: DataType = NULL;
        for (const c of cs) type = mergeTypes(type, c.type);
        const fs = cs.map((c) => castTo(c, type).eval);
        return this.mk(type, name, (row) => {
          for (const f of fs) {
            const v = f(row);
            if (v !== null) return v;
          }
          return null;
        });
      }
      case 'isnull': return this.inner({ kind: 'isnull', expr: args[0], negated: false });
      case 'isnotnull': return this.inner({ kind: 'isnull', expr: args[0], negated: true });
      case 'round': case 'bround': {
        const c = numericOperand(arg(0));
        const scale = args.length > 1 ? Number((args[1] as { value?: unknown }).value ?? 0) : 0;
        const p = 10 ** scale;
        const halfEven = e.name === 'bround';
        return strict1(c.type, c, (v: number) => {
          if (!Number.isFinite(v)) return v;
          // HALF_UP (round) or HALF_EVEN (bround) on the decimal representation, as Java's BigDecimal does.
          const shifted = Number(`${Math.abs(v)}e${scale}`);
          let whole = Math.round(shifted);
          if (halfEven && shifted % 1 === 0.5 && whole % 2 === 1) whole -= 1;
          const r = Math.sign(v) * Number(`${whole}e${-scale}`);
          return Number.isNaN(r) ? Math.round(v * p) / p : r;
        });
      }
      // Math, as java.lang.Math computes it.
      case 'log10': return strict1(DOUBLE, numericOperand(arg(0)), (v: number) => (v <= 0 ? null : Math.log10(v)));
      case 'log2': return strict1(DOUBLE, numericOperand(arg(0)), (v: number) => (v <= 0 ? null : Math.log2(v)));
      case 'log1p': return strict1(DOUBLE, numericOperand(arg(0)), (v: number) => (v <= -1 ? null : Math.log1p(v)));
      case 'cbrt': return strict1(DOUBLE, numericOperand(arg(0)), Math.cbrt);
      case 'signum': case 'sign': return strict1(DOUBLE, numericOperand(arg(0)), (v: number) => (Number.isNaN(v) ? NaN : Math.sign(v) + 0));
      case 'degrees': return strict1(DOUBLE, numericOperand(arg(0)), (v: number) => (v * 180) / Math.PI);
      case 'radians': return strict1(DOUBLE, numericOperand(arg(0)), (v: number) => (v / 180) * Math.PI);
      case 'sin': return strict1(DOUBLE, numericOperand(arg(0)), Math.sin);
      case 'cos': return strict1(DOUBLE, numericOperand(arg(0)), Math.cos);
      case 'tan': return strict1(DOUBLE, numericOperand(arg(0)), Math.tan);
      case 'e': return this.mk(DOUBLE, name, () => Math.E, {}, false);
      case 'pi': return this.mk(DOUBLE, name, () => Math.PI, {}, false);
      case 'pmod': {
        const a = numericOperand(arg(0));
        const b = numericOperand(arg(1));
        const type = widerNumeric(a.type, b.type);
        const fa = castTo(a, type).eval;
        const fb = castTo(b, type).eval;
        return this.mk(type, name, (row) => {
          const x = fa(row) as number | null;
          const y = fb(row) as number | null;
          if (x === null || y === null || y === 0) return null;
          const r = x % y;
          return r < 0 ? (r + y) % y : r;
        });
      }
      // Conditionals.
      case 'if': case 'iff': {
        if (args.length !== 3) throw wrongArgs(e.name, args.length);
        return this.inner({ kind: 'case', branches: [[args[0], args[1]]], otherwise: args[2] });
      }
      case 'nullif': {
        const a = arg(0);
        const b = arg(1);
        const fa = a.eval;
        const fb = b.eval;
        return this.mk(a.type, name, (row) => {
          const x = fa(row);
          const y = fb(row);
          return x !== null && y !== null && compareValues(x, y) === 0 ? null : x;
        });
      }
      case 'nvl2': {
        if (args.length !== 3) throw wrongArgs(e.name, args.length);
        return this.inner({ kind: 'case', branches: [[{ kind: 'isnull', expr: args[0], negated: true }, args[1]]], otherwise: args[2] });
      }
      // Strings.
      case 'initcap': return strict1(STRING, castTo(arg(0), STRING), (s: string) => s.toLowerCase().replace(/(^|\s)(\S)/g, (_m, sp: string, ch: string) => sp + ch.toUpperCase()));
      case 'reverse': return strict1(STRING, castTo(arg(0), STRING), (s: string) => [...s].reverse().join(''));
      case 'ascii': return strict1(INT, castTo(arg(0), STRING), (s: string) => (s.length === 0 ? 0 : s.codePointAt(0)!));
      case 'chr': case 'char': return strict1(STRING, castTo(arg(0), LONG), (n: number) => (n < 0 ? '' : String.fromCharCode(n % 256)));
      case 'repeat': return this.strict2(STRING, name, castTo(arg(0), STRING), castTo(arg(1), INT), (s: string, n: number) => (n <= 0 ? '' : s.repeat(n)));
      case 'instr': return this.strict2(INT, name, castTo(arg(0), STRING), castTo(arg(1), STRING), (s: string, sub: string) => s.indexOf(sub) + 1);
      case 'locate': case 'position': {
        const sub = castTo(arg(0), STRING).eval;
        const str = castTo(arg(1), STRING).eval;
        const from = args.length > 2 ? castTo(arg(2), INT).eval : () => 1;
        return this.mk(INT, name, (row) => {
          const p = from(row) as number | null;
          if (p === null) return 0;
          const a = sub(row) as string | null;
          const s = str(row) as string | null;
          if (a === null || s === null) return null;
          return p < 1 ? 0 : s.indexOf(a, p - 1) + 1;
        });
      }
      case 'lpad': case 'rpad': {
        const str = castTo(arg(0), STRING).eval;
        const len = castTo(arg(1), INT).eval;
        const pad = args.length > 2 ? castTo(arg(2), STRING).eval : () => ' ';
        const left = e.name === 'lpad';
        return this.mk(STRING, name, (row) => {
          const s = str(row) as string | null;
          const n = len(row) as number | null;
          const p = pad(row) as string | null;
          if (s === null || n === null || p === null) return null;
          if (n <= s.length) return s.slice(0, Math.max(0, n));
          if (p === '') return s;
          const fill = p.repeat(Math.ceil((n - s.length) / p.length)).slice(0, n - s.length);
          return left ? fill + s : s + fill;
        });
      }
      case 'replace': {
        const str = castTo(arg(0), STRING).eval;
        const search = castTo(arg(1), STRING).eval;
        const by = args.length > 2 ? castTo(arg(2), STRING).eval : () => '';
        return this.mk(STRING, name, (row) => {
          const s = str(row) as string | null;
          const a = search(row) as string | null;
          const b = by(row) as string | null;
          if (s === null || a === null || b === null) return null;
          return a === '' ? s : s.split(a).join(b);
        });
      }
      case 'translate': {
        const str = castTo(arg(0), STRING).eval;
        const from = castTo(arg(1), STRING).eval;
        const to = castTo(arg(2), STRING).eval;
        return this.mk(STRING, name, (row) => {
          const s = str(row) as string | null;
          const f = from(row) as string | null;
          const t = to(row) as string | null;
          if (s === null || f === null || t === null) return null;
          const map = new Map<string, string>();
          [...f].forEach((ch, i) => { if (!map.has(ch)) map.set(ch, [...t][i] ?? ''); });
          return [...s].map((ch) => map.get(ch) ?? ch).join('');
        });
      }
      // Dates.
      case 'date_add': case 'date_sub': {
        const sign = e.name === 'date_add' ? 1 : -1;
        return this.strict2(DATE, name, castTo(arg(0), DATE), castTo(arg(1), INT), (d: number, n: number) => d + sign * n);
      }
      case 'datediff': return this.strict2(INT, name, castTo(arg(0), DATE), castTo(arg(1), DATE), (a: number, b: number) => a - b);
      case 'date_trunc': {
        const unit = arg(0).eval;
        const ts = castTo(arg(1), TIMESTAMP).eval;
        return this.mk(TIMESTAMP, name, (row) => {
          const u = unit(row) as string | null;
          const t = ts(row) as number | null;
          return u === null || t === null ? null : truncateTimestamp(t, u);
        });
      }
      case 'abs': { const c = numericOperand(arg(0)); return strict1(c.type, c, Math.abs); }
      case 'floor': { const c = numericOperand(arg(0)); return strict1(LONG, c, Math.floor); }
      case 'ceil': case 'ceiling': { const c = numericOperand(arg(0)); return strict1(LONG, c, Math.ceil); }
      case 'sqrt': return strict1(DOUBLE, numericOperand(arg(0)), (v: number) => (v < 0 ? NaN : Math.sqrt(v)));
      case 'exp': return strict1(DOUBLE, numericOperand(arg(0)), Math.exp);
      case 'ln': case 'log': {
        if (args.length === 2) {
          const b = arg(0).eval;
          const x = arg(1).eval;
          return this.mk(DOUBLE, name, (row) => {
            const bb = b(row) as number | null;
            const xx = x(row) as number | null;
            return bb === null || xx === null || bb <= 0 || xx <= 0 ? null : Math.log(xx) / Math.log(bb);
          });
        }
        return strict1(DOUBLE, numericOperand(arg(0)), (v: number) => (v <= 0 ? null : Math.log(v)));
      }
      case 'pow': case 'power': {
        const a = numericOperand(arg(0)).eval;
        const b = numericOperand(arg(1)).eval;
        return this.mk(DOUBLE, name, (row) => {
          const x = a(row) as number | null;
          const y = b(row) as number | null;
          return x === null || y === null ? null : x ** y;
        });
      }
      case 'greatest': case 'least': {
        const cs = args.map((a) => this.inner(a));
        let type: DataType = NULL;
        for (const c of cs) type = mergeTypes(type, c.type);
        const fs = cs.map((c) => castTo(c, type).eval);
        const sign = e.name === 'greatest' ? 1 : -1;
        return this.mk(type, name, (row) => {
          let best: unknown = null;
          for (const f of fs) {
            const v = f(row);
            if (v !== null && (best === null || sign * compareValues(v, best) > 0)) best = v;
          }
          return best;
        });
      }
      case 'upper': case 'ucase': return strict1(STRING, castTo(arg(0), STRING), (v: string) => v.toUpperCase());
      case 'lower': case 'lcase': return strict1(STRING, castTo(arg(0), STRING), (v: string) => v.toLowerCase());
      case 'trim': return strict1(STRING, castTo(arg(0), STRING), (v: string) => v.replace(/^ +| +$/g, ''));
      case 'ltrim': return strict1(STRING, castTo(arg(0), STRING), (v: string) => v.replace(/^ +/, ''));
      case 'rtrim': return strict1(STRING, castTo(arg(0), STRING), (v: string) => v.replace(/ +$/, ''));
      case 'length': case 'char_length': return strict1(INT, castTo(arg(0), STRING), (v: string) => [...v].length);
      case 'substring': case 'substr': {
        const s = castTo(arg(0), STRING).eval;
        const pos = arg(1).eval;
        const len = args.length > 2 ? arg(2).eval : () => Number.MAX_SAFE_INTEGER;
        return this.mk(STRING, name, (row) => {
          const v = s(row) as string | null;
          const p = pos(row) as number | null;
          const l = len(row) as number | null;
          if (v === null || p === null || l === null) return null;
          const chars = [...v];
          const start = p > 0 ? p - 1 : p < 0 ? Math.max(chars.length + p, 0) : 0;
          return chars.slice(start, start + Math.max(l, 0)).join('');
        });
      }
      case 'concat': {
        const fs = args.map((a) => castTo(this.inner(a), STRING).eval);
        return this.mk(STRING, name, (row) => {
          let out = '';
          for (const f of fs) {
            const v = f(row);
            if (v === null) return null;
            out += v as string;
          }
          return out;
        });
      }
      case 'concat_ws': {
        const sep = castTo(arg(0), STRING).eval;
        const parts = args.slice(1).map((a) => this.inner(a));
        const fs = parts.map((p) => (p.type.kind === 'array' ? castArrayToStrings(p) : castTo(p, STRING).eval));
        return this.mk(STRING, name, (row) => {
          const s = sep(row) as string | null;
          if (s === null) return null;
          const out: string[] = [];
          for (const f of fs) {
            const v = f(row);
            if (v === null) continue;
            if (Array.isArray(v)) for (const x of v) { if (x !== null) out.push(x as string); }
            else out.push(v as string);
          }
          return out.join(s);
        });
      }
      case 'split': {
        const s = castTo(arg(0), STRING).eval;
        const p = castTo(arg(1), STRING).eval;
        const limit = args.length > 2 ? arg(2).eval : () => -1;
        return this.mk(new ArrayType(STRING), name, (row) => {
          const v = s(row) as string | null;
          const pat = p(row) as string | null;
          const lim = limit(row) as number;
          if (v === null || pat === null) return null;
          const parts = v.split(javaRegex(pat));
          if (lim > 0 && parts.length > lim) return [...parts.slice(0, lim - 1), v.split(javaRegex(pat)).slice(lim - 1).join(pat)];
          // Java's String.split with limit <= 0 drops trailing empty strings only when limit == 0; Spark uses -1.
          return parts;
        });
      }
      case 'regexp_replace': {
        const s = castTo(arg(0), STRING).eval;
        const p = castTo(arg(1), STRING).eval;
        const r = castTo(arg(2), STRING).eval;
        return this.mk(STRING, name, (row) => {
          const v = s(row) as string | null;
          const pat = p(row) as string | null;
          const rep = r(row) as string | null;
          if (v === null || pat === null || rep === null) return null;
          const re = javaRegex(pat);
          return v.replace(new RegExp(re.source, `${re.flags}g`), rep.replace(/\$(\d)/g, '$$$1'));
        });
      }
      case 'regexp_extract': {
        const s = castTo(arg(0), STRING).eval;
        const p = castTo(arg(1), STRING).eval;
        const idx = args.length > 2 ? arg(2).eval : () => 1;
        return this.mk(STRING, name, (row) => {
          const v = s(row) as string | null;
          const pat = p(row) as string | null;
          if (v === null || pat === null) return null;
          const m = javaRegex(pat).exec(v);
          return m ? (m[idx(row) as number] ?? '') : '';
        });
      }
      case 'rlike': {
        const s = castTo(arg(0), STRING).eval;
        const p = castTo(arg(1), STRING).eval;
        return this.mk(BOOLEAN, name, (row) => {
          const v = s(row) as string | null;
          const pat = p(row) as string | null;
          return v === null || pat === null ? null : javaRegex(pat).test(v);
        });
      }
      case 'size': case 'cardinality': {
        const f = arg(0).eval;
        return this.mk(INT, name, (row) => {
          const v = f(row);
          if (v === null) return -1;
          return v instanceof Map ? v.size : (v as unknown[]).length;
        }, {}, false);
      }
      case 'array': {
        const cs = args.map((a) => this.inner(a));
        let type: DataType = NULL;
        for (const c of cs) type = mergeTypes(type, c.type);
        const fs = cs.map((c) => castTo(c, type).eval);
        return this.mk(new ArrayType(type === NULL ? STRING : type), name, (row) => fs.map((f) => f(row)), {}, false);
      }
      case 'element_at': {
        const a = arg(0);
        const i = arg(1).eval;
        const f = a.eval;
        if (a.type.kind === 'map') return this.mk(a.type.valueType, name, (row) => {
          const m = f(row) as Map<unknown, unknown> | null;
          return m === null ? null : (m.get(i(row)) ?? null);
        });
        const et = a.type.kind === 'array' ? a.type.elementType : NULL;
        return this.mk(et, name, (row) => {
          const arr = f(row) as unknown[] | null;
          const k = i(row) as number | null;
          if (arr === null || k === null) return null;
          const j = k > 0 ? k - 1 : arr.length + k;
          return arr[j] ?? null;
        });
      }
      case 'array_contains': {
        const a = arg(0).eval;
        const v = arg(1).eval;
        return this.mk(BOOLEAN, name, (row) => {
          const arr = a(row) as unknown[] | null;
          const x = v(row);
          if (arr === null || x === null) return null;
          return arr.some((y) => valuesEqual(y, x));
        });
      }
      case 'struct': case 'named_struct': {
        const pairs: [string, Compiled][] = [];
        if (e.name === 'named_struct') {
          for (let i = 0; i + 1 < args.length; i += 2) pairs.push([String((args[i] as { value?: unknown }).value), this.inner(args[i + 1])]);
        } else {
          args.forEach((a, i) => {
            const c = this.inner(a);
            pairs.push([a.kind === 'col' || a.kind === 'alias' || a.kind === 'field' ? c.name : `col${i + 1}`, c]);
          });
        }
        const type = new StructType(pairs.map(([n, c]) => new StructField(n, c.type, c.nullable, c.metadata)));
        const fs = pairs.map(([, c]) => c.eval);
        return this.mk(type, name, (row) => fs.map((f) => f(row)), {}, false);
      }
      case 'window_time': {
        const c = arg(0);
        if (c.type.kind !== 'struct' || c.type.fields.length < 2) throw new AnalysisException(`[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] window_time requires a window column produced by window() or session_window().`, { code: 'DATATYPE_MISMATCH' });
        const f = c.eval;
        return this.mk(c.type.fields[1].dataType, 'window_time', (row) => {
          const w = f(row) as unknown[] | null;
          return w === null || w[1] === null ? null : (w[1] as number) - 1;
        }, c.metadata);
      }
      case 'current_timestamp': case 'now': {
        const ctx = this.ctx;
        return this.mk(TIMESTAMP, 'current_timestamp()', () => ctx.batchTimestampMs * 1000, {}, false);
      }
      case 'current_date': {
        const ctx = this.ctx;
        return this.mk(DATE, 'current_date()', () => Math.floor(ctx.batchTimestampMs / 86_400_000), {}, false);
      }
      case 'date_format': {
        const ts = toTimestampCompiled(arg(0));
        const fmt = castTo(arg(1), STRING).eval;
        return this.mk(STRING, name, (row) => {
          const t = ts(row) as number | null;
          const f = fmt(row) as string | null;
          return t === null || f === null ? null : formatWithPattern(t, f);
        });
      }
      case 'to_timestamp': {
        const c = arg(0);
        if (args.length > 1) {
          const s = castTo(c, STRING).eval;
          const fmt = castTo(arg(1), STRING).eval;
          return this.mk(TIMESTAMP, name, (row) => {
            const v = s(row) as string | null;
            const f = fmt(row) as string | null;
            return v === null || f === null ? null : parseWithPattern(v, f);
          });
        }
        return { ...castTo(c, TIMESTAMP), name };
      }
      case 'to_date': {
        if (args.length > 1) {
          const s = castTo(arg(0), STRING).eval;
          const fmt = castTo(arg(1), STRING).eval;
          return this.mk(DATE, name, (row) => {
            const v = s(row) as string | null;
            const f = fmt(row) as string | null;
            if (v === null || f === null) return null;
            const t = parseWithPattern(v, f);
            return t === null ? null : Math.floor(t / 86_400_000_000);
          });
        }
        return { ...castTo(arg(0), DATE), name };
      }
      case 'timestamp_seconds': return { ...castTo(arg(0), TIMESTAMP), name };
      case 'timestamp_millis': return strict1(TIMESTAMP, arg(0), (v: number) => v * 1000);
      case 'timestamp_micros': return strict1(TIMESTAMP, arg(0), (v: number) => v);
      case 'unix_micros': return strict1(LONG, castTo(arg(0), TIMESTAMP), (v: number) => v);
      case 'unix_millis': return strict1(LONG, castTo(arg(0), TIMESTAMP), (v: number) => Math.floor(v / 1000));
      case 'unix_seconds': return strict1(LONG, castTo(arg(0), TIMESTAMP), (v: number) => Math.floor(v / 1_000_000));
      case 'unix_timestamp': {
        if (args.length === 0) {
          const ctx = this.ctx;
          return this.mk(LONG, name, () => Math.floor(ctx.batchTimestampMs / 1000));
        }
        const c = arg(0);
        if (args.length > 1 && c.type === STRING) {
          const s = c.eval;
          const fmt = castTo(arg(1), STRING).eval;
          return this.mk(LONG, name, (row) => {
            const v = s(row) as string | null;
            const f = fmt(row) as string | null;
            if (v === null || f === null) return null;
            const t = parseWithPattern(v, f);
            return t === null ? null : Math.floor(t / 1_000_000);
          });
        }
        const ts = toTimestampCompiled(c);
        return this.mk(LONG, name, (row) => {
          const t = ts(row) as number | null;
          return t === null ? null : Math.floor(t / 1_000_000);
        });
      }
      case 'from_unixtime': {
        const c = arg(0).eval;
        const fmt = args.length > 1 ? castTo(arg(1), STRING).eval : () => 'yyyy-MM-dd HH:mm:ss';
        return this.mk(STRING, name, (row) => {
          const v = c(row) as number | null;
          const f = fmt(row) as string | null;
          return v === null || f === null ? null : formatWithPattern(Math.floor(v) * 1_000_000, f);
        });
      }
      case 'year': case 'month': case 'dayofmonth': case 'day': case 'hour': case 'minute': case 'second': case 'dayofweek': {
        const ts = toTimestampCompiled(arg(0));
        const part = e.name;
        return this.mk(INT, name, (row) => {
          const t = ts(row) as number | null;
          if (t === null) return null;
          const d = new Date(Math.floor(t / 1000));
          switch (part) {
            case 'year': return d.getUTCFullYear();
            case 'month': return d.getUTCMonth() + 1;
            case 'hour': return d.getUTCHours();
            case 'minute': return d.getUTCMinutes();
            case 'second': return d.getUTCSeconds();
            case 'dayofweek': return d.getUTCDay() + 1;
            default: return d.getUTCDate();
          }
        });
      }
      case 'from_json': {
        const text = castTo(arg(0), STRING).eval;
        const type = schemaArg(args[1], 'from_json');
        const general = this.fromJsonText(type, args);
        // CAST(<binary> AS STRING), as Kafka values arrive: flat records are read from the bytes,
        // and whatever that reader is not sure of goes the general way.
        const a0 = args[0];
        const bytesArg = a0.kind === 'cast' && sameType(a0.to, STRING) ? this.inner(a0.expr) : undefined;
        const reader = bytesArg !== undefined && sameType(bytesArg.type, BINARY) ? jsonBytesReader(type) : null;
        if (bytesArg !== undefined && reader !== null) {
          const bytes = bytesArg.eval;
          return this.mk(type, name, (row) => {
            const b = bytes(row) as Uint8Array | null;
            if (b === null) return null;
            const v = reader(b);
            return v !== undefined ? v : general(fromUtf8(b));
          });
        }
        return this.mk(type, name, (row) => {
          const s = text(row) as string | null;
          return s === null ? null : general(s);
        });
      }
      case 'to_json': {
        const c = arg(0);
        const f = c.eval;
        const t = c.type;
        return this.mk(STRING, name, (row) => {
          const v = f(row);
          return v === null ? null : jsonText(v, t);
        });
      }
      case 'hash': {
        // Murmur3 with seed 42, each argument folded into the last (nulls skipped), as Spark does.
        const cs = args.map((a) => this.inner(a));
        return this.mk(INT, name, (row) => {
          let h = 42;
          for (const c of cs) h = hashValue(c.eval(row), c.type, h);
          return h;
        }, {}, false);
      }
      case 'crc32': return strict1(LONG, castTo(arg(0), BINARY), (b: Uint8Array) => crc32(b));
      case 'md5': return strict1(STRING, castTo(arg(0), BINARY), (b: Uint8Array) => md5(b));
      case 'sha1': case 'sha': return strict1(STRING, castTo(arg(0), BINARY), (b: Uint8Array) => sha1(b));
      case 'sha2': {
        const bits = Number((args[1] as { value?: unknown } | undefined)?.value);
        // Spark: 0 means 256; 384 and 512 are not offered here; any other length gives null.
        const n = bits === 0 ? 256 : bits;
        if (n !== 224 && n !== 256) return this.mk(STRING, name, () => null);
        return strict1(STRING, castTo(arg(0), BINARY), (b: Uint8Array) => sha2(b, n));
      }
      case 'hex': {
        const c = arg(0);
        if (c.type === STRING || c.type === BINARY) return strict1(STRING, castTo(c, BINARY), (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('').toUpperCase());
        return strict1(STRING, castTo(c, LONG), (v: number) => BigInt.asUintN(64, BigInt(v)).toString(16).toUpperCase());
      }
      case 'bin': return strict1(STRING, castTo(arg(0), LONG), (v: number) => BigInt.asUintN(64, BigInt(v)).toString(2));
      case 'levenshtein': return this.strict2(INT, name, castTo(arg(0), STRING), castTo(arg(1), STRING), levenshtein);
      case 'base64': return strict1(STRING, castTo(arg(0), BINARY), (b: Uint8Array) => base64(b));
      case 'typeof': {
        const t = arg(0).type.simpleString();
        return this.mk(STRING, name, () => t, {}, false);
      }
      case 'format_number': {
        const v = numericOperand(arg(0)).eval;
        const d = castTo(arg(1), INT).eval;
        return this.mk(STRING, name, (row) => {
          const x = v(row) as number | null;
          const n = d(row) as number | null;
          return x === null || n === null || n < 0 ? null : formatNumber(x, n);
        });
      }
      case 'format_string': case 'printf': {
        if (args.length === 0) throw wrongArgs(e.name, 0);
        const cs = args.map((a) => this.inner(a));
        return this.mk(STRING, name, (row) => {
          const fmt = cs[0].eval(row) as string | null;
          if (fmt === null) return null;
          return javaFormat(String(fmt), cs.slice(1).map((c) => ({ value: c.eval(row), type: c.type })));
        });
      }
      case 'interval_literal': {
        // Kept as its text: session_window gaps and timestamp arithmetic read it from there.
        const text = String((args[0] as { value?: unknown }).value);
        parseInterval(text);
        return this.mk(STRING, `INTERVAL '${text}'`, () => text, {}, false);
      }
      case 'window': case 'session_window':
        throw new AnalysisException(`[UNSUPPORTED_EXPR_FOR_OPERATOR] ${e.name}() may only be used as a top-level expression of select() or groupBy().`, { code: 'UNSUPPORTED_EXPR_FOR_OPERATOR' });
      case 'explode': case 'explode_outer': case 'posexplode':
        throw new AnalysisException(`[UNSUPPORTED_GENERATOR.OUTSIDE_SELECT] The generator is not supported: outside the SELECT clause, found: ${name}.`, { code: 'UNSUPPORTED_GENERATOR.OUTSIDE_SELECT' });
      default:
        if (['count', 'sum', 'avg', 'mean', 'min', 'max', 'first', 'last', 'collect_list', 'collect_set', 'approx_count_distinct'].includes(e.name)) {
          throw new AnalysisException(`[MISSING_GROUP_BY] The query does not include a GROUP BY clause. Add GROUP BY or turn it into the window functions using OVER clauses.`, { code: 'MISSING_GROUP_BY' });
        }
        throw new AnalysisException(`[UNRESOLVED_ROUTINE] Cannot resolve function \`${e.name}\` on search path [\`system\`.\`builtin\`, \`system\`.\`session\`].`, { code: 'UNRESOLVED_ROUTINE' });
    }
  }
}

function castArrayToStrings(c: Compiled): (row: Row) => unknown {
  const f = c.eval;
  const et = (c.type as ArrayType).elementType;
  return (row) => {
    const a = f(row) as unknown[] | null;
    return a === null ? null : a.map((x) => (x === null ? null : toSparkString(x, et)));
  };
}

function toTimestampCompiled(c: Compiled): (row: Row) => unknown {
  if (isTimestamp(c.type)) return c.eval;
  return castTo(c, TIMESTAMP).eval;
}

function wrongArgs(fn: string, n: number): AnalysisException {
  return new AnalysisException(`[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The \`${fn}\` requires a different number of parameters but the actual number is ${n}.`, { code: 'WRONG_NUM_ARGS' });
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

export { fromUtf8, utf8 };
