/**
 * Aggregate functions as buffer operations: create / update (one input row) / merge (two partial
 * buffers, used when session windows merge) / evaluate. Buffers are JSON-friendly plain values so
 * the state store can snapshot them; `update` returns the (possibly new) buffer and may mutate
 * arrays it owns (callers copy buffers loaded from committed state first).
 */
import { AnalysisException } from '../errors.js';
import type { Expr } from '../expressions/expr.js';
import { javaDouble } from '../../format/java-number.js';
import { castTo } from '../expressions/compiled.js';
import { ArrayType, DATE, DOUBLE, LONG, STRING, isIntegral, isNumeric, isTimestamp } from '../types.js';
import { unexpectedInputType } from './input-types.js';
import { compareValues, encodeKey } from '../values.js';
import { col, cols, defineFunction, val, type AggregateContext, type AggregateFn, type FunctionSpec } from './function-spec.js';

/** The distinct-value buffer shared by `count(DISTINCT …)` and `approx_count_distinct`. */
function distinctCount(name: string, fs: readonly ((row: unknown[]) => unknown)[]): AggregateFn {
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

function count(c: AggregateContext): AggregateFn {
  const name = c.name;
  const isStar = c.args.length === 0 || c.args[0].kind === 'star';
  if (isStar || (c.args.length === 1 && c.args[0].kind === 'lit' && c.args[0].value !== null && !c.distinct)) {
    return { name, type: LONG, create: () => 0, update: (b) => (b as number) + 1, merge: (a, b) => (a as number) + (b as number), evaluate: (b) => b };
  }
  const fs = c.args.map((_, i) => c.raw(i).eval);
  if (c.distinct) return distinctCount(name, fs);
  return {
    name, type: LONG, create: () => 0,
    update: (b, row) => {
      for (const f of fs) if (f(row) === null) return b;
      return (b as number) + 1;
    },
    merge: (a, b) => (a as number) + (b as number), evaluate: (b) => b,
  };
}

/** Spark rewrites `count_if(p)` as `count(nullif(p, false))`: only true is counted. */
function countIf(c: AggregateContext): AggregateFn {
  const f = c.arg(0).eval;
  if (c.distinct) return distinctCount(c.name, [(row) => (f(row) === true ? true : null)]);
  return {
    name: c.name, type: LONG, create: () => 0,
    update: (b, row) => (f(row) === true ? (b as number) + 1 : b),
    merge: (a, b) => (a as number) + (b as number), evaluate: (b) => b,
  };
}

function sum(c: AggregateContext): AggregateFn {
  const a = c.arg(0);
  const f = a.eval;
  return {
    name: c.name, type: isIntegral(a.type) ? LONG : DOUBLE, create: () => null,
    update: (b, row) => {
      const v = f(row);
      if (v === null) return b;
      return b === null ? (v as number) : (b as number) + (v as number);
    },
    merge: (x, y) => (x === null ? y : y === null ? x : (x as number) + (y as number)),
    evaluate: (b) => b,
  };
}

function avg(c: AggregateContext): AggregateFn {
  const f = c.arg(0).eval;
  return {
    name: c.name, type: DOUBLE, create: () => [0, 0],
    update: (b, row) => {
      const v = f(row);
      if (v === null) return b;
      const a = b as number[];
      a[0] += v as number;
      a[1] += 1;
      return a;
    },
    merge: (x, y) => [(x as number[])[0] + (y as number[])[0], (x as number[])[1] + (y as number[])[1]],
    evaluate: (b) => ((b as number[])[1] === 0 ? null : (b as number[])[0] / (b as number[])[1]),
  };
}

function extreme(sign: 1 | -1) {
  return (c: AggregateContext): AggregateFn => {
    const a = c.arg(0);
    const f = a.eval;
    const better = (x: unknown, y: unknown): unknown => (x === null ? y : y === null ? x : sign * compareValues(y, x) > 0 ? y : x);
    return { name: c.name, type: a.type, create: () => null, update: (b, row) => better(b, f(row)), merge: better, evaluate: (b) => b };
  };
}

function firstOrLast(first: boolean) {
  return (c: AggregateContext): AggregateFn => {
    const a = c.arg(0);
    const f = a.eval;
    const ignoreNulls = c.has(1) && c.literal(1) === true;
    // Buffer: [value, seen]; `seen` distinguishes "no row yet" from a NULL value.
    if (first) {
      return {
        name: c.name, type: a.type, create: () => [null, false],
        update: (b, row) => {
          const s = b as [unknown, boolean];
          if (s[1]) return s;
          const v = f(row);
          if (v === null && ignoreNulls) return s;
          return [v, true];
        },
        merge: (x, y) => ((x as [unknown, boolean])[1] ? x : y),
        evaluate: (b) => (b as [unknown, boolean])[0],
      };
    }
    return {
      name: c.name, type: a.type, create: () => [null, false],
      update: (b, row) => {
        const v = f(row);
        if (v === null && ignoreNulls) return b;
        return [v, true];
      },
      merge: (x, y) => ((y as [unknown, boolean])[1] ? y : x),
      evaluate: (b) => (b as [unknown, boolean])[0],
    };
  };
}

function collect(set: boolean) {
  return (c: AggregateContext): AggregateFn => {
    const a = c.arg(0);
    const f = a.eval;
    return {
      name: c.name, type: new ArrayType(a.type, false), create: () => [],
      update: (b, row) => {
        const v = f(row);
        if (v === null) return b;
        const xs = b as unknown[];
        if (!set || !xs.some((x) => compareValues(x, v) === 0)) xs.push(v);
        return xs;
      },
      merge: (x, y) => {
        const out = [...(x as unknown[])];
        for (const v of y as unknown[]) if (!set || !out.some((z) => compareValues(z, v) === 0)) out.push(v);
        return out;
      },
      evaluate: (b) => [...(b as unknown[])],
    };
  };
}

/**
 * Spark's central moments (`CentralMomentAgg`, order 2): buffer `[n, avg, m2]` updated one value at
 * a time with Spark's own recurrences, so sums of squares round as they do in Spark.
 */
function moment(evaluate: (n: number, m2: number) => number | null) {
  return (c: AggregateContext): AggregateFn => {
    const f = c.arg(0).eval;
    return {
      name: c.name, type: DOUBLE, create: () => [0, 0, 0],
      update: (b, row) => {
        const v = f(row);
        if (v === null) return b;
        const [n, avg, m2] = b as number[];
        const newN = n + 1;
        const delta = (v as number) - avg;
        const deltaN = delta / newN;
        return [newN, avg + deltaN, m2 + delta * (delta - deltaN)];
      },
      merge: (x, y) => {
        const [n1, avg1, m21] = x as number[];
        const [n2, avg2, m22] = y as number[];
        const newN = n1 + n2;
        const delta = avg2 - avg1;
        const deltaN = newN === 0 ? 0 : delta / newN;
        return [newN, avg1 + deltaN * n2, m21 + m22 + delta * deltaN * n1 * n2];
      },
      evaluate: (b) => ((b as number[])[0] === 0 ? null : evaluate((b as number[])[0], (b as number[])[2])),
    };
  };
}

/**
 * Spark's co-moments of two columns (`Covariance`, `PearsonCorrelation`): buffer
 * `[n, xAvg, yAvg, ck, xMk, yMk]`; a row where either value is NULL is left out.
 */
function coMoment(evaluate: (n: number, ck: number, xMk: number, yMk: number) => number | null) {
  return (c: AggregateContext): AggregateFn => {
    const fx = c.arg(0).eval;
    const fy = c.arg(1).eval;
    return {
      name: c.name, type: DOUBLE, create: () => [0, 0, 0, 0, 0, 0],
      update: (b, row) => {
        const x = fx(row);
        const y = fy(row);
        if (x === null || y === null) return b;
        const [n, xAvg, yAvg, ck, xMk, yMk] = b as number[];
        const newN = n + 1;
        const dx = (x as number) - xAvg;
        const dy = (y as number) - yAvg;
        const newXAvg = xAvg + dx / newN;
        const newYAvg = yAvg + dy / newN;
        return [newN, newXAvg, newYAvg, ck + dx * ((y as number) - newYAvg), xMk + dx * ((x as number) - newXAvg), yMk + dy * ((y as number) - newYAvg)];
      },
      merge: (l, r) => {
        const [n1, xAvg1, yAvg1, ck1, xMk1, yMk1] = l as number[];
        const [n2, xAvg2, yAvg2, ck2, xMk2, yMk2] = r as number[];
        const newN = n1 + n2;
        const dx = xAvg2 - xAvg1;
        const dxN = newN === 0 ? 0 : dx / newN;
        const dy = yAvg2 - yAvg1;
        const dyN = newN === 0 ? 0 : dy / newN;
        return [newN, xAvg1 + dxN * n2, yAvg1 + dyN * n2, ck1 + ck2 + dx * dyN * n1 * n2, xMk1 + xMk2 + dx * dxN * n1 * n2, yMk1 + yMk2 + dy * dyN * n1 * n2];
      },
      evaluate: (b) => {
        const [n, , , ck, xMk, yMk] = b as number[];
        return n === 0 ? null : evaluate(n, ck, xMk, yMk);
      },
    };
  };
}

// With one row a sample statistic divides by zero: Spark 3 gives NULL (spark.sql.legacy.statisticalAggregate=false).
const sample = (f: (n: number) => number) => (n: number): number | null => (n === 1 ? null : f(n));

/** The constant percentages of `percentile_approx`: one number or an array of them. */
function percentages(c: AggregateContext): { list: number[]; many: boolean } {
  const a = c.args[1];
  const literalNumber = (x: Expr | undefined): number | undefined => {
    const v = x?.kind === 'lit' ? x.value : x?.kind === 'cast' && x.expr.kind === 'lit' ? x.expr.value : undefined;
    return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : undefined;
  };
  let list: (number | undefined)[];
  let many = false;
  if (a?.kind === 'call' && a.name.toLowerCase() === 'array') {
    list = a.args.map(literalNumber);
    many = true;
  } else if (a?.kind === 'lit' && Array.isArray(a.value)) {
    list = (a.value as unknown[]).map((v) => (typeof v === 'number' ? v : undefined));
    many = true;
  } else list = [literalNumber(a)];
  if (list.some((p) => p === undefined)) {
    throw new AnalysisException(`[DATATYPE_MISMATCH.NON_FOLDABLE_INPUT] Cannot resolve "${c.name}" due to data type mismatch: the input percentage should be a foldable "DOUBLE" expression; however, got "${c.sql(1)}".`, { code: 'DATATYPE_MISMATCH.NON_FOLDABLE_INPUT' });
  }
  return { list: list as number[], many };
}

/** One entry of Spark's quantile summary (QuantileSummaries.Stats). */
interface QuantileSample { value: number; g: number; delta: number }

/**
 * Spark's quantile summary over `sorted` as one head-buffer flush builds it (each value's rank error
 * floor(2 × relativeError × k), none for the first and the last), compressed as Spark compresses it
 * before answering, then queried as `QuantileSummaries.query` does. While 2 × n < accuracy every
 * error is zero and the answer is exact: the value at rank ceil(p × n).
 */
function quantileSummary(sorted: readonly number[], relativeError: number): QuantileSample[] {
  const n = sorted.length;
  const samples = sorted.map((value, k) => ({ value, g: 1, delta: k === 0 || k === n - 1 ? 0 : Math.floor(2 * relativeError * (k + 1)) }));
  if (samples.length < 3) return samples;
  const mergeThreshold = 2 * relativeError * n;
  const out: QuantileSample[] = [];
  let head = samples[samples.length - 1];
  for (let i = samples.length - 2; i >= 1; i--) {
    const s = samples[i];
    if (s.g + head.g + head.delta < mergeThreshold) head = { ...head, g: head.g + s.g };
    else {
      out.unshift(head);
      head = s;
    }
  }
  out.unshift(head);
  // The least value is never merged; Spark puts it back in front.
  if (samples[0].value <= head.value) out.unshift(samples[0]);
  return out;
}

function quantileQuery(samples: readonly QuantileSample[], count: number, relativeError: number, p: number): number {
  if (p <= relativeError) return samples[0].value;
  if (p >= 1 - relativeError) return samples[samples.length - 1].value;
  const rank = Math.ceil(p * count);
  const targetError = Math.floor(Math.max(...samples.map((s) => s.delta + s.g)) / 2);
  let minRank = 0;
  for (let i = 0; i < samples.length - 1; i++) {
    minRank += samples[i].g;
    const maxRank = minRank + samples[i].delta;
    if (maxRank - targetError <= rank && rank <= minRank + targetError) return samples[i].value;
  }
  return samples[samples.length - 1].value;
}

/**
 * Spark's `percentile_approx` (ApproximatePercentile) over its quantile summary (above): exact while
 * twice the count stays under the accuracy (10,000 by default), Spark's approximation beyond. The
 * buffer keeps the values; Spark's summary is built from them in one pass when the group is read.
 */
function percentileApprox(c: AggregateContext): AggregateFn {
  const raw = c.arg(0);
  // Strings are cast to DOUBLE, as Spark's implicit cast does (an unreadable one is NULL, left out).
  const a = raw.type === STRING ? castTo(raw, DOUBLE) : raw;
  if (!(isNumeric(a.type) || a.type === DATE || isTimestamp(a.type))) {
    throw unexpectedInputType(c.name, 1, '("NUMERIC" or "DATE" or "TIMESTAMP" or "TIMESTAMP_NTZ" or "INTERVAL YEAR TO MONTH" or "INTERVAL DAY TO SECOND")', c.sql(0), a.type);
  }
  const { list, many } = percentages(c);
  const accuracyValue = c.has(2) ? c.literal(2) : 10000;
  const accuracy = Number(accuracyValue);
  if (!(accuracy > 0) || accuracy > 2147483647) {
    throw new AnalysisException(`[DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE] Cannot resolve "${c.name}" due to data type mismatch: The accuracy must be between (0, 2147483647] (current value = ${String(accuracyValue)}L).`, { code: 'DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE' });
  }
  for (const p of list) {
    if (p < 0 || p > 1) {
      throw new AnalysisException(`[DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE] Cannot resolve "${c.name}" due to data type mismatch: The percentage must be between [0.0, 1.0] (current value = ${javaDouble(p)}D).`, { code: 'DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE' });
    }
  }
  const f = a.eval;
  const relativeError = 1 / accuracy;
  const integral = isIntegral(a.type);
  return {
    name: c.name, type: many ? new ArrayType(a.type, false) : a.type, create: () => [],
    update: (b, row) => {
      const v = f(row);
      if (v !== null) (b as number[]).push(v as number);
      return b;
    },
    merge: (x, y) => [...(x as number[]), ...(y as number[])],
    evaluate: (b) => {
      const xs = b as number[];
      if (xs.length === 0) return null;
      const samples = quantileSummary([...xs].sort((p, q) => p - q), relativeError);
      const values = list.map((p) => {
        const v = quantileQuery(samples, xs.length, relativeError, p);
        return integral ? Math.trunc(v) : v;
      });
      return many ? values : values[0];
    },
  };
}

/** `*` is only an argument of `count`. */
function noStar(f: (c: AggregateContext) => AggregateFn) {
  return (c: AggregateContext): AggregateFn => {
    if (c.args.length === 0 || c.args[0].kind === 'star') {
      throw new AnalysisException(`[INVALID_USAGE_OF_STAR_OR_REGEX] Invalid usage of '*' in ${c.call.name}.`, { code: 'INVALID_USAGE_OF_STAR_OR_REGEX' });
    }
    return f(c);
  };
}

export const aggregateFunctions: readonly FunctionSpec[] = [
  defineFunction({
    name: 'count', group: 'aggregate', kind: 'aggregate', params: [cols('col')], facade: 'manual',
    doc: 'The number of rows (`count("*")`) or of rows where the columns are not NULL; `count(DISTINCT …)` counts distinct values.',
    columnName: (args, call) => (call.args.length === 1 && (call.args[0].kind === 'star' || (call.args[0].kind === 'lit' && call.args[0].value === 1)) ? `count(${call.distinct ? 'DISTINCT ' : ''}1)` : undefined),
    aggregate: count,
  }),
  defineFunction({
    name: 'count_distinct', group: 'aggregate', kind: 'aggregate', params: [col('col'), cols('cols')], facade: 'manual', pyAliases: ['countDistinct'],
    doc: 'The number of distinct values (rows with a NULL are not counted).',
    aggregate: (c) => distinctCount(c.name, c.args.map((_, i) => c.raw(i).eval)),
  }),
  defineFunction({
    name: 'sum', group: 'aggregate', kind: 'aggregate', params: [col('col', 'numeric-or-interval')], doc: 'The sum (bigint for integers, double otherwise).',
    aggregate: noStar(sum),
  }),
  defineFunction({
    name: 'avg', aliases: ['mean'], group: 'aggregate', kind: 'aggregate', params: [col('col', 'numeric-or-interval')], doc: 'The mean of the values that are not NULL.',
    aggregate: noStar(avg),
  }),
  defineFunction({ name: 'min', group: 'aggregate', kind: 'aggregate', params: [col('col')], doc: 'The least value of the group.', aggregate: noStar(extreme(-1)) }),
  defineFunction({ name: 'max', group: 'aggregate', kind: 'aggregate', params: [col('col')], doc: 'The greatest value of the group.', aggregate: noStar(extreme(1)) }),
  defineFunction({
    name: 'first', aliases: ['first_value', 'any_value'], group: 'aggregate', kind: 'aggregate',
    params: [col('col'), val('ignorenulls', 'boolean', 'boolean', { optional: true, default: false })], facade: 'manual',
    doc: 'The first value seen in the group (the first that is not NULL with `ignorenulls`).', aggregate: noStar(firstOrLast(true)),
  }),
  defineFunction({
    name: 'last', aliases: ['last_value'], group: 'aggregate', kind: 'aggregate',
    params: [col('col'), val('ignorenulls', 'boolean', 'boolean', { optional: true, default: false })], facade: 'manual',
    doc: 'The last value seen in the group (the last that is not NULL with `ignorenulls`).', aggregate: noStar(firstOrLast(false)),
  }),
  defineFunction({
    name: 'count_if', group: 'aggregate', kind: 'aggregate', params: [col('col', 'boolean', { strict: true })],
    doc: 'The number of rows where the condition is true (NULL and false are not counted).',
    aggregate: noStar(countIf),
  }),
  defineFunction({
    name: 'percentile_approx', aliases: ['approx_percentile'], pyAliases: ['approx_percentile'], group: 'aggregate', kind: 'aggregate', facade: 'manual',
    params: [col('col'), val('percentage', 'any'), val('accuracy', 'number', 'int', { optional: true, default: 10000, nameDefault: '10000' })],
    doc: "The value at a percentile (an array of them for an array of percentages) from Spark's quantile summary: the value at rank ceil(percentage × count) while twice the count is under `accuracy`, Spark's approximation beyond.",
    aggregate: noStar(percentileApprox),
  }),
  defineFunction({ name: 'collect_list', group: 'aggregate', kind: 'aggregate', params: [col('col')], doc: 'The values of the group as an array (NULLs left out).', aggregate: noStar(collect(false)) }),
  defineFunction({ name: 'collect_set', group: 'aggregate', kind: 'aggregate', params: [col('col')], doc: 'The distinct values of the group as an array (NULLs left out).', aggregate: noStar(collect(true)) }),
  defineFunction({
    name: 'approx_count_distinct', group: 'aggregate', kind: 'aggregate', params: [col('col'), val('rsd', 'number', 'double', { optional: true })],
    doc: 'The number of distinct values (counted exactly here; Spark estimates it with HyperLogLog++).',
    aggregate: noStar((c) => distinctCount(c.name, [c.raw(0).eval])),
  }),
  defineFunction({
    name: 'stddev_samp', aliases: ['stddev', 'std'], group: 'aggregate', kind: 'aggregate', params: [col('col', 'double')], pyAliases: ['stddev', 'std'],
    doc: 'The sample standard deviation (NULL for a single value).',
    aggregate: noStar(moment((n, m2) => sample(() => Math.sqrt(m2 / (n - 1)))(n))),
  }),
  defineFunction({
    name: 'stddev_pop', group: 'aggregate', kind: 'aggregate', params: [col('col', 'double')],
    doc: 'The population standard deviation.', aggregate: noStar(moment((n, m2) => Math.sqrt(m2 / n))),
  }),
  defineFunction({
    name: 'var_samp', aliases: ['variance'], prettyName: 'var_samp', group: 'aggregate', kind: 'aggregate', params: [col('col', 'double')], pyAliases: ['variance'],
    doc: 'The sample variance (NULL for a single value).', aggregate: noStar(moment((n, m2) => sample(() => m2 / (n - 1))(n))),
  }),
  defineFunction({
    name: 'var_pop', group: 'aggregate', kind: 'aggregate', params: [col('col', 'double')],
    doc: 'The population variance.', aggregate: noStar(moment((n, m2) => m2 / n)),
  }),
  defineFunction({
    name: 'covar_samp', group: 'aggregate', kind: 'aggregate', params: [col('col1', 'double'), col('col2', 'double')],
    doc: 'The sample covariance of two columns (rows with a NULL left out; NULL for a single pair).',
    aggregate: noStar(coMoment((n, ck) => sample(() => ck / (n - 1))(n))),
  }),
  defineFunction({
    name: 'covar_pop', group: 'aggregate', kind: 'aggregate', params: [col('col1', 'double'), col('col2', 'double')],
    doc: 'The population covariance of two columns (rows with a NULL left out).', aggregate: noStar(coMoment((n, ck) => ck / n)),
  }),
  defineFunction({
    name: 'corr', group: 'aggregate', kind: 'aggregate', params: [col('col1', 'double'), col('col2', 'double')],
    doc: "Pearson's correlation coefficient of two columns (rows with a NULL left out; NULL for a single pair or when a column is constant).",
    // Spark divides with its `/`, which gives NULL for a zero divisor (a constant column).
    aggregate: noStar(coMoment((n, ck, xMk, yMk) => (xMk * yMk === 0 ? null : sample(() => ck / Math.sqrt(xMk * yMk))(n)))),
  }),
];
