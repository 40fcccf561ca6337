/**
 * Resolves expressions against a schema and compiles them, once, into closures over row arrays.
 * Type coercion follows Spark's non-ANSI rules: integral arithmetic stays integral (int wraps),
 * `/` is always double, comparisons between strings and numbers/timestamps cast the string.
 * Function calls go through the function registry (`functions/registry.ts`): the entry checks and
 * coerces the arguments and builds the closure; every function returns NULL on NULL input unless
 * Spark says otherwise (coalesce, concat_ws).
 */
import { castTo, coercePair, numericOperand, mergeTypes, type Compiled, type EvalContext, type Row } from './compiled.js';
import { AnalysisException } from '../errors.js';
import { exprName, exprSql } from './expr-names.js';
import type { Expr } from './expr.js';
import { arity, paramAt, type CallContext, type CompiledLambda, type FunctionSpec } from '../functions/function-spec.js';
import { coerceArgument } from '../functions/input-types.js';
import { functionRegistry } from '../functions/registry.js';
import { wrongArgs } from '../functions/wrong-args.js';
import {
  ArrayType, BINARY, BOOLEAN, DATE, DOUBLE, INT, LONG, NULL, STRING, StructField, StructType, TIMESTAMP,
  isIntegral, isNumeric, isTimestamp, sameType, widerNumeric, type DataType, type FieldMetadata,
} from '../types.js';
import { bytesOf } from '../rows.js';
import { compareValues, fromUtf8, utf8, valuesEqual } from '../values.js';
import { addInterval, parseInterval } from '../time.js';
import { localToUtcMicros, sessionZone, UTC_ZONE } from '../time-zone.js';

export type { Compiled, EvalContext, MalformedRecords, Row } from './compiled.js';
export { castTo, MALFORMED_SAMPLE_CAP, mergeTypes } from './compiled.js';
export { fromJsonNode, toJsonValue, type JsonConversionState } from '../functions/json.js';

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
  if (bytesOf(v)) return BINARY;
  if (v instanceof Date) return TIMESTAMP;
  if (Array.isArray(v)) return new ArrayType(v.length > 0 ? literalType(v[0]) : NULL);
  return STRING;
}

/** The units an interval text is written in, singular (`3 days 2 hours` has day and hour). */
function intervalUnits(text: string): string[] {
  return text.toLowerCase().split(/\s+/).filter((w) => /^[a-z]+$/.test(w) && w !== 'interval').map((w) => w.replace(/s$/, ''));
}

function literalValue(v: unknown): unknown {
  if (v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return v.getTime() * 1000;
  return bytesOf(v) ?? v;
}

const INTEGRAL_RANGE: Record<string, readonly [number, number]> = {
  tinyint: [-128, 127], smallint: [-32768, 32767], int: [-2147483648, 2147483647], bigint: [-(2 ** 63), 2 ** 63 - 1],
};

/**
 * `try_cast`: Spark's cast in TRY mode, which reads as ANSI casts do but gives NULL instead of
 * failing. It differs from the non-ANSI cast only for integral targets: a string must be a whole
 * number (`'2.5'` is NULL, not 2) and a value out of the type's range is NULL, not wrapped.
 */
function tryCastTo(c: Compiled, to: DataType): Compiled {
  const range = to.kind === 'atomic' ? INTEGRAL_RANGE[to.name] : undefined;
  if (!range || sameType(c.type, to)) return castTo(c, to);
  const [lo, hi] = range;
  const f = c.eval;
  const fromString = c.type === STRING;
  const fromNumber = isNumeric(c.type);
  const cast = castTo(c, to).eval;
  return {
    ...castTo(c, to),
    eval: (row) => {
      const v = f(row);
      if (v === null) return null;
      if (fromString && !/^\s*[+-]?\d+\s*$/.test(v as string)) return null;
      const n = fromString ? Number(v) : fromNumber && typeof v === 'number' ? Math.trunc(v) : undefined;
      if (n !== undefined && (!Number.isFinite(n) || n < lo || n > hi)) return null;
      return cast(row);
    },
  };
}

/** Compiles an expression against `schema`. Aggregates, generators and windows are rejected here (the planner lifts them out first). */
export function compile(e: Expr, schema: StructType, ctx: EvalContext): Compiled {
  return new Compiler(schema, ctx).compile(e);
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

class Compiler {
  /** The parameters of the lambdas being compiled, innermost last. */
  private readonly scopes: Map<string, { type: DataType; slot: { v: unknown } }>[] = [];

  constructor(private readonly schema: StructType, private readonly ctx: EvalContext) {}

  /** A lambda argument compiled with its parameters bound to slots (see CallContext.lambda). */
  private lambda(e: Expr, fn: string, types: readonly DataType[], arities: readonly number[]): CompiledLambda {
    if (e.kind !== 'lambda') {
      throw new AnalysisException(`[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "${fn}" due to data type mismatch: the function argument "${exprSql(e)}" should be a lambda function (\`x -> …\`).`, { code: 'DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE' });
    }
    if (!arities.includes(e.params.length)) {
      throw new AnalysisException(`[INVALID_LAMBDA_FUNCTION_CALL.NUM_ARGS_MISMATCH] Invalid lambda function call. A higher order function expects ${types.length} arguments, but got ${e.params.length}.`, { code: 'INVALID_LAMBDA_FUNCTION_CALL.NUM_ARGS_MISMATCH' });
    }
    const names = e.params.map((p) => p.toLowerCase());
    if (new Set(names).size !== names.length) {
      throw new AnalysisException(`[INVALID_LAMBDA_FUNCTION_CALL.DUPLICATE_ARG_NAMES] Invalid lambda function call. The lambda function has duplicate arguments ${e.params.map((p) => `\`${p}\``).join(', ')}. Please, consider to rename the argument names or set "spark.sql.caseSensitive" to "true".`, { code: 'INVALID_LAMBDA_FUNCTION_CALL.DUPLICATE_ARG_NAMES' });
    }
    const slots = names.map(() => ({ v: null as unknown }));
    this.scopes.push(new Map(names.map((n, k) => [n, { type: types[k], slot: slots[k] }])));
    try {
      return { body: this.inner(e.body), slots };
    } finally {
      this.scopes.pop();
    }
  }

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
        const out = e.try ? tryCastTo(c, e.to) : castTo(c, e.to);
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
      case 'lambdavar': {
        for (let k = this.scopes.length - 1; k >= 0; k--) {
          const v = this.scopes[k].get(e.name);
          if (v) {
            const slot = v.slot;
            return this.mk(v.type, e.name, () => slot.v);
          }
        }
        throw unresolved(e.name, this.schema);
      }
      case 'lambda':
        throw new AnalysisException(`[INVALID_LAMBDA_FUNCTION_CALL] Invalid lambda function call. A lambda function (${exprSql(e)}) may only be an argument of a higher-order function such as transform or filter.`, { code: 'INVALID_LAMBDA_FUNCTION_CALL' });
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
      case 'over':
        // Projections plan window expressions before compiling (planner.ts); anywhere else is Spark's error.
        throw new AnalysisException(`[UNSUPPORTED_EXPR_FOR_OPERATOR] A window expression (${exprSql(e)}) may only be used in select() or withColumn().`, { code: 'UNSUPPORTED_EXPR_FOR_OPERATOR' });
    }
  }

  /**
   * Date arithmetic as Spark's analyzer rewrites it: `date ± INTERVAL` of days or weeks only is
   * `date_add` (a date), of years or months adds calendar months (a date, the day clamped to the
   * month's end), of hours and finer is the timestamp at the date's midnight plus the interval (a
   * timestamp); `date ± n` with a small integer is `date_add`/`date_sub`. Undefined for anything else.
   */
  private dateArithmetic(op: '+' | '-', e: Extract<Expr, { kind: 'binary' }>, lc: Compiled, rc: Compiled, name: string): Compiled | undefined {
    const isDate = (t: DataType) => t.kind === 'atomic' && t.name === 'date';
    const intervalText = (x: Expr) => (x.kind === 'call' && x.name === 'interval_literal' ? String((x.args[0] as { value: unknown }).value) : undefined);
    const smallInt = (t: DataType) => t === INT || (t.kind === 'atomic' && (t.name === 'smallint' || t.name === 'tinyint'));
    let date: Compiled | undefined;
    let text: string | undefined;
    if (isDate(lc.type)) {
      date = lc;
      text = intervalText(e.right);
    } else if (op === '+' && isDate(rc.type)) {
      date = rc;
      text = intervalText(e.left);
    }
    if (!date) return undefined;
    const d = date.eval;
    const sign = op === '+' ? 1 : -1;
    if (text !== undefined) {
      const iv = parseInterval(text);
      const units = intervalUnits(text);
      if (units.every((u) => u === 'day' || u === 'week')) {
        const days = Math.trunc(iv.micros / 86_400_000_000);
        return this.mk(DATE, name, (row) => {
          const a = d(row) as number | null;
          return a === null ? null : a + sign * days;
        });
      }
      if (units.every((u) => u === 'year' || u === 'month')) {
        return this.mk(DATE, name, (row) => {
          const a = d(row) as number | null;
          return a === null ? null : Math.floor(addInterval(a * 86_400_000_000, iv, sign) / 86_400_000_000);
        });
      }
      // The date's midnight in the session time zone, then the interval.
      const zone = sessionZone();
      return this.mk(TIMESTAMP, name, (row) => {
        const a = d(row) as number | null;
        return a === null ? null : addInterval(localToUtcMicros(a * 86_400_000_000, zone), iv, sign, zone);
      });
    }
    const n = date === lc ? rc : lc;
    if (!smallInt(n.type)) return undefined;
    const k = n.eval;
    return this.mk(DATE, name, (row) => {
      const a = d(row) as number | null;
      if (a === null) return null;
      const b = k(row) as number | null;
      return b === null ? null : a + sign * b;
    });
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
    // Arithmetic. `ts ± INTERVAL …` (and `INTERVAL … + ts`) moves the wall time in the session time
    // zone by the calendar part (a TIMESTAMP_NTZ has no zone: UTC), see addInterval.
    const isIntervalLiteral = (x: Expr) => x.kind === 'call' && x.name === 'interval_literal';
    const tsSide = (op === '+' || op === '-') && isTimestamp(lc.type) && isIntervalLiteral(e.right) ? ([lc, e.right] as const)
      : op === '+' && isTimestamp(rc.type) && isIntervalLiteral(e.left) ? ([rc, e.left] as const) : undefined;
    if (tsSide) {
      const [ts, ivExpr] = tsSide;
      const iv = parseInterval(String(((ivExpr as Extract<Expr, { kind: 'call' }>).args[0] as { value: unknown }).value));
      const sign = op === '+' ? 1 : -1;
      const zone = sameType(ts.type, TIMESTAMP) ? sessionZone() : UTC_ZONE;
      const l = ts.eval;
      return this.mk(ts.type, name, (row) => {
        const a = l(row) as number | null;
        return a === null ? null : addInterval(a, iv, sign, zone);
      });
    }
    if (op === '+' || op === '-') {
      const dated = this.dateArithmetic(op, e, lc, rc, name);
      if (dated) return dated;
    }
    const l1 = numericOperand(lc);
    const r1 = numericOperand(rc);
    const l = l1.eval;
    const r = r1.eval;
    if (op === '|' || op === '&' || op === '^') return this.bitwise(op, e, l1, r1, name);
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
  /** `a | b`, `a & b`, `a ^ b` over integral operands of the wider type (longs through BigInt). */
  private bitwise(op: '|' | '&' | '^', e: Expr, lc: Compiled, rc: Compiled, name: string): Compiled {
    const type = widerNumeric(lc.type, rc.type);
    if (!isIntegral(type)) {
      const bad = isIntegral(lc.type) ? rc : lc;
      throw new AnalysisException(`[DATATYPE_MISMATCH.BINARY_OP_WRONG_TYPE] Cannot resolve "${exprSql(e)}" due to data type mismatch: the binary operator requires the input type "INTEGRAL", not "${bad.type.simpleString().toUpperCase()}".`, { code: 'DATATYPE_MISMATCH.BINARY_OP_WRONG_TYPE' });
    }
    const l = castTo(lc, type).eval;
    const r = castTo(rc, type).eval;
    const long = type === LONG;
    const f32 = op === '|' ? (a: number, b: number) => a | b : op === '&' ? (a: number, b: number) => a & b : (a: number, b: number) => a ^ b;
    const f64 = op === '|' ? (a: bigint, b: bigint) => a | b : op === '&' ? (a: bigint, b: bigint) => a & b : (a: bigint, b: bigint) => a ^ b;
    return this.mk(type, name, (row) => {
      const a = l(row) as number | null;
      if (a === null) return null;
      const b = r(row) as number | null;
      if (b === null) return null;
      return long ? Number(BigInt.asIntN(64, f64(BigInt(a), BigInt(b)))) : f32(a, b);
    });
  }

  /** A function call: the registry entry checks and coerces the arguments and builds the closure. */
  private call(e: Extract<Expr, { kind: 'call' }>): Compiled {
    const spec = functionRegistry.lookup(e.name);
    if (!spec) {
      throw new AnalysisException(`[UNRESOLVED_ROUTINE] Cannot resolve function \`${e.name}\` on search path [\`system\`.\`builtin\`, \`system\`.\`session\`].`, { code: 'UNRESOLVED_ROUTINE' });
    }
    if (e.filter && spec.kind !== 'aggregate') {
      throw new AnalysisException(`Function ${e.name} does not support FILTER clause.`, { code: 'FILTER_NOT_SUPPORTED' });
    }
    if (spec.kind === 'aggregate') {
      throw new AnalysisException(`[MISSING_GROUP_BY] The query does not include a GROUP BY clause. Add GROUP BY or turn it into the window functions using OVER clauses.`, { code: 'MISSING_GROUP_BY' });
    }
    checkArity(spec, e);
    if (!spec.compile) throw new AnalysisException(`[UNSUPPORTED_FEATURE] ${e.name}() cannot be used here.`, { code: 'UNSUPPORTED_FEATURE' });
    return spec.compile(callContext(spec, e, (x) => this.inner(x), this.ctx, (x, types, arities) => this.lambda(x, exprSql(e), types, arities)));
  }
}

/** Fails with WRONG_NUM_ARGS when the call's argument count is not one the entry takes. */
export function checkArity(spec: FunctionSpec, e: Extract<Expr, { kind: 'call' }>): void {
  const { min, max } = arity(spec);
  const n = e.args.length;
  if (n >= min && n <= max) return;
  const counts = max === Infinity ? { atLeast: min } : Array.from({ length: max - min + 1 }, (_, i) => min + i);
  throw wrongArgs(e.name, n, counts);
}

/** The context a registry entry compiles a call with. */
export function callContext(
  spec: FunctionSpec, e: Extract<Expr, { kind: 'call' }>, inner: (x: Expr) => Compiled, evalContext: EvalContext,
  lambda?: (x: Expr, types: readonly DataType[], arities: readonly number[]) => CompiledLambda,
): CallContext {
  const name = exprSql(e);
  const args = e.args;
  const raw = (i: number): Compiled => {
    if (i >= args.length) throw wrongArgs(e.name, args.length, [spec.params.length]);
    return inner(args[i]);
  };
  const make: CallContext['make'] = (type, evalFn, options = {}) => ({ type, name, eval: evalFn, metadata: options.metadata ?? {}, nullable: options.nullable ?? true });
  return {
    call: e,
    args,
    name,
    evalContext,
    raw,
    arg: (i) => {
      const c = raw(i);
      const p = paramAt(spec, i);
      return p?.type && p.type !== 'any' ? coerceArgument(c, p.type, p.strict === true, name, i + 1, exprSql(args[i])) : c;
    },
    has: (i) => i < args.length,
    compile: inner,
    lambda: (i, types, arities) => {
      if (!lambda) throw new AnalysisException(`[UNSUPPORTED_FEATURE] ${e.name}() cannot be used here.`, { code: 'UNSUPPORTED_FEATURE' });
      if (i >= args.length) throw wrongArgs(e.name, args.length, [spec.params.length]);
      return lambda(args[i], types, arities ?? [types.length]);
    },
    literal: (i) => {
      const a = args[i];
      if (a === undefined) throw wrongArgs(e.name, args.length, [spec.params.length]);
      if (a.kind === 'lit') return a.value;
      if (a.kind === 'cast' && a.expr.kind === 'lit') return a.expr.value;
      throw new AnalysisException(`[DATATYPE_MISMATCH.NON_FOLDABLE_INPUT] Cannot resolve "${name}" due to data type mismatch: the input ${spec.params[i]?.name ?? `argument ${i + 1}`} should be a foldable expression; however, got "${exprSql(a)}".`, { code: 'DATATYPE_MISMATCH.NON_FOLDABLE_INPUT' });
    },
    sql: (i) => exprSql(args[i]),
    make,
    strict1: (type, a, f) => {
      const g = a.eval;
      return make(type, (row) => {
        const v = g(row);
        return v === null ? null : f(v);
      });
    },
    strict2: (type, a, b, f) => {
      const fa = a.eval;
      const fb = b.eval;
      return make(type, (row) => {
        const x = fa(row);
        if (x === null) return null;
        const y = fb(row);
        return y === null ? null : f(x, y);
      });
    },
  };
}

export { fromUtf8, utf8 };
