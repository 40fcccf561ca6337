/**
 * Text as PySpark prints it: `pprint` writes each record with Python's `print`, i.e. `str(record)`,
 * and the batch time as `str(datetime)`. Our records are JS values; arrays stand for Python tuples
 * (the pair `["a", 1]` is PySpark's `('a', 1)`), plain objects for dicts, null/undefined for None.
 */

/** Python's `str(x)`: strings bare, datetimes as `YYYY-MM-DD HH:MM:SS`, everything else as `repr`. */
export function pyStr(x: unknown): string {
  if (x instanceof Date) return formatBatchTime(x.getTime());
  return typeof x === 'string' ? x : pyRepr(x);
}

/** `repr` of a (UTC) datetime: seconds and microseconds appear only when not zero. */
function pyDatetimeRepr(d: Date): string {
  const parts = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes()];
  const seconds = d.getUTCSeconds();
  const micros = d.getUTCMilliseconds() * 1000;
  if (seconds !== 0 || micros !== 0) parts.push(seconds);
  if (micros !== 0) parts.push(micros);
  return `datetime.datetime(${parts.join(', ')})`;
}

/** Python's `repr(x)` for the JS value standing in for a Python value. */
export function pyRepr(x: unknown): string {
  if (x === null || x === undefined) return 'None';
  if (typeof x === 'boolean') return x ? 'True' : 'False';
  if (typeof x === 'number') return pyFloatOrInt(x);
  if (typeof x === 'bigint') return x.toString();
  if (typeof x === 'string') return pyStringRepr(x);
  if (Array.isArray(x)) return x.length === 1 ? `(${pyRepr(x[0])},)` : `(${x.map(pyRepr).join(', ')})`;
  if (x instanceof Map) return `{${[...x.entries()].map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`).join(', ')}}`;
  if (x instanceof Set) return x.size === 0 ? 'set()' : `{${[...x].map(pyRepr).join(', ')}}`;
  if (x instanceof Date) return pyDatetimeRepr(x);
  if (typeof x === 'object') {
    return `{${Object.entries(x as Record<string, unknown>).map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`).join(', ')}}`;
  }
  return String(x);
}

function pyFloatOrInt(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (n === Infinity) return 'inf';
  if (n === -Infinity) return '-inf';
  // JS writes exponents as e-7 / e+21, Python as e-07 / e+21.
  return String(n).replace(/e([+-])(\d)$/, 'e$10$2');
}

function pyStringRepr(s: string): string {
  // Python prefers single quotes and switches to double quotes when the text has a ' but no ".
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of s) {
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f) out += `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return quote + out + quote;
}

/**
 * `str(datetime)` of an epoch-millisecond time in `timeZone` (IANA name, default UTC):
 * `2026-11-21 10:00:10`, with `.ffffff` microseconds only when they are not zero.
 */
export function formatBatchTime(ms: number, timeZone = 'UTC'): string {
  const d = new Date(ms);
  let y: number, mo: number, day: number, h: number, mi: number, s: number;
  if (timeZone === 'UTC') {
    [y, mo, day, h, mi, s] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()];
  } else {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    }).formatToParts(d);
    const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value);
    [y, mo, day, h, mi, s] = [get('year'), get('month'), get('day'), get('hour'), get('minute'), get('second')];
  }
  const p2 = (n: number): string => String(n).padStart(2, '0');
  const base = `${String(y).padStart(4, '0')}-${p2(mo)}-${p2(day)} ${p2(h)}:${p2(mi)}:${p2(s)}`;
  const millis = ((ms % 1000) + 1000) % 1000;
  return millis === 0 ? base : `${base}.${String(millis * 1000).padStart(6, '0')}`;
}

/** Scala's `toString` for the JS value standing in for a Scala value (arrays as tuples: `(a,1)`). */
export function scalaStr(x: unknown): string {
  if (x === null || x === undefined) return 'null';
  if (Array.isArray(x)) return `(${x.map(scalaStr).join(',')})`;
  if (typeof x === 'number') return String(x);
  if (typeof x === 'object' && !(x instanceof Date)) return JSON.stringify(x);
  return String(x);
}
