/**
 * `from_json(CAST(bytes AS STRING), schema)` reads flat records straight from the bytes
 * (`json-bytes.ts`) and hands anything it is not sure of to the general path. Differential check:
 * for thousands of seeded records, valid and corrupted, the fused expression over the bytes and the
 * general one over the decoded text give the same values and count the same malformed records.
 */
import { describe, expect, it } from 'vitest';
import { compile, type EvalContext } from '../../../runtime/src/engine/expressions/compile.js';
import { call, colRef, literal, node, type Expr } from '../../../runtime/src/engine/expressions/expr.js';
import { jsonBytesReader } from '../../../runtime/src/engine/json-bytes.js';
import { parseDataType, STRING, type StructType } from '../../../runtime/src/engine/types.js';
import { fromUtf8 } from '../../../runtime/src/engine/values.js';
import { seededRandom } from '../../services/seeded-random.js';

const SCHEMAS = [
  'node_name STRING, temperature DOUBLE, ts TIMESTAMP',
  'a STRING, b INT, c BIGINT, d DOUBLE, e FLOAT, f BOOLEAN, g TIMESTAMP, h DATE, Mixed STRING',
  'id BIGINT, tags ARRAY<STRING>, v DOUBLE',
  'n STRING, s SMALLINT, t TINYINT',
  'constructor STRING, x INT',
];

const NUMBERS = [
  '0', '-0', '1', '-1', '42', '-17', '1e3', '1E3', '1.5E-2', '1e+2', '-0.0', '0.1', '0.30000000000000004', '21.37', '-273.15',
  '1.0', '2.50', '12345678901234567890', '9007199254740993', '9007199254740992', '123456789012345', '1234567890123456',
  '1.7976931348623157e308', '1e400', '-1e400', '5e-324', '1e-400', '3.141592653589793238462643383279', '0.000001', '1e22', '1e23',
  '1e-22', '1e-23', '123456789012345e-22', '100000000000000000000000', '7.0e0', '1e0000002', '0e5', '-0e-5', '2147483648', '1.5',
];
const BAD_NUMBERS = ['01', '1.', '.5', '+1', '1e', '1e+', '-', '--1', '0x10', 'NaN', 'Infinity', '-Infinity', '1.5.2', '00'];
const TIMESTAMPS = [
  '2024-01-01T00:00:00Z', '2024-01-01T00:00:00.000Z', '2024-03-05T06:07:08.123456789Z', '2024-03-05 06:07:08', '2024-03-05T06:07:08.5z',
  '2024-03-05T06:07:08+02:00', '2024-03-05T06:07:08.25-0130', '2024-02-30T10:00:00Z', '2024-13-01T00:00:00Z', '2024-01-01T24:00:00Z',
  '2024-03-05', '2024-3-5', '1969-12-31T23:59:59.999999Z', '0999-01-01T00:00:00Z', '2024-03-05T06:07:08.1234567890Z', '2024-03-05T06:07:08.Z',
  '2024-03-05T06:07', ' 2024-03-05T06:07:08Z', '2024-03-05T06:07:08Z ', '2024-03-05T06:07:08 UTC', 'warm', '', '2024-03-05T06:07:08ZZ',
];
const STRINGS = ['s1', 'sensor-7', '', 'a b', 'warm', 'NaN', 'Infinity', 'true', '12', 'x'.repeat(40), 'caf\u00e9', '\u65e5\u672c', '\ud83d\ude00', 'tab\there'];
const ESCAPED = ['"a\\"b"', '"line\\nbreak"', '"\\u0041BC"', '"\\/path"', '"back\\\\slash"', '"\\ud83d\\ude00"', '"bad\\x"', '"\\u12"'];
const UNKNOWN_KEYS = ['extra', 'meta', 'other_field', 'node', 'temperatures', '', 'ts2', '__proto__', 'toString'];

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)];
}

function ws(r: () => number): string {
  const x = r();
  if (x < 0.8) return '';
  return pick(r, [' ', '  ', '\t', '\n', '\r\n', ' \n ']);
}

function quoted(s: string): string {
  return JSON.stringify(s);
}

function scalar(r: () => number): string {
  const x = r();
  if (x < 0.27) return pick(r, NUMBERS);
  if (x < 0.3) return pick(r, BAD_NUMBERS);
  if (x < 0.5) return quoted(pick(r, STRINGS));
  if (x < 0.6) return quoted(pick(r, TIMESTAMPS));
  if (x < 0.7) return pick(r, ['true', 'false', 'null']);
  if (x < 0.8) return pick(r, ESCAPED);
  return String((r() - 0.5) * 10 ** Math.floor(r() * 30 - 10));
}

function nested(r: () => number, depth = 0): string {
  if (depth > 2 || r() < 0.4) return scalar(r);
  if (r() < 0.5) return `[${ws(r)}${Array.from({ length: Math.floor(r() * 3) }, () => nested(r, depth + 1)).join(`,${ws(r)}`)}]`;
  return `{${Array.from({ length: Math.floor(r() * 3) }, () => `${quoted(pick(r, UNKNOWN_KEYS))}:${nested(r, depth + 1)}`).join(',')}}`;
}

/** A value that suits the field's type most of the time. */
function valueFor(r: () => number, type: string, noise: number): string {
  if (r() < noise) return r() < 0.5 ? nested(r) : scalar(r);
  switch (type) {
    case 'string': return r() < 0.9 ? quoted(pick(r, STRINGS.slice(0, 10))) : 'null';
    case 'int': case 'bigint': case 'smallint': case 'tinyint':
      return r() < 0.7 ? String(Math.floor((r() - 0.5) * 1e6)) : pick(r, NUMBERS);
    case 'double': case 'float':
      return r() < 0.6 ? (Math.round((r() - 0.5) * 1e5) / 100).toString() : pick(r, NUMBERS);
    case 'boolean': return pick(r, ['true', 'false', 'null']);
    case 'timestamp': case 'date':
      if (r() < 0.1) return pick(r, NUMBERS);
      if (r() < 0.5) return quoted(new Date(Date.UTC(2020, 0, 1) + Math.floor(r() * 1e11)).toISOString());
      return quoted(pick(r, TIMESTAMPS));
    default: return nested(r);
  }
}

function caseVariant(r: () => number, name: string): string {
  return Array.from(name, (c) => (r() < 0.5 ? c.toUpperCase() : c.toLowerCase())).join('');
}

function record(r: () => number, schema: StructType): string {
  const members: string[] = [];
  // Off-type values per record stay about as likely with many fields as with few.
  const noise = 0.45 / schema.fields.length;
  for (const f of schema.fields) {
    if (r() < 0.15) continue;
    const key = r() < 0.2 / schema.fields.length ? caseVariant(r, f.name) : f.name;
    const t = f.dataType.kind === 'atomic' ? f.dataType.name : f.dataType.kind;
    members.push(`${quoted(key)}${ws(r)}:${ws(r)}${valueFor(r, t, noise)}`);
    if (r() < 0.12 / schema.fields.length) members.push(`${quoted(r() < 0.5 ? f.name : caseVariant(r, f.name))}:${valueFor(r, t, noise)}`);
  }
  const extras = r() < 0.3 ? Math.floor(r() * 3) + 1 : 0;
  for (let i = 0; i < extras; i++) members.push(`${quoted(pick(r, UNKNOWN_KEYS))}:${ws(r)}${nested(r)}`);
  for (let i = members.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [members[i], members[j]] = [members[j], members[i]];
  }
  return `${ws(r)}{${ws(r)}${members.join(`${ws(r)},${ws(r)}`)}${ws(r)}}${ws(r)}`;
}

const GARBAGE = ['x', '}', ',', ']', '{', '"', ':', 'null', 'tru', '1', ' ,', '\u0000', '/*c*/'];

/** A corrupted variant of a record, or another top level, as UTF-8 bytes (some not UTF-8 at all). */
function corrupt(r: () => number, text: string): Uint8Array {
  const x = r();
  const enc = new TextEncoder();
  if (x < 0.25) return enc.encode(text.slice(0, Math.floor(r() * text.length)));
  if (x < 0.4) return enc.encode(text + pick(r, GARBAGE));
  if (x < 0.55) {
    const at = Math.floor(r() * (text.length + 1));
    return enc.encode(text.slice(0, at) + pick(r, GARBAGE) + text.slice(at));
  }
  if (x < 0.65) return enc.encode(pick(r, ['[1]', '42', 'null', '"s"', '', ' ', 'true', '[{"a":1}]', '{}', ' {} ', '{"a":1}{', 'not json']));
  if (x < 0.75) return enc.encode(`\ufeff${text}`);
  const bytes = enc.encode(text);
  if (bytes.length > 0) bytes[Math.floor(r() * bytes.length)] = pick(r, [0xff, 0xc3, 0x80, 0x00, 0x22, 0x5c, 0x7b, 0x7d, 0x2c, 0x3a, 0x30]);
  return bytes;
}

/** Values rendered so that -0, NaN, dates as numbers and nested arrays all compare exactly. */
function canon(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : `n${String(v)}`;
  if (typeof v === 'string') return `s${JSON.stringify(v)}`;
  if (Array.isArray(v)) return `[${v.map(canon).join(',')}]`;
  if (v instanceof Map) return `map(${[...v].map(([k, x]) => `${canon(k)}=${canon(x)}`).join(',')})`;
  return `${typeof v}:${String(v)}`;
}

const castToString = (e: Expr): Expr => node({ kind: 'cast', expr: e, to: STRING });

function paths(ddl: string) {
  const schema = parseDataType(ddl) as StructType;
  const fusedCtx: EvalContext = { batchTimestampMs: 0, malformed: { count: 0, sample: [] } };
  const generalCtx: EvalContext = { batchTimestampMs: 0, malformed: { count: 0, sample: [] } };
  const fused = compile(call('from_json', [castToString(colRef('value')), literal(ddl)]), parseDataType('value BINARY') as StructType, fusedCtx).eval;
  const general = compile(call('from_json', [colRef('value'), literal(ddl)]), parseDataType('value STRING') as StructType, generalCtx).eval;
  return { schema, fused, general, fusedCtx, generalCtx, reader: jsonBytesReader(schema) };
}

describe('from_json over Kafka bytes', () => {
  it.each(SCHEMAS)('gives what the general path gives, record by record: %s', (ddl) => {
    const r = seededRandom(0x5eed + ddl.length);
    const { schema, fused, general, fusedCtx, generalCtx, reader } = paths(ddl);
    const enc = new TextEncoder();
    let fast = 0;
    let total = 0;
    for (let i = 0; i < 4000; i++) {
      const text = record(r, schema);
      const bytes = r() < 0.7 ? enc.encode(text) : corrupt(r, text);
      const decoded = fromUtf8(bytes);
      const before = generalCtx.malformed!.count;
      const got = canon(fused([bytes]));
      const want = canon(general([decoded]));
      if (got !== want || fusedCtx.malformed!.count !== generalCtx.malformed!.count) {
        expect({ record: decoded, value: got, malformed: fusedCtx.malformed!.count - before })
          .toEqual({ record: decoded, value: want, malformed: generalCtx.malformed!.count - before });
      }
      total++;
      if (reader?.(bytes) !== undefined) fast++;
    }
    expect(fusedCtx.malformed!.sample).toEqual(generalCtx.malformed!.sample);
    expect(generalCtx.malformed!.count).toBeGreaterThan(total / 10);
    // The flat schemas must mostly take the byte reader, or this test would prove little about it.
    if (ddl.includes('ARRAY') || ddl.includes('SMALLINT')) expect(reader).toBeNull();
    else expect(fast).toBeGreaterThan(total / 8);
  });

  it('reads the bench records from the bytes and a null value as null', () => {
    const { fused, reader, schema } = paths(SCHEMAS[0]);
    const bytes = new TextEncoder().encode('{"node_name":"s1","temperature":21.5,"ts":"2024-01-01T00:01:00.250Z"}');
    const expected = ['s1', 21.5, Date.UTC(2024, 0, 1, 0, 1, 0, 250) * 1000];
    expect(jsonBytesReader(schema)).not.toBeNull();
    expect(reader!(bytes)).toEqual(expected);
    expect(fused([bytes])).toEqual(expected);
    expect(fused([null])).toBeNull();
    const long = 'y'.repeat(200_000);
    expect(fused([new TextEncoder().encode(`{"node_name":"${long}"}`)])).toEqual([long, null, null]);
  });

  it('leaves escapes, non-ASCII text, nesting, duplicates, fractions for integers and text after the object to the general path', () => {
    const { reader } = paths(SCHEMAS[0]);
    const enc = new TextEncoder();
    for (const t of ['{"node_name":"a\\"b"}', '{"node_name":"caf\u00e9"}', '{"x":{"y":1}}', '{"x":[1]}', '{"node_name":"a","node_name":"b"}', '{"temperature":"21"}', '[]', '{"a":1}x', "{'node_name':'a'}", '{"temperature":NaN}', '{"ts":1.0}', '{"ts":1e3}']) {
      expect(reader!(enc.encode(t))).toBeUndefined();
    }
    const ints = paths('b INT, c BIGINT').reader!;
    for (const t of ['{"b":1.0}', '{"b":1e0}', '{"c":2147483648}', '{"b":-2147483649}']) expect(ints(enc.encode(t))).toBeUndefined();
    expect(ints(enc.encode('{"b":2147483647,"c":-0}'))).toEqual([2147483647, 0]);
    // A key that differs from a field's name only in case is another key, as Spark matches names.
    expect(reader!(enc.encode('{"NODE_NAME":"a","node_name":"b"}'))).toEqual(['b', null, null]);
  });
});
