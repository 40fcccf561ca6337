/**
 * Arrays, maps and structs (Spark's collectionExpressions and complexTypeCreator), and the
 * generators (`explode`), which the planner turns into rows of their own at the top of a select.
 */
import { castTo, commonType, type Compiled } from '../expressions/compiled.js';
import { AnalysisException, StreamlabError } from '../errors.js';
import { ArrayType, BOOLEAN, INT, MapType, NULL, STRING, StructField, StructType } from '../types.js';
import { compareValues, valuesEqual } from '../values.js';
import { col, cols, defineFunction, val, type FunctionSpec } from './function-spec.js';

function generator(name: string, doc: string): FunctionSpec {
  return defineFunction({
    name, group: 'generator', kind: 'generator', params: [col('col', 'array-or-map')], doc,
    compile: (c) => {
      throw new AnalysisException(`[UNSUPPORTED_GENERATOR.OUTSIDE_SELECT] The generator is not supported: outside the SELECT clause, found: ${c.name}.`, { code: 'UNSUPPORTED_GENERATOR.OUTSIDE_SELECT' });
    },
  });
}

/** Spark's element order for `sort_array`: NULLs first ascending, last descending. */
function sortElements(a: readonly unknown[], asc: boolean): unknown[] {
  return [...a].sort((x, y) => {
    if (x === null || y === null) return x === y ? 0 : (x === null ? -1 : 1) * (asc ? 1 : -1);
    return (asc ? 1 : -1) * compareValues(x, y);
  });
}

export const collectionFunctions: readonly FunctionSpec[] = [
  defineFunction({
    name: 'size', aliases: ['cardinality'], pyAliases: ['cardinality'], group: 'collection', kind: 'scalar', params: [col('col', 'array-or-map')],
    doc: 'The number of elements of an array or map (-1 for NULL).', example: { sql: 'size(array(1, 2))', result: '2' },
    compile: (c) => {
      const f = c.arg(0).eval;
      return c.make(INT, (row) => {
        const v = f(row);
        if (v === null) return -1;
        return v instanceof Map ? v.size : (v as unknown[]).length;
      }, { nullable: false });
    },
  }),
  defineFunction({
    name: 'array', group: 'collection', kind: 'scalar', params: [cols('cols')], doc: 'An array of the columns\' values.',
    compile: (c) => {
      const { type, evals } = commonType(c.args.map((_, i) => c.raw(i)));
      return c.make(new ArrayType(type === NULL ? STRING : type), (row) => evals.map((f) => f(row)), { nullable: false });
    },
  }),
  defineFunction({
    name: 'element_at', group: 'collection', kind: 'scalar', params: [col('col', 'array-or-map'), val('extraction', 'any', 'any', { orColumn: true })],
    doc: 'The element at a 1-based index of an array (negative counts from the end), or the value of a key of a map.',
    example: { sql: 'element_at(array(1, 2, 3), -1)', result: '3' },
    compile: (c) => {
      const a = c.arg(0);
      const i = c.raw(1).eval;
      const f = a.eval;
      if (a.type.kind === 'map') return c.make(a.type.valueType, (row) => {
        const m = f(row) as Map<unknown, unknown> | null;
        return m === null ? null : (m.get(i(row)) ?? null);
      });
      const et = a.type.kind === 'array' ? a.type.elementType : NULL;
      return c.make(et, (row) => {
        const arr = f(row) as unknown[] | null;
        const k = i(row) as number | null;
        if (arr === null || k === null) return null;
        const j = k > 0 ? k - 1 : arr.length + k;
        return arr[j] ?? null;
      });
    },
  }),
  defineFunction({
    name: 'array_contains', group: 'collection', kind: 'scalar', params: [col('col', 'array'), val('value', 'any', 'any', { orColumn: true })],
    doc: 'Whether the array contains the value (NULL when it does not but holds a NULL).', example: { sql: 'array_contains(array(1, 2), 2)', result: 'true' },
    compile: (c) => {
      const arr = c.arg(0);
      const et = (arr.type as ArrayType).elementType;
      const v = castTo(c.raw(1), et === NULL ? c.raw(1).type : et).eval;
      const a = arr.eval;
      return c.make(BOOLEAN, (row) => {
        const xs = a(row) as unknown[] | null;
        const x = v(row);
        if (xs === null || x === null) return null;
        let sawNull = false;
        for (const y of xs) {
          if (y === null) sawNull = true;
          else if (valuesEqual(y, x)) return true;
        }
        return sawNull ? null : false;
      });
    },
  }),
  defineFunction({
    name: 'sort_array', group: 'collection', kind: 'scalar', params: [col('col', 'array'), val('asc', 'boolean', 'boolean', { optional: true, default: true, nameDefault: 'true' })],
    doc: 'The array sorted, ascending (NULLs first) or descending (NULLs last).', example: { sql: 'sort_array(array(3, NULL, 1))', result: '[NULL, 1, 3]' },
    compile: (c) => {
      const a = c.arg(0);
      const asc = c.has(1) ? c.literal(1) !== false : true;
      return c.strict1(a.type, a, (xs: unknown[]) => sortElements(xs, asc));
    },
  }),
  defineFunction({
    name: 'map', group: 'map', kind: 'scalar', params: [cols('cols')], py: 'create_map',
    doc: 'A map from alternating key and value columns: `create_map("k1", "v1", "k2", "v2")`.', example: { sql: "map('a', 1, 'b', 2)", result: '{a -> 1, b -> 2}' },
    compile: (c) => {
      if (c.args.length % 2 !== 0) {
        throw new AnalysisException(`[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The \`map\` requires 2n (n > 0) parameters but the actual number is ${c.args.length}.`, { code: 'WRONG_NUM_ARGS' });
      }
      const ks: Compiled[] = [];
      const vs: Compiled[] = [];
      c.args.forEach((_, i) => (i % 2 === 0 ? ks : vs).push(c.raw(i)));
      const { type: kt, evals: kf } = commonType(ks);
      const { type: vt, evals: vf } = commonType(vs);
      return c.make(new MapType(kt === NULL ? STRING : kt, vt === NULL ? STRING : vt), (row) => {
        const m = new Map<unknown, unknown>();
        kf.forEach((k, i) => {
          const key = k(row);
          if (key === null) throw new StreamlabError('[NULL_MAP_KEY] Cannot use null as map key.', { code: 'NULL_MAP_KEY' });
          if (m.has(key)) {
            throw new StreamlabError(`[DUPLICATED_MAP_KEY] Duplicate map key ${String(key)} was found, please check the input data. If you want to remove the duplicated keys, you can set "spark.sql.mapKeyDedupPolicy" to "LAST_WIN" so that the key inserted at last takes precedence.`, { code: 'DUPLICATED_MAP_KEY' });
          }
          m.set(key, vf[i](row));
        });
        return m;
      }, { nullable: false });
    },
  }),
  defineFunction({
    name: 'map_keys', group: 'map', kind: 'scalar', params: [col('col', 'map')], doc: 'The keys of a map, as an array.',
    compile: (c) => {
      const m = c.arg(0);
      return c.strict1(new ArrayType((m.type as MapType).keyType), m, (x: Map<unknown, unknown>) => [...x.keys()]);
    },
  }),
  defineFunction({
    name: 'map_values', group: 'map', kind: 'scalar', params: [col('col', 'map')], doc: 'The values of a map, as an array.',
    compile: (c) => {
      const m = c.arg(0);
      return c.strict1(new ArrayType((m.type as MapType).valueType), m, (x: Map<unknown, unknown>) => [...x.values()]);
    },
  }),
  defineFunction({
    name: 'struct', group: 'struct', kind: 'scalar', params: [cols('cols')], doc: 'A struct of the columns, each field named after its column (`colN` for expressions).',
    compile: (c) => {
      const pairs: [string, Compiled][] = c.args.map((a, i) => {
        const x = c.raw(i);
        return [a.kind === 'col' || a.kind === 'alias' || a.kind === 'field' ? x.name : `col${i + 1}`, x];
      });
      const type = new StructType(pairs.map(([n, x]) => new StructField(n, x.type, x.nullable, x.metadata)));
      const fs = pairs.map(([, x]) => x.eval);
      return c.make(type, (row) => fs.map((f) => f(row)), { nullable: false });
    },
  }),
  defineFunction({
    name: 'named_struct', group: 'struct', kind: 'scalar', params: [cols('cols')], py: 'named_struct',
    doc: 'A struct from alternating field names and values: `named_struct("a", x, "b", y)`.',
    compile: (c) => {
      const pairs: [string, Compiled][] = [];
      for (let i = 0; i + 1 < c.args.length; i += 2) pairs.push([String(c.literal(i)), c.raw(i + 1)]);
      const type = new StructType(pairs.map(([n, x]) => new StructField(n, x.type, x.nullable, x.metadata)));
      const fs = pairs.map(([, x]) => x.eval);
      return c.make(type, (row) => fs.map((f) => f(row)), { nullable: false });
    },
  }),
  generator('explode', 'One row per element of an array (or key and value of a map); rows with an empty or NULL collection are dropped.'),
  generator('explode_outer', 'One row per element of an array (or key and value of a map); an empty or NULL collection gives one row of NULL.'),
];
