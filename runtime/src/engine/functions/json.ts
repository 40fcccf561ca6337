/**
 * JSON functions (Spark's jsonExpressions): `from_json` with Spark 3.5's PERMISSIVE partial results
 * and FAILFAST, `to_json`, `get_json_object` and `json_tuple` (see `json-path.ts`), and the
 * conversions between JSON values and the engine's values.
 */
import { noteMalformed, type Compiled, type EvalContext } from '../expressions/compiled.js';
import { formatWithPattern } from '../datetime-pattern.js';
import { AnalysisException } from '../errors.js';
import type { Expr } from '../expressions/expr.js';
import { jsonBytesReader } from '../json-bytes.js';
import { getJsonObject, jsonNodeRaw, parseFirstJsonValue, parseJsonPath, schemaOfJson, type JsonNode, type JsonReadOptions } from '../json-path.js';
import { parseTimestamp } from '../time.js';
import { sessionZone, UTC_ZONE, type Zone } from '../time-zone.js';
import { BINARY, STRING, StructType, parseDataType, sameType, type DataType } from '../types.js';
import { javaDouble, javaFloat } from '../../format/java-number.js';
import { fromUtf8, toSparkString } from '../values.js';
import { col, defineFunction, val, type CallContext, type FunctionSpec } from './function-spec.js';

const JSON_TS_FORMAT = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";
const JSON_NTZ_FORMAT = "yyyy-MM-dd'T'HH:mm:ss.SSS";

/** `from_json`'s JSONOptions defaults: single quotes and non-numeric numbers read, raw control characters not. */
const FROM_JSON_READ: JsonReadOptions = { strictStrings: true, nonNumericNumbers: true };

/** Set while converting one record when some part of it could not be read (Spark's BadRecordException). */
export interface JsonConversionState {
  bad: boolean;
}

/**
 * Converts a parsed JSON value into the engine's representation for `type`, as Spark 3.5's
 * JacksonParser does with partial results: a struct field that cannot be read becomes null and the
 * rest of the struct is kept; an array or map with an unreadable element is unreadable as a whole;
 * `undefined` means unreadable. `state.bad` records that something was dropped, so the record
 * counts as malformed. The value is the parsed token tree (`JsonNode`), not `JSON.parse`'s objects:
 * a number keeps its text and whether it was written as an integer, which decides what Spark reads
 * (`1.0` is not an INT; as a STRING it is "1.0"), and an object keeps its keys in order.
 */
export function fromJsonNode(v: JsonNode | null, type: DataType, state: JsonConversionState = { bad: false }, zone: Zone = UTC_ZONE): unknown {
  return jsonConverter(type, zone)(v, state);
}

type JsonConverter = (v: JsonNode | null, state: JsonConversionState) => unknown;

/**
 * Converters specialised per schema (and session time zone, which timestamps without a zone are
 * read in) once: `from_json` converts every record with the same one.
 */
const jsonConverters = new Map<string, WeakMap<DataType, JsonConverter>>();

function jsonConverter(type: DataType, zone: Zone): JsonConverter {
  let byType = jsonConverters.get(zone.id);
  if (!byType) jsonConverters.set(zone.id, (byType = new WeakMap()));
  let c = byType.get(type);
  if (!c) {
    c = buildJsonConverter(type, zone);
    byType.set(type, c);
  }
  return c;
}

const isNull = (v: JsonNode | null): v is null => v === null || (v.t === 'lit' && v.text === 'null');

/** The range of each integral type: a JSON integer outside it is not read (Jackson's coercion error). */
const INTEGRAL_RANGE: Record<string, readonly [bigint, bigint]> = {
  tinyint: [-128n, 127n],
  smallint: [-32768n, 32767n],
  int: [-2147483648n, 2147483647n],
  bigint: [-9223372036854775808n, 9223372036854775807n],
};

/** A JSON integer's value when it fits in `[lo, hi]` (zero without a sign), else undefined. */
function integral(v: JsonNode, lo: bigint, hi: bigint): number | undefined {
  if (v.t !== 'num' || v.float) return undefined;
  const x = BigInt(v.text);
  return x < lo || x > hi ? undefined : Number(x) + 0;
}

const DECIMAL_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function buildJsonConverter(type: DataType, zone: Zone): JsonConverter {
  if (type.kind === 'struct') {
    const index = new Map<string, number>();
    type.fields.forEach((f, i) => {
      if (!index.has(f.name)) index.set(f.name, i);
    });
    const convs = type.fields.map((f) => jsonConverter(f.dataType, zone));
    const n = type.fields.length;
    return (v, state) => {
      if (isNull(v)) return null;
      if (v.t !== 'obj') return undefined;
      // Fields are matched by exact name, as Spark's parser looks them up; a key given twice keeps its last value.
      const out = new Array<unknown>(n).fill(null);
      for (const [key, x] of v.entries) {
        const i = index.get(key);
        if (i === undefined) continue;
        const y = convs[i](x, state);
        if (y === undefined) {
          state.bad = true;
          out[i] = null;
        } else out[i] = y;
      }
      return out;
    };
  }
  if (type.kind === 'array') {
    const el = jsonConverter(type.elementType, zone);
    return (v, state) => {
      if (isNull(v)) return null;
      if (v.t !== 'arr') return undefined;
      const out = new Array<unknown>(v.items.length);
      for (let i = 0; i < v.items.length; i++) {
        const y = el(v.items[i], state);
        if (y === undefined) return undefined;
        out[i] = y;
      }
      return out;
    };
  }
  if (type.kind === 'map') {
    const val = jsonConverter(type.valueType, zone);
    return (v, state) => {
      if (isNull(v)) return null;
      if (v.t !== 'obj') return undefined;
      const out = new Map<string, unknown>();
      for (const [k, x] of v.entries) {
        const y = val(x, state);
        if (y === undefined) return undefined;
        out.set(k, y);
      }
      return out;
    };
  }
  if (type.kind !== 'atomic') return (v) => (isNull(v) ? null : undefined);
  const range = INTEGRAL_RANGE[type.name];
  if (range) {
    const [lo, hi] = range;
    return (v) => (isNull(v) ? null : integral(v, lo, hi));
  }
  switch (type.name) {
    case 'string':
      // A string's text; anything else as Jackson copies it: an integer's digits, a fraction as Java
      // prints the double (1.0 stays "1.0", 1707128717.277745 is "1.707128717277745E9").
      return (v) => (isNull(v) ? null : jsonNodeRaw(v));
    case 'double': case 'float':
      return (v) => {
        if (isNull(v)) return null;
        // An integer's value, as a double: "-0" is 0, as Jackson reads the integer first.
        if (v.t === 'num') return v.float ? Number(v.text) : Number(v.text) + 0;
        // Jackson's non-numeric numbers, which Spark allows by default as strings.
        if (v.t !== 'str') return undefined;
        if (v.v === 'NaN') return NaN;
        if (v.v === 'Infinity' || v.v === '+Infinity' || v.v === '+INF') return Infinity;
        if (v.v === '-Infinity' || v.v === '-INF') return -Infinity;
        return undefined;
      };
    case 'decimal':
      // A number, or a string that is one ("12" is 12).
      return (v) => {
        if (isNull(v)) return null;
        if (v.t === 'num') return Number.isFinite(Number(v.text)) ? Number(v.text) + 0 : undefined;
        return v.t === 'str' && DECIMAL_TEXT.test(v.v) ? Number(v.v) + 0 : undefined;
      };
    case 'boolean': return (v) => (isNull(v) ? null : v.t === 'lit' ? v.text === 'true' : undefined);
    case 'timestamp': case 'timestamp_ntz':
      return (v) => {
        if (isNull(v)) return null;
        if (v.t === 'str') return parseTimestamp(v.v, type.name === 'timestamp' ? zone : UTC_ZONE) ?? undefined;
        // A JSON integer is seconds since the epoch; a fraction is not read.
        const seconds = integral(v, INTEGRAL_RANGE.bigint[0], INTEGRAL_RANGE.bigint[1]);
        return seconds === undefined ? undefined : seconds * 1_000_000;
      };
    case 'date':
      return (v) => {
        if (isNull(v)) return null;
        if (v.t !== 'str') return undefined;
        const us = parseTimestamp(v.v);
        return us === null ? undefined : Math.floor(us / 86_400_000_000);
      };
    default: return (v) => (isNull(v) ? null : undefined);
  }
}

/** Converts an engine value into a JSON-ready value, as `to_json` does. */
export function toJsonValue(v: unknown, type: DataType, zone: Zone = UTC_ZONE): unknown {
  if (v === null || v === undefined) return null;
  if (type.kind === 'struct') {
    const out: Record<string, unknown> = {};
    type.fields.forEach((f, i) => {
      const x = (v as unknown[])[i];
      if (x !== null && x !== undefined) out[f.name] = toJsonValue(x, f.dataType, zone);
    });
    return out;
  }
  if (type.kind === 'array') return (v as unknown[]).map((x) => toJsonValue(x, type.elementType, zone));
  if (type.kind === 'map') return Object.fromEntries([...(v as Map<unknown, unknown>)].map(([k, x]) => [String(k), toJsonValue(x, type.valueType, zone)]));
  if (type.kind === 'udt') return toJsonValue(type.codec.serialize(v), type.sqlType, zone);
  // Spark's default timestampFormat, yyyy-MM-dd'T'HH:mm:ss.SSSXXX, in the session time zone.
  if (type.name === 'timestamp') return formatWithPattern(v as number, JSON_TS_FORMAT, zone);
  if (type.name === 'timestamp_ntz') return formatWithPattern(v as number, JSON_NTZ_FORMAT);
  if (type.name === 'date' || type.name === 'binary') return toSparkString(v, type);
  return v;
}

/**
 * JSON text as Spark's `to_json` writes it (Jackson): doubles and floats as Java prints them (`1.0`,
 * `1.0E7`), non-finite ones quoted (`"NaN"`, `"Infinity"`), null struct fields left out, a
 * user-defined type (an ML vector) as its stored struct; other values as `toJsonValue` gives them.
 */
export function jsonText(v: unknown, t: DataType, zone: Zone = UTC_ZONE): string {
  if (v === null || v === undefined) return 'null';
  switch (t.kind) {
    case 'struct': {
      const parts: string[] = [];
      t.fields.forEach((f, i) => {
        const x = (v as unknown[])[i];
        if (x !== null && x !== undefined) parts.push(`${JSON.stringify(f.name)}:${jsonText(x, f.dataType, zone)}`);
      });
      return `{${parts.join(',')}}`;
    }
    case 'array': return `[${(v as unknown[]).map((x) => jsonText(x, t.elementType, zone)).join(',')}]`;
    case 'map': return `{${[...(v as Map<unknown, unknown>)].map(([k, x]) => `${JSON.stringify(String(k))}:${jsonText(x, t.valueType, zone)}`).join(',')}}`;
    case 'udt': return jsonText(t.codec.serialize(v), t.sqlType, zone);
    case 'atomic':
      if (t.name === 'double' || t.name === 'float') {
        const text = t.name === 'double' ? javaDouble(v as number) : javaFloat(v as number);
        return Number.isFinite(v as number) ? text : JSON.stringify(text);
      }
      return JSON.stringify(toJsonValue(v, t, zone));
  }
}

function schemaArg(e: Expr | undefined, fname: string): DataType {
  if (!e || e.kind !== 'lit') throw new AnalysisException(`[INVALID_SCHEMA] The input schema of ${fname} must be a literal DDL string or a StructType.`, { code: 'INVALID_SCHEMA' });
  const v = e.value;
  if (v instanceof StructType) return v;
  if (typeof v === 'string') return parseDataType(v);
  if (v && typeof v === 'object' && 'kind' in v) return v as DataType;
  throw new AnalysisException(`[INVALID_SCHEMA] The input schema of ${fname} must be a literal DDL string or a StructType.`, { code: 'INVALID_SCHEMA' });
}

/**
 * The general `from_json` of one non-null text: Jackson's reading with `from_json`'s options, then the schema's converter, with
 * PERMISSIVE partial results and malformed counting (or FAILFAST's error).
 */
function fromJsonText(type: DataType, failFast: boolean, ctx: EvalContext): (s: string) => unknown {
  const allNull = type.kind === 'struct' ? () => type.fields.map(() => null) : () => null;
  const convert = jsonConverter(type, sessionZone());
  const state: JsonConversionState = { bad: false };
  const malformed = (s: string): never | void => {
    if (failFast) throw new AnalysisException(`[MALFORMED_RECORD_IN_PARSING] Malformed records are detected in record parsing: ${s}. Parse Mode: FAILFAST.`, { code: 'MALFORMED_RECORD_IN_PARSING' });
    noteMalformed(ctx, s);
  };
  return (s) => {
    // Only the first value is read, as Spark's parser reads it: what follows it is ignored.
    const parsed = parseFirstJsonValue(s, FROM_JSON_READ);
    if (parsed === undefined) {
      malformed(s);
      return allNull();
    }
    state.bad = false;
    const v = convert(parsed, state);
    if (v === undefined || state.bad) {
      malformed(s);
      // Fields that could be read are kept (Spark 3.5's partial results).
      if (v === undefined) return allNull();
    }
    return v;
  };
}

function compileFromJson(c: CallContext): Compiled {
  const text = c.arg(0).eval;
  const type = schemaArg(c.args[1], 'from_json');
  const failFast = c.has(2) && /FAILFAST/i.test(JSON.stringify(c.literal(2) ?? ''));
  const general = fromJsonText(type, failFast, c.evalContext);
  // CAST(<binary> AS STRING), as Kafka values arrive: flat records are read from the bytes,
  // and whatever that reader is not sure of goes the general way.
  const a0 = c.args[0];
  const bytesArg = a0.kind === 'cast' && sameType(a0.to, STRING) ? c.compile(a0.expr) : undefined;
  // The byte reader reads timestamps without a zone as UTC: only for a UTC session.
  const reader = bytesArg !== undefined && sameType(bytesArg.type, BINARY) && sessionZone() === UTC_ZONE ? jsonBytesReader(type) : null;
  if (bytesArg !== undefined && reader !== null) {
    const bytes = bytesArg.eval;
    return c.make(type, (row) => {
      const b = bytes(row) as Uint8Array | null;
      if (b === null) return null;
      const v = reader(b);
      return v !== undefined ? v : general(fromUtf8(b));
    });
  }
  return c.make(type, (row) => {
    const s = text(row) as string | null;
    return s === null ? null : general(s);
  });
}

export const jsonFunctions: readonly FunctionSpec[] = [
  defineFunction({
    name: 'from_json', group: 'json', kind: 'scalar', facade: 'manual',
    params: [col('col', 'string', { strict: true }), val('schema', 'string'), val('options', 'any', 'any', { optional: true })],
    // Spark's JsonToStructs has the text as its only child (the schema and options are not): `from_json(value)`.
    columnName: (args) => `from_json(${args[0] ?? ''})`,
    doc: 'Parses a JSON string with a DDL string or StructType schema. PERMISSIVE by default: a record that cannot be read becomes NULL fields (and is counted as malformed); `{"mode": "FAILFAST"}` fails the query instead.',
    example: { sql: `from_json('{"a": 1}', 'a INT')`, result: '{1}' },
    compile: compileFromJson,
  }),
  defineFunction({
    name: 'get_json_object', group: 'json', kind: 'scalar', params: [col('col', 'string', { strict: true }), val('path', 'string', 'string', { strict: true })],
    doc: "The value at a JSON path (`$.a.b[0]`, `$['k']`, `[*]`) as a string, NULL when nothing is there, the text is not JSON or the path is not one Spark reads.",
    example: { sql: `get_json_object('{"a": {"b": [1, 2]}}', '$.a.b[1]')`, result: '2' },
    compile: (c) => {
      const json = c.arg(0);
      const pathArg = c.arg(1);
      // A constant path is parsed once.
      const fixed = c.args[1]?.kind === 'lit' && typeof c.args[1].value === 'string' ? parseJsonPath(c.args[1].value) : null;
      const path = pathArg.eval;
      const text = json.eval;
      return c.make(STRING, (row) => {
        const s = text(row) as string | null;
        if (s === null) return null;
        const steps = fixed ?? (() => {
          const p = path(row) as string | null;
          return p === null ? undefined : parseJsonPath(p);
        })();
        return steps === undefined ? null : getJsonObject(s, steps);
      });
    },
  }),
  defineFunction({
    name: 'json_tuple', group: 'json', kind: 'generator', params: [col('col', 'string'), val('fields', 'string', 'string')], variadic: true, facade: 'manual',
    doc: 'One string column per field (`c0`, `c1`, … or the names given with `alias`/`AS (…)`): each field\'s value in a JSON object, NULL when absent, JSON null or the text is not an object. Only at the top of a select.',
    example: { sql: `json_tuple('{"a": 1, "b": "x"}', 'a', 'b')`, result: '1, x' },
    compile: (c) => {
      throw new AnalysisException(`[UNSUPPORTED_GENERATOR.OUTSIDE_SELECT] The generator is not supported: outside the SELECT clause, found: ${c.name}.`, { code: 'UNSUPPORTED_GENERATOR.OUTSIDE_SELECT' });
    },
  }),
  defineFunction({
    name: 'schema_of_json', group: 'json', kind: 'scalar', facade: 'manual',
    params: [col('json', 'string'), val('options', 'any', 'any', { optional: true })],
    doc: "The schema Spark infers for a constant JSON text, as a DDL string (`STRUCT<a: BIGINT>`): fields ordered by name, whole numbers BIGINT, others DOUBLE, NULL as STRING.",
    example: { sql: `schema_of_json('{"b": "x", "a": [1, 2.5]}')`, result: 'STRUCT<a: ARRAY<DOUBLE>, b: STRING>' },
    compile: (c) => {
      const text = c.literal(0);
      if (c.has(1)) {
        throw new AnalysisException('[UNSUPPORTED_FEATURE] schema_of_json with options is not supported by Streamlab; without them it infers as Spark does by default.', { code: 'UNSUPPORTED_FEATURE' });
      }
      const ddl = typeof text === 'string' ? schemaOfJson(text) : undefined;
      if (ddl === undefined) {
        throw new AnalysisException(`[DATATYPE_MISMATCH.UNEXPECTED_INPUT] Cannot resolve "${c.name}": schema_of_json needs a constant JSON text, but got ${c.sql(0)}.`, { code: 'DATATYPE_MISMATCH' });
      }
      return c.make(STRING, () => ddl, { nullable: false });
    },
  }),
  defineFunction({
    name: 'to_json', group: 'json', kind: 'scalar', params: [col('col'), val('options', 'any', 'any', { optional: true })],
    doc: 'A struct, array or map as a JSON string (NULL fields left out).', example: { sql: "to_json(named_struct('a', 1))", result: '{"a":1}' },
    compile: (c) => {
      const a = c.raw(0);
      const f = a.eval;
      const t = a.type;
      const zone = sessionZone();
      return c.make(STRING, (row) => {
        const v = f(row);
        return v === null ? null : jsonText(v, t, zone);
      });
    },
  }),
];
