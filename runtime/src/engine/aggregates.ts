/**
 * Aggregate calls compiled for the aggregate operators: the registry entry (see
 * `functions/aggregate.ts`) gives the buffer operations; this module compiles the arguments for
 * it, with the same argument checks as scalar functions. Buffers are JSON-friendly plain values so
 * the state store can snapshot them; `update` may mutate arrays it owns, so callers copy buffers
 * loaded from committed state first (see `copyBuffer`).
 */
import type { EvalContext } from './compiled.js';
import { callContext, checkArity, compile } from './compile.js';
import { AnalysisException } from './errors.js';
import type { Expr } from './expr.js';
import type { AggregateFn } from './functions/function-spec.js';
import { functionRegistry } from './functions/registry.js';
import type { StructType } from './types.js';

export type { AggregateFn } from './functions/function-spec.js';

/** Deep-copies a buffer so in-place updates never touch committed state. */
export function copyBuffer(b: unknown): unknown {
  return Array.isArray(b) ? b.map(copyBuffer) : b;
}

/** Compiles an aggregate call (`count(*)`, `avg(x)`, `count(DISTINCT x)`...) over rows of `schema`. */
export function compileAggregate(e: Extract<Expr, { kind: 'call' }>, schema: StructType, ctx: EvalContext): AggregateFn {
  const spec = functionRegistry.lookup(e.name);
  if (!spec?.aggregate) throw new AnalysisException(`[UNRESOLVED_ROUTINE] Cannot resolve function \`${e.name}\`.`, { code: 'UNRESOLVED_ROUTINE' });
  if (!(e.name === 'count' && e.args.length === 1 && e.args[0].kind === 'star')) checkArity(spec, e);
  const c = callContext(spec, e, (x) => compile(x, schema, ctx), ctx);
  return spec.aggregate({
    call: e, args: e.args, name: c.name, distinct: e.distinct === true,
    arg: c.arg, raw: c.raw, has: c.has, literal: c.literal, sql: c.sql,
  });
}

