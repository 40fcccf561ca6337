/**
 * Mathematical functions, computed as java.lang.Math computes them (Spark's mathExpressions).
 */
import { castTo, commonType, type Compiled } from '../expressions/compiled.js';
import { compareValues } from '../values.js';
import { DOUBLE, LONG, isIntegral, widerNumeric } from '../types.js';
import { AnalysisException } from '../errors.js';
import { col, cols, defineFunction, val, type CallContext, type FunctionSpec } from './function-spec.js';

/** A one-argument function of a double giving a double (NULL in, NULL out). */
function unaryDouble(name: string, doc: string, f: (v: number) => number | null, extra: Partial<FunctionSpec> = {}): FunctionSpec {
  return defineFunction({
    name, group: 'math', kind: 'scalar', params: [col('col', 'double')], doc,
    compile: (c) => c.strict1(DOUBLE, c.arg(0), f), ...extra,
  });
}

/** HALF_UP (`round`) or HALF_EVEN (`bround`) on the decimal representation, as Java's BigDecimal does. */
function rounder(halfEven: boolean) {
  return (c: CallContext): Compiled => {
    const a = c.arg(0);
    const scale = c.has(1) ? Number(c.literal(1) ?? 0) : 0;
    const p = 10 ** scale;
    return c.strict1(a.type, a, (v: number) => {
      if (!Number.isFinite(v)) return v;
      const shifted = Number(`${Math.abs(v)}e${scale}`);
      let whole = Math.round(shifted);
      if (halfEven && shifted % 1 === 0.5 && whole % 2 === 1) whole -= 1;
      const r = Math.sign(v) * Number(`${whole}e${-scale}`);
      return Number.isNaN(r) ? Math.round(v * p) / p : r;
    });
  };
}

function extreme(name: 'greatest' | 'least'): FunctionSpec {
  const sign = name === 'greatest' ? 1 : -1;
  return defineFunction({
    name, group: 'math', kind: 'scalar', params: [cols('cols')],
    doc: name === 'greatest' ? 'The greatest value of the columns, skipping nulls.' : 'The least value of the columns, skipping nulls.',
    compile: (c) => {
      const { type, evals } = commonType(c.args.map((_, i) => c.raw(i)));
      return c.make(type, (row) => {
        let best: unknown = null;
        for (const f of evals) {
          const v = f(row);
          if (v !== null && (best === null || sign * compareValues(v, best) > 0)) best = v;
        }
        return best;
      });
    },
  });
}

export const mathFunctions: readonly FunctionSpec[] = [
  defineFunction({
    name: 'abs', group: 'math', kind: 'scalar', params: [col('col', 'numeric')], doc: 'The absolute value.',
    example: { sql: 'abs(-1)', result: '1' },
    compile: (c) => { const a = c.arg(0); return c.strict1(a.type, a, Math.abs); },
  }),
  defineFunction({
    name: 'ceil', aliases: ['ceiling'], pyAliases: ['ceiling'], group: 'math', kind: 'scalar', params: [col('col', 'numeric')], prettyName: 'CEIL',
    doc: 'The smallest integer not less than the value.', example: { sql: 'ceil(-0.1)', result: '0' },
    compile: (c) => c.strict1(LONG, c.arg(0), Math.ceil),
  }),
  defineFunction({
    name: 'floor', group: 'math', kind: 'scalar', params: [col('col', 'numeric')], prettyName: 'FLOOR',
    doc: 'The largest integer not greater than the value.', example: { sql: 'floor(-0.1)', result: '-1' },
    compile: (c) => c.strict1(LONG, c.arg(0), Math.floor),
  }),
  defineFunction({
    name: 'round', group: 'math', kind: 'scalar', params: [col('col', 'numeric'), val('scale', 'number', 'int', { optional: true, default: 0, nameDefault: '0' })],
    doc: 'Rounds to `scale` decimal places, half up.', example: { sql: 'round(2.5, 0)', result: '3' },
    compile: rounder(false),
  }),
  defineFunction({
    name: 'bround', group: 'math', kind: 'scalar', params: [col('col', 'numeric'), val('scale', 'number', 'int', { optional: true, default: 0, nameDefault: '0' })],
    doc: "Rounds to `scale` decimal places, half to even (banker's rounding).", example: { sql: 'bround(2.5, 0)', result: '2' },
    compile: rounder(true),
  }),
  unaryDouble('sqrt', 'The square root.', (v) => (v < 0 ? NaN : Math.sqrt(v)), { prettyName: 'SQRT', example: { sql: 'sqrt(4)', result: '2.0' } }),
  unaryDouble('cbrt', 'The cube root.', Math.cbrt, { prettyName: 'CBRT' }),
  unaryDouble('exp', 'e raised to the value.', Math.exp, { prettyName: 'EXP' }),
  unaryDouble('ln', 'The natural logarithm (NULL for values <= 0).', (v) => (v <= 0 ? null : Math.log(v))),
  unaryDouble('log10', 'The logarithm in base 10 (NULL for values <= 0).', (v) => (v <= 0 ? null : Math.log10(v)), { prettyName: 'LOG10' }),
  unaryDouble('log2', 'The logarithm in base 2 (NULL for values <= 0).', (v) => (v <= 0 ? null : Math.log2(v)), { prettyName: 'LOG2' }),
  unaryDouble('log1p', 'ln(1 + value) (NULL for values <= -1).', (v) => (v <= -1 ? null : Math.log1p(v)), { prettyName: 'LOG1P' }),
  defineFunction({
    name: 'log', group: 'math', kind: 'scalar', params: [col('arg1', 'double'), col('arg2', 'double', { optional: true })], facade: 'manual',
    doc: '`log(x)`: the natural logarithm; `log(base, x)`: the logarithm in `base` (NULL for values <= 0).',
    columnName: (args) => (args.length === 1 ? `LOG(E(), ${args[0]})` : `LOG(${args.join(', ')})`),
    compile: (c) => {
      if (!c.has(1)) return c.strict1(DOUBLE, c.arg(0), (v: number) => (v <= 0 ? null : Math.log(v)));
      return c.strict2(DOUBLE, c.arg(0), c.arg(1), (b: number, x: number) => (b <= 0 || x <= 0 ? null : Math.log(x) / Math.log(b)));
    },
  }),
  defineFunction({
    name: 'power', aliases: ['pow'], group: 'math', kind: 'scalar', params: [col('col1', 'double'), col('col2', 'double')], facade: 'manual', py: 'pow',
    prettyName: { power: 'POWER' }, doc: '`col1` raised to the power `col2`.', example: { sql: 'pow(2, 10)', result: '1024.0' },
    compile: (c) => c.strict2(DOUBLE, c.arg(0), c.arg(1), (x: number, y: number) => x ** y),
  }),
  unaryDouble('signum', 'The sign of the value: -1.0, 0.0 or 1.0.', (v) => (Number.isNaN(v) ? NaN : Math.sign(v) + 0), { aliases: ['sign'], pyAliases: ['sign'], prettyName: 'SIGNUM' }),
  unaryDouble('degrees', 'Radians to degrees.', (v) => (v * 180) / Math.PI, { prettyName: 'DEGREES' }),
  unaryDouble('radians', 'Degrees to radians.', (v) => (v / 180) * Math.PI, { prettyName: 'RADIANS' }),
  unaryDouble('sin', 'The sine (radians).', Math.sin, { prettyName: 'SIN' }),
  unaryDouble('cos', 'The cosine (radians).', Math.cos, { prettyName: 'COS' }),
  unaryDouble('tan', 'The tangent (radians).', Math.tan, { prettyName: 'TAN' }),
  defineFunction({
    name: 'e', group: 'math', kind: 'scalar', params: [], prettyName: 'E', doc: "Euler's number.",
    compile: (c) => c.make(DOUBLE, () => Math.E, { nullable: false }),
  }),
  defineFunction({
    name: 'pi', group: 'math', kind: 'scalar', params: [], prettyName: 'PI', doc: 'The number π.',
    compile: (c) => c.make(DOUBLE, () => Math.PI, { nullable: false }),
  }),
  defineFunction({
    name: 'pmod', group: 'math', kind: 'scalar', params: [col('dividend', 'numeric'), col('divisor', 'numeric')], facade: 'manual',
    doc: 'The positive remainder of `dividend / divisor` (NULL when dividing by 0).', example: { sql: 'pmod(-7, 3)', result: '2' },
    compile: (c) => {
      const a = c.arg(0);
      const b = c.arg(1);
      const type = widerNumeric(a.type, b.type);
      return c.strict2(type, castTo(a, type), castTo(b, type), (x: number, y: number) => {
        if (y === 0) return null;
        const r = x % y;
        return r < 0 ? (r + y) % y : r;
      });
    },
  }),
  extreme('greatest'),
  extreme('least'),
  defineFunction({
    name: 'positive', group: 'math', kind: 'scalar', params: [col('col', 'numeric')],
    doc: 'The value itself (SQL `+x`).', columnName: (args) => `(+ ${args[0]})`,
    compile: (c) => {
      const a = c.arg(0);
      return c.make(a.type, a.eval);
    },
  }),
  defineFunction({
    name: 'bitwise_not', group: 'math', kind: 'scalar', params: [col('col', 'numeric')],
    doc: 'The bits of an integral value inverted (SQL `~x`).', example: { sql: '~0', result: '-1' }, columnName: (args) => `~${args[0]}`,
    compile: (c) => {
      const a = c.arg(0);
      if (!isIntegral(a.type)) throw new AnalysisException(`[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "~${c.sql(0)}" due to data type mismatch: Parameter 1 requires the "INTEGRAL" type, however "${c.sql(0)}" has the type "${a.type.simpleString().toUpperCase()}".`, { code: 'DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE' });
      return a.type === LONG ? c.strict1(LONG, a, (v: number) => Number(BigInt.asIntN(64, ~BigInt(v)))) : c.strict1(a.type, a, (v: number) => ~v);
    },
  }),
];

