/**
 * Aggregate calls compiled for the aggregate operators: the registry entry (see
 * `functions/aggregate.ts`) gives the buffer operations; this module compiles the arguments for
 * it, with the same argument checks as scalar functions. Buffers are JSON-friendly plain values so
 * the state store can snapshot them; `update` may mutate arrays it owns, so callers copy buffers
 * loaded from committed state first (see `copyBuffer`).
 */
import type { EvalContext } from './compiled.js';
import { callContext, checkArity, compile } from './compile.js';
import { AnalysisException } from '../errors.js';
import { exprSql } from './expr-names.js';
import type { Expr } from './expr.js';
import type { AggregateFn, FunctionSpec } from '../functions/function-spec.js';
import { functionRegistry } from '../functions/registry.js';
import { BOOLEAN, type StructType } from '../types.js';
import { encodeKey } from '../values.js';

export type { AggregateFn } from '../functions/function-spec.js';

/** Deep-copies a buffer so in-place updates never touch committed state. */
export function copyBuffer(b: unknown): unknown {
  if (!Array.isArray(b)) return b;
  // slice keeps an array of numbers unboxed (an average's sum and count), where map built a generic one.
  const out = b.slice();
  for (let i = 0; i < out.length; i++) if (Array.isArray(out[i])) out[i] = copyBuffer(out[i]);
  return out;
}

/** Copies a group's buffers (one per aggregate function), see `copyBuffer`. */
export function copyBuffers(bufs: readonly unknown[]): unknown[] {
  const out = new Array(bufs.length);
  for (let i = 0; i < bufs.length; i++) out[i] = copyBuffer(bufs[i]);
  return out;
}

/** Compiles an aggregate call (`count(*)`, `avg(x)`, `count(DISTINCT x)`...) over rows of `schema`. */
export function compileAggregate(e: Extract<Expr, { kind: 'call' }>, schema: StructType, ctx: EvalContext): AggregateFn {
  if (e.filter) return filteredAggregate(e, e.filter, schema, ctx);
  const spec = functionRegistry.lookup(e.name);
  if (!spec?.aggregate) throw new AnalysisException(`[UNRESOLVED_ROUTINE] Cannot resolve function \`${e.name}\`.`, { code: 'UNRESOLVED_ROUTINE' });
  if (!(e.name === 'count' && e.args.length === 1 && e.args[0].kind === 'star')) checkArity(spec, e);
  if (e.distinct && spec.name !== 'count' && spec.name !== 'count_distinct') return distinctAggregate(spec, e, schema, ctx);
  const c = callContext(spec, e, (x) => compile(x, schema, ctx), ctx);
  return spec.aggregate({
    call: e, args: e.args, name: c.name, distinct: e.distinct === true,
    arg: c.arg, raw: c.raw, has: c.has, literal: c.literal, sql: c.sql,
  });
}

/** `f(x) FILTER (WHERE cond)`: the aggregate over the rows where cond is true, named with its clause. */
function filteredAggregate(e: Extract<Expr, { kind: 'call' }>, filter: Expr, schema: StructType, ctx: EvalContext): AggregateFn {
  const { filter: _, ...bare } = e;
  const inner = compileAggregate(bare, schema, ctx);
  const cond = compile(filter, schema, ctx);
  if (cond.type !== BOOLEAN) {
    throw new AnalysisException('FILTER expression is not of type boolean. It cannot be used in an aggregate function.', { code: 'FILTER_NOT_BOOLEAN' });
  }
  const test = cond.eval;
  return { ...inner, name: exprSql(e), update: (b, row) => (test(row) === true ? inner.update(b, row) : b) };
}

/**
 * `f(DISTINCT x)`: the buffer keeps each distinct argument tuple once (so partial buffers merge),
 * and the function runs over those tuples when the group is evaluated.
 */
function distinctAggregate(spec: FunctionSpec, e: Extract<Expr, { kind: 'call' }>, schema: StructType, ctx: EvalContext): AggregateFn {
  const args = e.args.map((a) => compile(a, schema, ctx));
  const evals = args.map((a) => a.eval);
  // The function itself reads argument i from position i of a distinct tuple.
  const overTuple = callContext(spec, e, (x) => {
    const i = e.args.indexOf(x);
    if (i < 0) return compile(x, schema, ctx);
    return { ...args[i], eval: (row) => row[i] };
  }, ctx);
  const inner = spec.aggregate!({
    call: e, args: e.args, name: overTuple.name, distinct: true,
    arg: overTuple.arg, raw: overTuple.raw, has: overTuple.has, literal: overTuple.literal, sql: overTuple.sql,
  });
  type Buf = [string[], unknown[][]];
  const add = (b: Buf, tuple: unknown[]): Buf => {
    const k = encodeKey(tuple);
    if (!b[0].includes(k)) {
      b[0].push(k);
      b[1].push(tuple);
    }
    return b;
  };
  return {
    name: inner.name,
    type: inner.type,
    create: () => [[], []],
    update: (b, row) => add(b as Buf, evals.map((f) => f(row))),
    merge: (a, b) => {
      const out: Buf = [[...(a as Buf)[0]], [...(a as Buf)[1]]];
      for (const t of (b as Buf)[1]) add(out, t);
      return out;
    },
    evaluate: (b) => {
      let buf = inner.create();
      for (const t of (b as Buf)[1]) buf = inner.update(buf, t);
      return inner.evaluate(buf);
    },
  };
}

