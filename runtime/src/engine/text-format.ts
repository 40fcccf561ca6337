/**
 * Text formatting as Spark's JVM does it: `format_number` (java.text.DecimalFormat, `#,###.##`
 * with HALF_EVEN), `format_string`/`printf` (java.util.Formatter for the common conversions
 * `%s %d %f %e %x %o %c %b %%` with flags, width and precision) and `base64`.
 */
import { toSparkString } from './values.js';
import type { DataType } from './types.js';

/** Rounds to `digits` decimals, half to even when the double is exactly halfway. */
function roundHalfEven(x: number, digits: number): string {
  // Past 1e21 toFixed switches to exponents; such doubles are whole numbers anyway.
  if (Math.abs(x) >= 1e21) return `${BigInt(Math.abs(x))}${digits > 0 ? `.${'0'.repeat(digits)}` : ''}`;
  const text = Math.abs(x).toFixed(digits);
  // toFixed rounds the double's exact value half up. Only an exact tie (2.5, 0.125: a 5 and then
  // nothing in the exact expansion) differs under Java's HALF_EVEN: it goes to the even neighbour.
  const exact = Math.abs(x).toFixed(Math.min(100, digits + 30));
  const tail = exact.slice(exact.indexOf('.') + 1 + digits);
  if (/^50*$/.test(tail)) {
    const down = exact.slice(0, exact.indexOf('.') + (digits === 0 ? 0 : 1 + digits));
    const lastDigit = Number(down.replace('.', '').slice(-1));
    if (lastDigit % 2 === 0) return down;
  }
  return text;
}

/** `format_number(x, d)`: grouped thousands and exactly `d` decimals. */
export function formatNumber(x: number, digits: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '-∞';
  const fixed = roundHalfEven(x, digits);
  const [whole, frac] = fixed.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const sign = x < 0 && /[1-9]/.test(fixed) ? '-' : '';
  return `${sign}${grouped}${frac === undefined ? '' : `.${frac}`}`;
}

interface FormatArg {
  value: unknown;
  type: DataType;
}

const SPEC = /%(\d+\$)?([-#+ 0,(]*)(\d+)?(\.\d+)?([a-zA-Z%])/g;

/** `format_string(fmt, args...)` with Java Formatter rules for the common conversions. */
export function javaFormat(format: string, args: readonly FormatArg[]): string {
  let next = 0;
  return format.replace(SPEC, (whole, index: string | undefined, flags: string, width: string | undefined, precision: string | undefined, conv: string) => {
    if (conv === '%') return pad('%', flags, width);
    if (conv === 'n') return '\n';
    const arg = index ? args[Number(index.slice(0, -1)) - 1] : args[next++];
    const prec = precision === undefined ? undefined : Number(precision.slice(1));
    const v = arg?.value;
    let text: string;
    if (v === null || v === undefined) {
      text = conv === 'b' || conv === 'B' ? 'false' : 'null';
      if (prec !== undefined) text = text.slice(0, prec);
    } else {
      switch (conv.toLowerCase()) {
        case 's': text = toSparkString(v, arg!.type); if (prec !== undefined) text = text.slice(0, prec); break;
        case 'b': text = String(Boolean(v)); break;
        case 'c': text = String.fromCodePoint(Number(v)); break;
        case 'd': text = withSign(Math.trunc(Number(v)).toString(), Number(v) < 0, flags); text = group(text, flags); break;
        case 'x': text = Number(v) < 0 ? (Number(v) >>> 0).toString(16) : Number(v).toString(16); break;
        case 'o': text = Number(v) < 0 ? (Number(v) >>> 0).toString(8) : Number(v).toString(8); break;
        case 'f': {
          const n = Number(v);
          text = Number.isFinite(n)
            ? group(withSign(fixedHalfUp(Math.abs(n), prec ?? 6), n < 0 || Object.is(n, -0), flags), flags)
            : Number.isNaN(n) ? 'NaN' : n > 0 ? 'Infinity' : '-Infinity';
          break;
        }
        case 'e': {
          const n = Number(v);
          const [m, x] = Math.abs(n).toExponential(prec ?? 6).split('e');
          const exp = Number(x);
          text = withSign(`${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`, n < 0, flags);
          break;
        }
        default: return whole;
      }
      if (conv === conv.toUpperCase()) text = text.toUpperCase();
    }
    return pad(text, flags, width);
  });
}

/** The shortest decimal digits of a non-negative double, written out without an exponent. */
function plainDigits(x: number): string {
  const s = String(x);
  const m = /^(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const digits = m[1] + (m[2] ?? '');
  const point = m[1].length + Number(m[3]);
  if (point <= 0) return `0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return digits + '0'.repeat(point - digits.length);
  return `${digits.slice(0, point)}.${digits.slice(point)}`;
}

/**
 * `%.Nf` as java.util.Formatter rounds: HALF_UP on the double's shortest decimal digits (so
 * 2.675 gives 2.68, where JavaScript's toFixed gives 2.67).
 */
function fixedHalfUp(x: number, digits: number): string {
  const [whole, frac = ''] = plainDigits(x).split('.');
  if (frac.length <= digits) return digits === 0 ? whole : `${whole}.${frac.padEnd(digits, '0')}`;
  let kept = (whole + frac.slice(0, digits)).split('').map(Number);
  if (Number(frac[digits]) >= 5) {
    let i = kept.length - 1;
    while (i >= 0 && kept[i] === 9) kept[i--] = 0;
    if (i < 0) kept = [1, ...kept];
    else kept[i] += 1;
  }
  const s = kept.join('');
  const w = s.length - digits;
  return digits === 0 ? s : `${s.slice(0, w)}.${s.slice(w)}`;
}

function withSign(digits: string, negative: boolean, flags: string): string {
  const body = digits.replace(/^-/, '');
  if (negative) return flags.includes('(') ? `(${body})` : `-${body}`;
  return flags.includes('+') ? `+${body}` : flags.includes(' ') ? ` ${body}` : body;
}

function group(text: string, flags: string): string {
  if (!flags.includes(',')) return text;
  return text.replace(/\d+/, (d) => d.replace(/\B(?=(\d{3})+(?!\d))/g, ','));
}

function pad(text: string, flags: string, width: string | undefined): string {
  const w = width === undefined ? 0 : Number(width);
  if (text.length >= w) return text;
  if (flags.includes('-')) return text.padEnd(w, ' ');
  if (flags.includes('0') && /^[-+ (]?\d/.test(text)) {
    const sign = /^[-+ (]/.test(text) ? text[0] : '';
    return sign + text.slice(sign.length).padStart(w - sign.length, '0');
  }
  return text.padStart(w, ' ');
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 with padding, as `java.util.Base64` encodes. */
export function base64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63];
    out += i + 1 < bytes.length ? B64[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.length ? B64[n & 63] : '=';
  }
  return out;
}
