/**
 * Values the runtime sent as JSON, rendered the way Spark 3.5's `ToPrettyString` does in `Dataset.show`
 * and the console sink: `NULL`, structs as `{a, b}`, arrays as `[a, b]`, maps as `{k -> v}`, binary as
 * hex bytes. The atoms (Java's doubles, timestamps, dates, the type strings) are Spark's formatting of
 * `@streamlab/runtime/format`; this file only reads the JSON forms of the wire (a timestamp as ISO-8601
 * text or epoch ms, a struct as an object, binary as a list of bytes).
 */
import { formatDate, formatTimestamp, javaDouble, javaFloat, parseTypeString, type SparkType } from '@streamlab/runtime/format';

/** A column type from its type string; a name the parser does not take (a PostgreSQL type, say) stays an atomic name. */
export function parseSparkType(text: string): SparkType {
  try {
    return parseTypeString(text);
  } catch {
    return { kind: 'atomic', name: text.trim().toLowerCase() };
  }
}

/**
 * Microseconds since the epoch of a timestamp as the wire carries it: epoch milliseconds, or ISO-8601
 * text (whose fraction may go to microseconds), or null when it is neither.
 */
function timestampMicros(value: number | string): number | null {
  if (typeof value === 'number') return Math.round(value * 1000);
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return null;
  // Date.parse keeps milliseconds only; the text may carry microseconds.
  const frac = /\.(\d+)/.exec(value.slice(value.indexOf('T')));
  const extraMicros = frac && frac[1]!.length > 3 ? Number(frac[1]!.slice(3, 6).padEnd(3, '0')) : 0;
  return ms * 1000 + extraMicros;
}

/** A wire timestamp (epoch ms or ISO-8601) as Spark's `CAST(ts AS STRING)` in UTC; text it cannot read stays as it is. */
export function formatSparkTimestamp(value: number | string): string {
  const micros = timestampMicros(value);
  return micros === null ? String(value) : formatTimestamp(micros);
}

/** An ML vector (`{values}` dense, `{size, indices, values}` sparse) as Spark prints it: `[1.0,2.0]`, `(4,[3],[1.0])`. */
function formatVector(value: unknown): string {
  const v = value as { size?: unknown; indices?: unknown; values?: unknown };
  const values = Array.isArray(v.values) ? v.values.map((x) => (typeof x === 'number' ? javaDouble(x) : String(x))) : [];
  if (Array.isArray(v.indices) && typeof v.size === 'number') return `(${v.size},[${v.indices.join(',')}],[${values.join(',')}])`;
  return `[${values.join(',')}]`;
}

/** Renders one value of the given type as `show()` prints it. */
export function formatSparkValue(value: unknown, type: SparkType): string {
  if (value === null || value === undefined) return 'NULL';
  switch (type.kind) {
    case 'struct': {
      const items = Array.isArray(value)
        ? type.fields.map((f, i) => formatSparkValue(value[i], f.type))
        : type.fields.map((f) => formatSparkValue((value as Record<string, unknown>)[f.name], f.type));
      return `{${items.join(', ')}}`;
    }
    case 'array':
      return Array.isArray(value) ? `[${value.map((v) => formatSparkValue(v, type.element)).join(', ')}]` : String(value);
    case 'map': {
      const entries = value instanceof Map ? [...value.entries()] : Object.entries(value as object);
      return `{${entries.map(([k, v]) => `${formatSparkValue(k, type.key)} -> ${formatSparkValue(v, type.value)}`).join(', ')}}`;
    }
    case 'atomic':
      return formatAtomic(value, type.name);
  }
}

function formatAtomic(value: unknown, name: string): string {
  if (name === 'timestamp' || name === 'timestamp_ntz') {
    return typeof value === 'number' || typeof value === 'string' ? formatSparkTimestamp(value) : String(value);
  }
  if (name === 'date' && typeof value === 'string') {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? value : formatDate(Math.floor(ms / 86_400_000));
  }
  if (name === 'double') return typeof value === 'number' ? javaDouble(value) : String(value);
  if (name === 'float') return typeof value === 'number' ? javaFloat(value) : String(value);
  if (name === 'vector') return formatVector(value);
  if (name === 'binary') {
    const bytes = typeof value === 'string' ? [...new TextEncoder().encode(value)] : Array.isArray(value) ? (value as number[]) : [];
    return `[${bytes.map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' ')}]`;
  }
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
