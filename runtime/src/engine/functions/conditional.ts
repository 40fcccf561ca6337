/**
 * Conditional and null-handling functions (Spark's conditionalExpressions and nullExpressions).
 */
import { commonType } from '../expressions/compiled.js';
import { node } from '../expressions/expr.js';
import { BOOLEAN, DOUBLE } from '../types.js';
import { compareValues } from '../values.js';
import { col, cols, defineFunction, type FunctionSpec } from './function-spec.js';
import { wrongArgs } from './wrong-args.js';

function coalesce(name: string, params: FunctionSpec['params'], extra: Partial<FunctionSpec> = {}): FunctionSpec {
  return defineFunction({
    name, group: 'conditional', kind: 'scalar', params,
    doc: 'The first argument that is not NULL.', example: { sql: 'coalesce(NULL, 1, 2)', result: '1' },
    compile: (c) => {
      const { type, evals } = commonType(c.args.map((_, i) => c.raw(i)));
      return c.make(type, (row) => {
        for (const f of evals) {
          const v = f(row);
          if (v !== null) return v;
        }
        return null;
      });
    },
    ...extra,
  });
}

export const conditionalFunctions: readonly FunctionSpec[] = [
  coalesce('coalesce', [cols('cols')]),
  coalesce('nvl', [col('col1'), col('col2')], { doc: '`col1` unless it is NULL, else `col2`.', example: undefined }),
  coalesce('ifnull', [col('col1'), col('col2')], { doc: '`col1` unless it is NULL, else `col2`.', example: undefined }),
  defineFunction({
    name: 'isnull', group: 'conditional', kind: 'scalar', params: [col('col')], facade: 'manual',
    doc: 'Whether the value is NULL.', columnName: (args) => `(${args[0]} IS NULL)`,
    compile: (c) => c.compile(node({ kind: 'isnull', expr: c.args[0], negated: false })),
  }),
  defineFunction({
    name: 'isnotnull', group: 'conditional', kind: 'scalar', params: [col('col')],
    doc: 'Whether the value is not NULL.', columnName: (args) => `(${args[0]} IS NOT NULL)`,
    compile: (c) => c.compile(node({ kind: 'isnull', expr: c.args[0], negated: true })),
  }),
  defineFunction({
    name: 'isnan', group: 'conditional', kind: 'scalar', params: [col('col', 'double')],
    doc: 'Whether the value is NaN (false for NULL).', example: { sql: "isnan(CAST('NaN' AS DOUBLE))", result: 'true' },
    compile: (c) => {
      const f = c.arg(0).eval;
      return c.make(BOOLEAN, (row) => Number.isNaN(f(row)), { nullable: false });
    },
  }),
  defineFunction({
    name: 'nanvl', group: 'conditional', kind: 'scalar', params: [col('col1', 'double'), col('col2', 'double')],
    doc: '`col1` unless it is NaN, else `col2`.',
    compile: (c) => {
      const a = c.arg(0).eval;
      const b = c.arg(1).eval;
      return c.make(DOUBLE, (row) => {
        const x = a(row);
        return Number.isNaN(x) ? b(row) : x;
      });
    },
  }),
  defineFunction({
    name: 'if', aliases: ['iff'], group: 'conditional', kind: 'scalar', params: [col('predicate', 'boolean'), col('trueValue'), col('falseValue')], py: null,
    doc: '`trueValue` when the predicate holds, else `falseValue` (use `when` in the DataFrame API).',
    columnName: (args) => `(IF(${args.join(', ')}))`,
    compile: (c) => c.compile(node({ kind: 'case', branches: [[c.args[0], c.args[1]]], otherwise: c.args[2] })),
  }),
  defineFunction({
    name: 'nullif', group: 'conditional', kind: 'scalar', params: [col('col1'), col('col2')],
    doc: 'NULL when both are equal, else `col1`.',
    compile: (c) => {
      const a = c.raw(0);
      const fa = a.eval;
      const fb = c.raw(1).eval;
      return c.make(a.type, (row) => {
        const x = fa(row);
        const y = fb(row);
        return x !== null && y !== null && compareValues(x, y) === 0 ? null : x;
      });
    },
  }),
  defineFunction({
    name: 'nvl2', group: 'conditional', kind: 'scalar', params: [col('col1'), col('col2'), col('col3')],
    doc: '`col2` when `col1` is not NULL, else `col3`.',
    compile: (c) => {
      if (c.args.length !== 3) throw wrongArgs('nvl2', c.args.length, [3]);
      return c.compile(node({ kind: 'case', branches: [[node({ kind: 'isnull', expr: c.args[0], negated: true }), c.args[1]]], otherwise: c.args[2] }));
    },
  }),
];
