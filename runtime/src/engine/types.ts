/**
 * Spark SQL data types as plain values, plus `StructType`/`StructField` (PySpark names) and the DDL
 * string parser (`"node_name STRING, temperature DOUBLE, ts TIMESTAMP"`).
 *
 * Runtime value representation (one JS value per SQL value, chosen for tight loops):
 * - byte/short/int/long/float/double/decimal → number; boolean → boolean; string → string;
 * - timestamp → number of microseconds since the epoch (UTC); date → days since the epoch;
 * - binary → Uint8Array; array → JS array; struct → JS array of field values in field order;
 * - map → Map; SQL NULL → null.
 */
import { parseDdl, TypeStringError, type SparkType } from '../format/type-string.js';
import { AnalysisException } from './errors.js';

/** Atomic type names as Spark prints them in `simpleString`. */
export type AtomicTypeName =
  | 'string' | 'binary' | 'boolean' | 'tinyint' | 'smallint' | 'int' | 'bigint' | 'float' | 'double'
  | 'decimal' | 'timestamp' | 'timestamp_ntz' | 'date' | 'void';

/** A Spark data type. */
export type DataType = AtomicType | StructType | ArrayType | MapType | UserDefinedType;

/** An atomic (non-nested) type. Instances are shared singletons; compare by `name`. */
export class AtomicType {
  readonly kind = 'atomic' as const;
  constructor(readonly name: AtomicTypeName, readonly typeName: string) {
    Object.freeze(this);
  }
  /** Spark's `simpleString`. */
  simpleString(): string {
    return this.name;
  }
  /** PySpark's repr, e.g. `IntegerType()`. */
  toString(): string {
    return `${this.typeName}()`;
  }
}

/** PySpark `StringType()` and friends: each call returns the shared instance. */
export const StringType = (): AtomicType => STRING;
export const BinaryType = (): AtomicType => BINARY;
export const BooleanType = (): AtomicType => BOOLEAN;
export const ByteType = (): AtomicType => BYTE;
export const ShortType = (): AtomicType => SHORT;
export const IntegerType = (): AtomicType => INT;
export const LongType = (): AtomicType => LONG;
export const FloatType = (): AtomicType => FLOAT;
export const DoubleType = (): AtomicType => DOUBLE;
export const DecimalType = (): AtomicType => DECIMAL;
export const TimestampType = (): AtomicType => TIMESTAMP;
export const TimestampNTZType = (): AtomicType => TIMESTAMP_NTZ;
export const DateType = (): AtomicType => DATE;
export const NullType = (): AtomicType => NULL;

export const STRING = new AtomicType('string', 'StringType');
export const BINARY = new AtomicType('binary', 'BinaryType');
export const BOOLEAN = new AtomicType('boolean', 'BooleanType');
export const BYTE = new AtomicType('tinyint', 'ByteType');
export const SHORT = new AtomicType('smallint', 'ShortType');
export const INT = new AtomicType('int', 'IntegerType');
export const LONG = new AtomicType('bigint', 'LongType');
export const FLOAT = new AtomicType('float', 'FloatType');
export const DOUBLE = new AtomicType('double', 'DoubleType');
export const DECIMAL = new AtomicType('decimal', 'DecimalType');
export const TIMESTAMP = new AtomicType('timestamp', 'TimestampType');
export const TIMESTAMP_NTZ = new AtomicType('timestamp_ntz', 'TimestampNTZType');
export const DATE = new AtomicType('date', 'DateType');
export const NULL = new AtomicType('void', 'NullType');

/** Array type (PySpark `ArrayType(elementType, containsNull)`). */
export class ArrayType {
  readonly kind = 'array' as const;
  constructor(readonly elementType: DataType, readonly containsNull = true) {
    Object.freeze(this);
  }
  simpleString(): string {
    return `array<${this.elementType.simpleString()}>`;
  }
  toString(): string {
    return `ArrayType(${this.elementType.toString()}, ${this.containsNull})`;
  }
}

/** Map type (PySpark `MapType(keyType, valueType)`). */
export class MapType {
  readonly kind = 'map' as const;
  constructor(readonly keyType: DataType, readonly valueType: DataType, readonly valueContainsNull = true) {
    Object.freeze(this);
  }
  simpleString(): string {
    return `map<${this.keyType.simpleString()},${this.valueType.simpleString()}>`;
  }
  toString(): string {
    return `MapType(${this.keyType.toString()}, ${this.valueType.toString()}, ${this.valueContainsNull})`;
  }
}

/** How a user-defined type's values are stored and printed. */
export interface UserTypeCodec {
  /** The value in the form of `sqlType` (what `to_json` writes and Parquet stores). */
  serialize(value: unknown): unknown;
  /** The value as Spark prints it (`show()`, `CAST(... AS STRING)`). */
  format(value: unknown): string;
}

/**
 * A user-defined type (Spark's `UserDefinedType`): values are objects of a class, stored as `sqlType`.
 * Spark ML's `VectorUDT` is one (`simpleString` "vector").
 */
export class UserDefinedType {
  readonly kind = 'udt' as const;
  constructor(readonly name: string, readonly typeName: string, readonly sqlType: DataType, readonly codec: UserTypeCodec) {
    Object.freeze(this);
  }
  simpleString(): string {
    return this.name;
  }
  toString(): string {
    return `${this.typeName}()`;
  }
}

/** Field metadata the engine uses; Spark keeps the watermark delay on the event-time attribute. */
export interface FieldMetadata {
  /** Set on the event-time column after `withWatermark` (Spark's `spark.watermarkDelayMs`). */
  readonly watermarkDelayMs?: number;
  /** Index of the watermark operator that defined it (several inputs may each have one). */
  readonly watermarkId?: number;
}

/** One field of a struct (PySpark `StructField(name, dataType, nullable)`). */
export class StructField {
  constructor(
    readonly name: string,
    readonly dataType: DataType,
    readonly nullable = true,
    readonly metadata: FieldMetadata = {},
  ) {
    Object.freeze(this);
  }
  toString(): string {
    return `StructField('${this.name}', ${this.dataType.toString()}, ${this.nullable ? 'True' : 'False'})`;
  }
}

/** A struct/row type (PySpark `StructType([...])`). */
export class StructType {
  readonly kind = 'struct' as const;
  readonly fields: readonly StructField[];

  constructor(fields: readonly StructField[] = []) {
    this.fields = Object.freeze([...fields]);
  }

  /** PySpark `StructType.add(name, type, nullable)`; returns a new StructType (the engine keeps types immutable). */
  add(field: string | StructField, dataType?: DataType | string, nullable = true): StructType {
    const f = typeof field === 'string'
      ? new StructField(field, typeof dataType === 'string' ? parseDataType(dataType) : (dataType ?? STRING), nullable)
      : field;
    return new StructType([...this.fields, f]);
  }

  /** Field names in order (PySpark `fieldNames()`). */
  fieldNames(): string[] {
    return this.fields.map((f) => f.name);
  }

  /** Spark's `simpleString`, e.g. `struct<a:int,b:string>`. */
  simpleString(): string {
    return `struct<${this.fields.map((f) => `${f.name}:${f.dataType.simpleString()}`).join(',')}>`;
  }

  /** Spark's `treeString` as printed by `printSchema()`. */
  treeString(): string {
    const lines = ['root'];
    const walk = (t: DataType, prefix: string): void => {
      if (t.kind === 'struct') {
        for (const f of t.fields) {
          lines.push(`${prefix}-- ${f.name}: ${typeLabel(f.dataType)} (nullable = ${f.nullable})`);
          walk(f.dataType, `${prefix}    |`);
        }
      } else if (t.kind === 'array') {
        lines.push(`${prefix}-- element: ${typeLabel(t.elementType)} (containsNull = ${t.containsNull})`);
        walk(t.elementType, `${prefix}    |`);
      }
    };
    walk(this, ' |');
    return `${lines.join('\n')}\n`;
  }

  /** The DDL form, e.g. `a INT,b STRING` (Spark's `toDDL`). */
  toDDL(): string {
    return this.fields.map((f) => `${quoteIfNeeded(f.name)} ${f.dataType.simpleString().toUpperCase()}`).join(',');
  }

  toString(): string {
    return `StructType([${this.fields.map((f) => f.toString()).join(', ')}])`;
  }
}

function typeLabel(t: DataType): string {
  if (t.kind === 'udt') return t.name;
  if (t.kind === 'atomic') return t.name === 'bigint' ? 'long' : t.name === 'tinyint' ? 'byte' : t.name === 'smallint' ? 'short' : t.name === 'int' ? 'integer' : t.name;
  return t.kind;
}

function quoteIfNeeded(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `\`${name.replace(/`/g, '``')}\``;
}

/** Whether a type is one of the numeric types. */
export function isNumeric(t: DataType): boolean {
  return t.kind === 'atomic' && NUMERIC_RANK[t.name] !== undefined;
}

/** Integral types (results of arithmetic among them stay integral). */
export function isIntegral(t: DataType): boolean {
  return t.kind === 'atomic' && (t.name === 'tinyint' || t.name === 'smallint' || t.name === 'int' || t.name === 'bigint');
}

/** Whether a type is a timestamp (with or without time zone). */
export function isTimestamp(t: DataType): boolean {
  return t.kind === 'atomic' && (t.name === 'timestamp' || t.name === 'timestamp_ntz');
}

const NUMERIC_RANK: Partial<Record<AtomicTypeName, number>> = {
  tinyint: 1, smallint: 2, int: 3, bigint: 4, decimal: 5, float: 6, double: 7,
};

/** The wider of two numeric types (Spark's numeric precedence). */
export function widerNumeric(a: DataType, b: DataType): DataType {
  if (a.kind !== 'atomic' || b.kind !== 'atomic') return DOUBLE;
  if (a.name === 'void') return b;
  if (b.name === 'void') return a;
  const ra = NUMERIC_RANK[a.name] ?? 7;
  const rb = NUMERIC_RANK[b.name] ?? 7;
  return ra >= rb ? a : b;
}

/** Structural type equality. */
export function sameType(a: DataType, b: DataType): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'atomic') return a.name === (b as AtomicType).name;
  if (a.kind === 'array') return sameType(a.elementType, (b as ArrayType).elementType);
  if (a.kind === 'map') return sameType(a.keyType, (b as MapType).keyType) && sameType(a.valueType, (b as MapType).valueType);
  if (a.kind === 'udt') return a.name === (b as UserDefinedType).name;
  const bf = (b as StructType).fields;
  return a.fields.length === bf.length && a.fields.every((f, i) => f.name === bf[i].name && sameType(f.dataType, bf[i].dataType));
}

const TYPE_NAMES: Record<string, AtomicType> = {
  string: STRING, varchar: STRING, char: STRING, text: STRING,
  binary: BINARY, boolean: BOOLEAN, bool: BOOLEAN,
  tinyint: BYTE, byte: BYTE, smallint: SHORT, short: SHORT,
  int: INT, integer: INT, bigint: LONG, long: LONG,
  float: FLOAT, real: FLOAT, double: DOUBLE, decimal: DECIMAL, dec: DECIMAL, numeric: DECIMAL,
  timestamp: TIMESTAMP, timestamp_ltz: TIMESTAMP, timestamp_ntz: TIMESTAMP_NTZ, date: DATE, void: NULL, null: NULL,
};

/** Looks up an atomic type by a SQL/DDL name (case-insensitive); undefined if unknown. */
export function atomicTypeByName(name: string): AtomicType | undefined {
  return TYPE_NAMES[name.toLowerCase()];
}

/**
 * Parses a DDL type or schema string. `"int"` → IntegerType; `"a INT, b STRING"` → StructType;
 * `"array<string>"`, `"struct<a:int>"`, `"map<string,int>"`, `"decimal(10,2)"` are understood.
 */
export function parseDataType(ddl: string): DataType {
  try {
    return toDataType(parseDdl(ddl, { isAtomic: (name) => Object.hasOwn(TYPE_NAMES, name) }));
  } catch (e) {
    if (e instanceof TypeStringError) throw new AnalysisException(e.message, { code: e.code, position: e.position });
    throw e;
  }
}

/** Parses a DDL schema string into a StructType (a single type becomes a one-field `value` struct). */
export function parseSchema(ddl: string): StructType {
  const t = parseDataType(ddl);
  return t.kind === 'struct' ? t : new StructType([new StructField('value', t)]);
}

/** The engine's type for a parsed type string. */
function toDataType(t: SparkType): DataType {
  switch (t.kind) {
    case 'atomic': return TYPE_NAMES[t.name]!;
    case 'array': return new ArrayType(toDataType(t.element));
    case 'map': return new MapType(toDataType(t.key), toDataType(t.value));
    case 'struct': return new StructType(t.fields.map((f) => new StructField(f.name, toDataType(f.type), f.nullable)));
  }
}

/** Accepts a StructType, a DDL string or a list of column names (all string typed) as PySpark does. */
export function toSchema(schema: StructType | string): StructType {
  return typeof schema === 'string' ? parseSchema(schema) : schema;
}
