/**
 * Higher-order functions (Spark's higherOrderFunctions): functions of arrays and maps that take a
 * lambda, `transform(xs, x -> x + 1)` in SQL or `F.transform("xs", (x) => x.plus(1))`. The lambda's
 * parameters are bound to slots the body reads (see `CallContext.lambda`); Spark names every lambda
 * variable `namedlambdavariable()`, whatever it is called.
 */
import type { Compiled } from '../expressions/compiled.js';
import { AnalysisException } from '../errors.js';
import { ArrayType, BOOLEAN, INT, MapType, NULL, sameType, type DataType } from '../types.js';
import { col, defineFunction, type CallContext, type FunctionSpec, type Param } from './function-spec.js';

/** A lambda parameter (`py: 'column'`: PySpark passes a Python function in its place). */
function fnParam(name: string, extra: Partial<Param> = {}): Param {
  return { name, py: 'column', type: 'any', ...extra };
}

function typeName(t: DataType): string {
  return t.simpleString().toUpperCase();
}

function mismatch(c: CallContext, i: number, required: string, got: DataType): AnalysisException {
  return new AnalysisException(
    `[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "${c.name}" due to data type mismatch: Parameter ${i + 1} requires the "${required}" type, however "${c.sql(i)}" has the type "${typeName(got)}".`,
    { code: 'DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE' },
  );
}

function arrayArg(c: CallContext, i: number): Compiled & { type: ArrayType } {
  const a = c.raw(i);
  if (a.type.kind !== 'array') throw mismatch(c, i, 'ARRAY', a.type);
  return a as Compiled & { type: ArrayType };
}

/**
 * A map function's evaluation: each entry of the map `get` gives is bound to the lambda's two
 * variables, and `put` decides what of it goes into the new map (NULL stays NULL).
 */
function overEntries<R>(get: (row: R) => unknown, [sk, sv]: readonly { v: unknown }[], put: (out: Map<unknown, unknown>, k: unknown, v: unknown, row: R) => void): (row: R) => Map<unknown, unknown> | null {
  return (row) => {
    const map = get(row) as Map<unknown, unknown> | null;
    if (map === null) return null;
    const out = new Map<unknown, unknown>();
    for (const [k, v] of map) {
      sk!.v = k;
      sv!.v = v;
      put(out, k, v, row);
    }
    return out;
  };
}

function mapArg(c: CallContext, i: number): Compiled & { type: MapType } {
  const a = c.raw(i);
  if (a.type.kind !== 'map') throw mismatch(c, i, 'MAP', a.type);
  return a as Compiled & { type: MapType };
}

/** A lambda whose body must be a boolean (`filter`, `exists`, `forall`, `map_filter`). */
function predicate(c: CallContext, i: number, types: readonly DataType[], arities?: readonly number[]) {
  const f = c.lambda(i, types, arities);
  if (f.body.type !== BOOLEAN && f.body.type !== NULL) throw mismatch(c, i, 'BOOLEAN', f.body.type);
  return f;
}

/** `exists` (some element true) or `forall` (every element true), with SQL's three-valued logic. */
function quantifier(name: 'exists' | 'forall'): FunctionSpec {
  const decisive = name === 'exists';
  return defineFunction({
    name, group: 'collection', kind: 'scalar', facade: 'manual', params: [col('col', 'array'), fnParam('f')],
    doc: decisive
      ? 'Whether the lambda is true for some element (NULL when none is true and some gives NULL).'
      : 'Whether the lambda is true for every element (NULL when none is false and some gives NULL).',
    example: { sql: `${name}(array(1, 2), x -> x > 1)`, result: decisive ? 'true' : 'false' },
    compile: (c) => {
      const xs = arrayArg(c, 0);
      const f = predicate(c, 1, [xs.type.elementType]);
      const [sx] = f.slots;
      const body = f.body.eval;
      const get = xs.eval;
      return c.make(BOOLEAN, (row) => {
        const a = get(row) as unknown[] | null;
        if (a === null) return null;
        let sawNull = false;
        for (const x of a) {
          sx.v = x;
          const r = body(row);
          if (r === null) sawNull = true;
          else if (r === decisive) return decisive;
        }
        return sawNull ? null : !decisive;
      });
    },
  });
}

const IDENTITY_NAME = 'lambdafunction(namedlambdavariable(), namedlambdavariable())';

/** `aggregate` / `reduce`: folds the elements into `initialValue` with `merge`, then applies `finish`. */
function fold(c: CallContext): Compiled {
  const xs = arrayArg(c, 0);
  const zero = c.raw(1);
  const merge = c.lambda(2, [zero.type, xs.type.elementType]);
  if (!sameType(merge.body.type, zero.type)) throw mismatch(c, 2, typeName(zero.type), merge.body.type);
  const finish = c.has(3) ? c.lambda(3, [zero.type]) : undefined;
  const get = xs.eval;
  const start = zero.eval;
  const [sAcc, sX] = merge.slots;
  const step = merge.body.eval;
  const end = finish?.body.eval;
  const sEnd = finish?.slots[0];
  return c.make(finish ? finish.body.type : zero.type, (row) => {
    const a = get(row) as unknown[] | null;
    if (a === null) return null;
    let acc = start(row);
    for (const x of a) {
      sAcc.v = acc;
      sX.v = x;
      acc = step(row);
    }
    if (!end) return acc;
    sEnd!.v = acc;
    return end(row);
  });
}

function duplicateKey(k: unknown): AnalysisException {
  return new AnalysisException(
    `[DUPLICATED_MAP_KEY] Duplicate map key ${String(k)} was found, please check the input data. If you want to remove the duplicated keys, you can set "spark.sql.mapKeyDedupPolicy" to "LAST_WIN" so that the key inserted at last takes precedence.`,
    { code: 'DUPLICATED_MAP_KEY' },
  );
}

export const higherOrderFunctions: readonly FunctionSpec[] = [
  defineFunction({
    name: 'transform', group: 'collection', kind: 'scalar', facade: 'manual', params: [col('col', 'array'), fnParam('f')],
    doc: 'Each element through the lambda: `x -> …`, or `(x, i) -> …` with the index from 0.',
    example: { sql: 'transform(array(1, 2), x -> x + 1)', result: '[2, 3]' },
    compile: (c) => {
      const xs = arrayArg(c, 0);
      const f = c.lambda(1, [xs.type.elementType, INT], [1, 2]);
      const [sx, si] = f.slots;
      const body = f.body.eval;
      const get = xs.eval;
      return c.make(new ArrayType(f.body.type), (row) => {
        const a = get(row) as unknown[] | null;
        if (a === null) return null;
        const out = new Array<unknown>(a.length);
        for (let k = 0; k < a.length; k++) {
          sx.v = a[k];
          if (si) si.v = k;
          out[k] = body(row);
        }
        return out;
      });
    },
  }),
  defineFunction({
    name: 'filter', group: 'collection', kind: 'scalar', facade: 'manual', params: [col('col', 'array'), fnParam('f')],
    doc: 'The elements for which the lambda is true: `x -> …`, or `(x, i) -> …` with the index from 0.',
    example: { sql: 'filter(array(1, 2, 3), x -> x > 1)', result: '[2, 3]' },
    compile: (c) => {
      const xs = arrayArg(c, 0);
      const f = predicate(c, 1, [xs.type.elementType, INT], [1, 2]);
      const [sx, si] = f.slots;
      const body = f.body.eval;
      const get = xs.eval;
      return c.make(xs.type, (row) => {
        const a = get(row) as unknown[] | null;
        if (a === null) return null;
        const out: unknown[] = [];
        for (let k = 0; k < a.length; k++) {
          sx.v = a[k];
          if (si) si.v = k;
          if (body(row) === true) out.push(a[k]);
        }
        return out;
      });
    },
  }),
  quantifier('exists'),
  quantifier('forall'),
  defineFunction({
    name: 'aggregate', group: 'collection', kind: 'scalar', facade: 'manual',
    params: [col('col', 'array'), col('initialValue'), fnParam('merge'), fnParam('finish', { optional: true, nameDefault: IDENTITY_NAME })],
    doc: 'Folds the elements into `initialValue` with `(acc, x) -> …` (which must keep its type), then applies `finish` (`acc -> …`) when given.',
    example: { sql: 'aggregate(array(1, 2, 3), 0, (acc, x) -> acc + x)', result: '6' },
    compile: fold,
  }),
  defineFunction({
    name: 'reduce', group: 'collection', kind: 'scalar', facade: 'manual',
    params: [col('col', 'array'), col('initialValue'), fnParam('merge'), fnParam('finish', { optional: true, nameDefault: IDENTITY_NAME })],
    doc: 'The same as `aggregate`.',
    compile: fold,
  }),
  defineFunction({
    name: 'zip_with', group: 'collection', kind: 'scalar', facade: 'manual', params: [col('left', 'array'), col('right', 'array'), fnParam('f')],
    doc: 'The two arrays merged element by element with `(x, y) -> …`; the shorter is padded with NULLs.',
    example: { sql: 'zip_with(array(1, 2), array(10, 20), (x, y) -> x + y)', result: '[11, 22]' },
    compile: (c) => {
      const l = arrayArg(c, 0);
      const r = arrayArg(c, 1);
      const f = c.lambda(2, [l.type.elementType, r.type.elementType]);
      const [sx, sy] = f.slots;
      const body = f.body.eval;
      const gl = l.eval;
      const gr = r.eval;
      return c.make(new ArrayType(f.body.type), (row) => {
        const a = gl(row) as unknown[] | null;
        if (a === null) return null;
        const b = gr(row) as unknown[] | null;
        if (b === null) return null;
        const n = Math.max(a.length, b.length);
        const out = new Array<unknown>(n);
        for (let k = 0; k < n; k++) {
          sx.v = k < a.length ? a[k] : null;
          sy.v = k < b.length ? b[k] : null;
          out[k] = body(row);
        }
        return out;
      });
    },
  }),
  defineFunction({
    name: 'map_filter', group: 'map', kind: 'scalar', facade: 'manual', params: [col('col', 'map'), fnParam('f')],
    doc: 'The entries for which `(k, v) -> …` is true.',
    example: { sql: "map_filter(map('a', 1, 'b', 2), (k, v) -> v > 1)", result: '{b -> 2}' },
    compile: (c) => {
      const m = mapArg(c, 0);
      const f = predicate(c, 1, [m.type.keyType, m.type.valueType]);
      const body = f.body.eval;
      return c.make(m.type, overEntries(m.eval, f.slots, (out, k, v, row) => {
        if (body(row) === true) out.set(k, v);
      }));
    },
  }),
  defineFunction({
    name: 'transform_keys', group: 'map', kind: 'scalar', facade: 'manual', params: [col('col', 'map'), fnParam('f')],
    doc: 'The map with each key replaced by `(k, v) -> …` (a NULL or repeated key is an error).',
    example: { sql: "transform_keys(map('a', 1), (k, v) -> upper(k))", result: '{A -> 1}' },
    compile: (c) => {
      const m = mapArg(c, 0);
      const f = c.lambda(1, [m.type.keyType, m.type.valueType]);
      const body = f.body.eval;
      return c.make(new MapType(f.body.type, m.type.valueType, m.type.valueContainsNull), overEntries(m.eval, f.slots, (out, _k, v, row) => {
        const key = body(row);
        if (key === null) throw new AnalysisException('[NULL_MAP_KEY] Cannot use null as map key.', { code: 'NULL_MAP_KEY' });
        if (out.has(key)) throw duplicateKey(key);
        out.set(key, v);
      }));
    },
  }),
  defineFunction({
    name: 'transform_values', group: 'map', kind: 'scalar', facade: 'manual', params: [col('col', 'map'), fnParam('f')],
    doc: 'The map with each value replaced by `(k, v) -> …`.',
    example: { sql: "transform_values(map('a', 1), (k, v) -> v * 10)", result: '{a -> 10}' },
    compile: (c) => {
      const m = mapArg(c, 0);
      const f = c.lambda(1, [m.type.keyType, m.type.valueType]);
      const body = f.body.eval;
      return c.make(new MapType(m.type.keyType, f.body.type), overEntries(m.eval, f.slots, (out, k, _v, row) => {
        out.set(k, body(row));
      }));
    },
  }),
];
