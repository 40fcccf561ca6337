/**
 * Aggregate functions as buffer operations: create / update (one input row) / merge (two partial
 * buffers, used when session windows merge) / evaluate. Buffers are JSON-friendly plain values so the
 * state store can snapshot them; `update` returns the (possibly new) buffer and may mutate arrays it
 * owns, so callers copy buffers loaded from committed state first (see `copyBuffer`).
 */
import { AnalysisException } from './errors.js';
import { compile, type EvalContext, type Row } from './compile.js';
import { exprSql, type Expr } from './expr.js';
import { ArrayType, DOUBLE, LONG, isIntegral, isNumeric, type DataType, type StructType } from './types.js';
import { compareValues, encodeKey } from './values.js';

/** A compiled aggregate function. */
export interface AggregateFn {
  readonly name: string;
  readonly type: DataType;
  create(): unknown;
  update(buf: unknown, row: Row): unknown;
  merge(a: unknown, b: unknown): unknown;
  evaluate(buf: unknown): unknown;
}

/** Deep-copies a buffer so in-place updates never touch committed state. */
export function copyBuffer(b: unknown): unknown {
  return Array.isArray(b) ? b.map(copyBuffer) : b;
}

/** Compiles an aggregate call (`count(*)`, `avg(x)`, `count(DISTINCT x)`...) over rows of `schema`. */
export function compileAggregate(e: Extract<Expr, { kind: 'call' }>, schema: StructType, ctx: EvalContext): AggregateFn {
  const name = exprSql(e);
  const fname = e.name === 'mean' ? 'avg' : e.name === 'first_value' || e.name === 'any_value' ? 'first' : e.name === 'last_value' ? 'last' : e.name;
  const isStar = e.args.length === 0 || e.args[0].kind === 'star';
  if (fname === 'count') {
    if (isStar || (e.args.length === 1 && e.args[0].kind === 'lit' && e.args[0].value !== null)) {
      return { name, type: LONG, create: () => 0, update: (b) => (b as number) + 1, merge: (a, b) => (a as number) + (b as number), evaluate: (b) => b };
    }
    const fs = e.args.map((a) => compile(a, schema, ctx).eval);
    if (e.distinct) {
      return {
        name, type: LONG, create: () => [],
        update: (b, row) => {
          const vals = fs.map((f) => f(row));
          if (vals.some((v) => v === null)) return b;
          const k = encodeKey(vals);
          const arr = b as string[];
          if (!arr.includes(k)) arr.push(k);
          return arr;
        },
        merge: (a, b) => [...new Set([...(a as string[]), ...(b as string[])])],
        evaluate: (b) => (b as string[]).length,
      };
    }
    return {
      name, type: LONG, create: () => 0,
      update: (b, row) => {
        for (const f of fs) if (f(row) === null) return b;
        return (b as number) + 1;
      },
      merge: (a, b) => (a as number) + (b as number), evaluate: (b) => b,
    };
  }
  if (isStar) throw new AnalysisException(`[INVALID_USAGE_OF_STAR_OR_REGEX] Invalid usage of '*' in ${fname}.`, { code: 'INVALID_USAGE_OF_STAR_OR_REGEX' });
  const c = compile(e.args[0], schema, ctx);
  const f = c.eval;
  switch (fname) {
    case 'sum': {
      if (!isNumeric(c.type) && !(c.type.kind === 'atomic' && c.type.name === 'string')) throw typeMismatch(name, c.type);
      const type = isIntegral(c.type) ? LONG : DOUBLE;
      return {
        name, type, create: () => null,
        update: (b, row) => {
          const v = f(row);
          if (v === null) return b;
          const n = typeof v === 'number' ? v : Number(v);
          return b === null ? n : (b as number) + n;
        },
        merge: (a, b) => (a === null ? b : b === null ? a : (a as number) + (b as number)),
        evaluate: (b) => b,
      };
    }
    case 'avg': {
      if (!isNumeric(c.type) && !(c.type.kind === 'atomic' && c.type.name === 'string')) throw typeMismatch(name, c.type);
      return {
        name, type: DOUBLE, create: () => [0, 0],
        update: (b, row) => {
          const v = f(row);
          if (v === null) return b;
          const a = b as number[];
          a[0] += typeof v === 'number' ? v : Number(v);
          a[1] += 1;
          return a;
        },
        merge: (a, b) => [(a as number[])[0] + (b as number[])[0], (a as number[])[1] + (b as number[])[1]],
        evaluate: (b) => ((b as number[])[1] === 0 ? null : (b as number[])[0] / (b as number[])[1]),
      };
    }
    case 'min': case 'max': {
      const sign = fname === 'min' ? -1 : 1;
      const better = (a: unknown, b: unknown): unknown => (a === null ? b : b === null ? a : sign * compareValues(b, a) > 0 ? b : a);
      return {
        name, type: c.type, create: () => null,
        update: (b, row) => better(b, f(row)),
        merge: better, evaluate: (b) => b,
      };
    }
    case 'first': case 'last': {
      const ignoreNulls = e.args.length > 1 && e.args[1].kind === 'lit' && e.args[1].value === true;
      // Buffer: [value, seen]; `seen` distinguishes "no row yet" from a NULL value.
      if (fname === 'first') {
        return {
          name, type: c.type, create: () => [null, false],
          update: (b, row) => {
            const a = b as [unknown, boolean];
            if (a[1]) return a;
            const v = f(row);
            if (v === null && ignoreNulls) return a;
            return [v, true];
          },
          merge: (a, b) => ((a as [unknown, boolean])[1] ? a : b),
          evaluate: (b) => (b as [unknown, boolean])[0],
        };
      }
      return {
        name, type: c.type, create: () => [null, false],
        update: (b, row) => {
          const v = f(row);
          if (v === null && ignoreNulls) return b;
          return [v, true];
        },
        merge: (a, b) => ((b as [unknown, boolean])[1] ? b : a),
        evaluate: (b) => (b as [unknown, boolean])[0],
      };
    }
    case 'collect_list': case 'collect_set': {
      const set = fname === 'collect_set';
      return {
        name, type: new ArrayType(c.type, false), create: () => [],
        update: (b, row) => {
          const v = f(row);
          if (v === null) return b;
          const a = b as unknown[];
          if (!set || !a.some((x) => compareValues(x, v) === 0)) a.push(v);
          return a;
        },
        merge: (a, b) => {
          const out = [...(a as unknown[])];
          for (const v of b as unknown[]) if (!set || !out.some((x) => compareValues(x, v) === 0)) out.push(v);
          return out;
        },
        evaluate: (b) => [...(b as unknown[])],
      };
    }
    case 'approx_count_distinct': {
      return {
        name, type: LONG, create: () => [],
        update: (b, row) => {
          const v = f(row);
          if (v === null) return b;
          const k = encodeKey([v]);
          const a = b as string[];
          if (!a.includes(k)) a.push(k);
          return a;
        },
        merge: (a, b) => [...new Set([...(a as string[]), ...(b as string[])])],
        evaluate: (b) => (b as string[]).length,
      };
    }
    default:
      throw new AnalysisException(`[UNRESOLVED_ROUTINE] Cannot resolve function \`${e.name}\`.`, { code: 'UNRESOLVED_ROUTINE' });
  }
}

function typeMismatch(name: string, t: DataType): AnalysisException {
  return new AnalysisException(`[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "${name}" due to data type mismatch: the parameter requires the "NUMERIC" type, however it has the type "${t.simpleString().toUpperCase()}".`, { code: 'DATATYPE_MISMATCH' });
}
