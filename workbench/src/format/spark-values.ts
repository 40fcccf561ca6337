/**
 * Renders values the way Spark 3.5's `ToPrettyString` does in `Dataset.show` and the console sink:
 * `NULL`, structs as `{a, b}`, arrays as `[a, b]`, timestamps as `yyyy-MM-dd HH:mm:ss[.fraction]` in UTC,
 * doubles as Java prints them (`21.0`, `1.0E7`). See ../shared/spec/spark-semantics.md §11.
 */

/** A parsed Spark SQL type: enough structure to render nested values. */
export type SparkType =
  | { kind: 'atomic'; name: string }
  | { kind: 'struct'; fields: { name: string; type: SparkType }[] }
  | { kind: 'array'; element: SparkType }
  | { kind: 'map'; key: SparkType; value: SparkType };

/** Splits `a:int,b:struct<x:int,y:int>` on commas that are not nested in `<>`. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '<' || c === '(') depth++;
    else if (c === '>' || c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = text.slice(start).trim();
  if (last) parts.push(last);
  return parts;
}

/** Parses a Spark simple type string (`struct<start:timestamp,end:timestamp>`, `array<int>`, `bigint`). */
export function parseSparkType(text: string): SparkType {
  const t = text.trim();
  const lower = t.toLowerCase();
  if (lower.startsWith('struct<') && t.endsWith('>')) {
    const fields = splitTopLevel(t.slice(7, -1)).map((f) => {
      const colon = f.indexOf(':');
      return { name: f.slice(0, colon).trim(), type: parseSparkType(f.slice(colon + 1)) };
    });
    return { kind: 'struct', fields };
  }
  if (lower.startsWith('array<') && t.endsWith('>')) return { kind: 'array', element: parseSparkType(t.slice(6, -1)) };
  if (lower.startsWith('map<') && t.endsWith('>')) {
    const [k = 'string', v = 'string'] = splitTopLevel(t.slice(4, -1));
    return { kind: 'map', key: parseSparkType(k), value: parseSparkType(v) };
  }
  return { kind: 'atomic', name: lower };
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * Formats an instant as Spark's `CAST(ts AS STRING)` in UTC: the fraction appears only when non-zero,
 * without trailing zeros. Accepts epoch milliseconds or an ISO string (which may carry microseconds).
 */
export function formatSparkTimestamp(value: number | string): string {
  let ms: number;
  let micros = 0;
  if (typeof value === 'number') {
    ms = Math.floor(value);
    micros = Math.round((value - ms) * 1000);
  } else {
    ms = Date.parse(value);
    if (Number.isNaN(ms)) return value;
    // Date.parse keeps only milliseconds; recover microseconds from the text when present.
    const frac = /\.(\d+)/.exec(value.slice(value.indexOf('T')));
    if (frac && frac[1]!.length > 3) micros = Number(frac[1]!.slice(3, 6).padEnd(3, '0'));
  }
  const d = new Date(ms);
  const date = `${String(d.getUTCFullYear()).padStart(4, '0')}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
  const time = `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
  const fraction = (String(d.getUTCMilliseconds()).padStart(3, '0') + String(micros).padStart(3, '0')).replace(/0+$/, '');
  return `${date} ${time}${fraction ? '.' + fraction : ''}`;
}

/** Java's `Double.toString`: always a decimal point, scientific notation outside [1e-3, 1e7). */
export function formatJavaDouble(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(value);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(value);
    return s.includes('.') ? s : `${s}.0`;
  }
  // JS gives `1.5e+21`; Java gives `1.5E21`, and always a fraction digit (`1.0E7`).
  const [mantissa = '', exponent = ''] = value.toExponential().split('e');
  const m = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
  return `${m}E${exponent.replace('+', '')}`;
}

/** An ML vector (`{values}` dense, `{size, indices, values}` sparse) as Spark prints it: `[1.0,2.0]`, `(4,[3],[1.0])`. */
function formatVector(value: unknown): string {
  const v = value as { size?: unknown; indices?: unknown; values?: unknown };
  const values = Array.isArray(v.values) ? v.values.map((x) => (typeof x === 'number' ? formatJavaDouble(x) : String(x))) : [];
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
  if (name === 'double' || name === 'float') return typeof value === 'number' ? formatJavaDouble(value) : String(value);
  if (name === 'vector') return formatVector(value);
  if (name === 'binary') {
    const bytes = typeof value === 'string' ? [...new TextEncoder().encode(value)] : Array.isArray(value) ? (value as number[]) : [];
    return `[${bytes.map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' ')}]`;
  }
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
