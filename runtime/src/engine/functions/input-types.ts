/**
 * Spark's input-type checks for function arguments: each parameter names the type it expects;
 * an argument of another type is cast when Spark casts it implicitly (ImplicitCastInputTypes:
 * numbers and strings to each other, atomic values to strings, strings to dates) and otherwise
 * the query fails with DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE in Spark 3.5's words. A parameter
 * marked `strict` is checked without any cast (ExpectsInputTypes: `from_json` on BINARY fails).
 */
import { castTo, sqlTypeName, type Compiled } from '../expressions/compiled.js';
import { AnalysisException } from '../errors.js';
import {
  BINARY, BOOLEAN, DATE, DOUBLE, INT, LONG, NULL, STRING, TIMESTAMP, isNumeric, isTimestamp, type DataType,
} from '../types.js';
import type { InputType } from './function-spec.js';

/** How Spark's messages name each expected type. */
const EXPECTED: Record<InputType, string> = {
  any: '"ANY"',
  numeric: '"NUMERIC"',
  double: '"DOUBLE"',
  int: '"INT"',
  long: '"BIGINT"',
  string: '"STRING"',
  binary: '"BINARY"',
  'string-or-binary': '("STRING" or "BINARY")',
  boolean: '"BOOLEAN"',
  timestamp: '"(TIMESTAMP OR TIMESTAMP WITHOUT TIME ZONE)"',
  date: '"DATE"',
  array: '"ARRAY"',
  map: '"MAP"',
  'array-or-map': '("ARRAY" or "MAP")',
  struct: '"STRUCT"',
  'numeric-or-interval': '"NUMERIC" or "ANSI INTERVAL"',
};

/** The error Spark raises for an argument of the wrong type. */
export function unexpectedInputType(callName: string, position: number, expected: InputType | string, argSql: string, actual: DataType): AnalysisException {
  const want = (EXPECTED as Record<string, string>)[expected] ?? expected;
  return new AnalysisException(
    `[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "${callName}" due to data type mismatch: Parameter ${position} requires the ${want} type, however "${argSql}" has the type "${sqlTypeName(actual)}".`,
    { code: 'DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE' },
  );
}

const isAtomic = (t: DataType) => t.kind === 'atomic';
const isString = (t: DataType) => t === STRING;
const isDate = (t: DataType) => t === DATE;

/**
 * Coerces a compiled argument to a parameter's input type, or throws Spark's error.
 * `position` is 1-based, as Spark counts parameters.
 */
export function coerceArgument(c: Compiled, expected: InputType, strict: boolean, callName: string, position: number, argSql: string): Compiled {
  const t = c.type;
  const fail = (): never => {
    throw unexpectedInputType(callName, position, expected, argSql, t);
  };
  if (expected === 'any') return c;
  if (t === NULL) {
    // A NULL literal takes any type.
    const to: Record<string, DataType> = { double: DOUBLE, int: INT, long: LONG, string: STRING, binary: BINARY, 'string-or-binary': STRING, boolean: BOOLEAN, timestamp: TIMESTAMP, date: DATE, numeric: DOUBLE, 'numeric-or-interval': DOUBLE };
    return to[expected] ? castTo(c, to[expected]) : c;
  }
  switch (expected) {
    case 'numeric': case 'numeric-or-interval':
      if (isNumeric(t)) return c;
      if (!strict && isString(t)) return castTo(c, DOUBLE);
      return fail();
    case 'double': case 'int': case 'long': {
      const to = expected === 'double' ? DOUBLE : expected === 'int' ? INT : LONG;
      if (isNumeric(t) || (!strict && isString(t))) return castTo(c, to);
      return fail();
    }
    case 'string':
      if (isString(t)) return c;
      if (!strict && isAtomic(t)) return castTo(c, STRING);
      return fail();
    case 'binary':
      if (t === BINARY) return c;
      if (!strict && isString(t)) return castTo(c, BINARY);
      return fail();
    case 'string-or-binary':
      if (isString(t) || t === BINARY) return c;
      if (!strict && isAtomic(t)) return castTo(c, STRING);
      return fail();
    case 'boolean':
      if (t === BOOLEAN) return c;
      if (!strict && isString(t)) return castTo(c, BOOLEAN);
      return fail();
    case 'timestamp':
      if (isTimestamp(t)) return c;
      if (!strict && (isString(t) || isDate(t))) return castTo(c, TIMESTAMP);
      return fail();
    case 'date':
      if (isDate(t)) return c;
      if (!strict && (isString(t) || isTimestamp(t))) return castTo(c, DATE);
      return fail();
    case 'array': return t.kind === 'array' ? c : fail();
    case 'map': return t.kind === 'map' ? c : fail();
    case 'array-or-map': return t.kind === 'array' || t.kind === 'map' ? c : fail();
    case 'struct': return t.kind === 'struct' ? c : fail();
  }
}
