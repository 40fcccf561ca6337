/**
 * Time values: Spark interval strings, timestamp parsing and Spark's string rendering.
 * Timestamps are microseconds since 1970-01-01T00:00:00Z; the session time zone is UTC.
 */
import { AnalysisException, IllegalArgumentException } from './errors.js';

/** Fixed-length units as Spark spells them (singular, or plural with a trailing `s`). */
const UNIT_MICROS: Record<string, number> = {
  microsecond: 1,
  millisecond: 1_000,
  second: 1_000_000,
  minute: 60_000_000,
  hour: 3_600_000_000,
  day: 86_400_000_000,
  week: 604_800_000_000,
};
const MONTH_UNITS: Record<string, number> = { month: 1, year: 12 };

/** A parsed interval: fixed-length part in microseconds plus a calendar month count. */
export interface Interval {
  readonly months: number;
  readonly micros: number;
}

function intervalError(text: string, why: string): IllegalArgumentException {
  return new IllegalArgumentException(`Error parsing '${text}' to interval, ${why}`, { code: 'INVALID_INTERVAL_FORMAT' });
}

/**
 * Parses a Spark interval string the way Spark's `IntervalUtils.stringToInterval` does: an optional
 * `interval` prefix, then `[+|-] number unit` pairs separated by whitespace, case-insensitive.
 * Units are year, month, week, day, hour, minute, second, millisecond and microsecond, each also
 * with a trailing `s`; only seconds may have a fraction (`1.5 seconds`, `.5 seconds`). Shorthands
 * such as `10 secs`, `100 ms` or `10seconds` are refused, as Spark refuses them.
 */
export function parseInterval(text: string): Interval {
  let src = text.trim().toLowerCase();
  if (/^interval(\s|$)/.test(src)) src = src.slice('interval'.length).trim();
  if (src === '') throw intervalError(text, 'interval string cannot be empty');
  const words = src.split(/\s+/);
  let months = 0;
  let micros = 0;
  let i = 0;
  while (i < words.length) {
    let word = words[i++];
    let negative = false;
    if (word === '-' || word === '+') {
      negative = word === '-';
      word = words[i++] ?? '';
    } else if (/^[+-]/.test(word)) {
      negative = word[0] === '-';
      word = word.slice(1);
    }
    const num = /^(\d*)(?:\.(\d*))?$/.exec(word);
    if (!num || (num[1] === '' && (num[2] ?? '') === '')) {
      throw /^[\d.]/.test(word) ? intervalError(text, `invalid value '${word}'`) : intervalError(text, `unrecognized number '${word}'`);
    }
    const unitWord = words[i++];
    if (unitWord === undefined) throw intervalError(text, `missing unit after '${word}'`);
    const unit = unitWord.endsWith('s') ? unitWord.slice(0, -1) : unitWord;
    const fraction = num[2];
    if (fraction !== undefined && unit !== 'second') throw intervalError(text, `'${unitWord}' cannot have fractional part`);
    if (fraction !== undefined && fraction.length > 9) throw intervalError(text, `interval can only support nanosecond precision, '${word}' is out of range`);
    const whole = Number(num[1] || '0');
    const sign = negative ? -1 : 1;
    if (MONTH_UNITS[unit] !== undefined) months += sign * whole * MONTH_UNITS[unit];
    else if (UNIT_MICROS[unit] !== undefined) {
      const fracMicros = fraction ? Math.trunc(Number(`0.${fraction}`) * 1_000_000 + 1e-6) : 0;
      micros += sign * (whole * UNIT_MICROS[unit] + fracMicros);
    } else throw intervalError(text, `invalid unit '${unitWord}'`);
  }
  return { months, micros };
}

/** Spark's analysis-time error for an interval string it cannot read (window and watermark arguments). */
function cannotParseInterval(text: string): AnalysisException {
  return new AnalysisException(
    `[CANNOT_PARSE_INTERVAL] Unable to parse '${text}'. Please ensure that the value provided is in a valid format for defining an interval. You can reference the documentation for the correct format. If the issue persists, please double check that the input value is not null or empty and try again.`,
    { code: 'CANNOT_PARSE_INTERVAL' },
  );
}

/** Parses a window or watermark argument, failing with Spark's CANNOT_PARSE_INTERVAL. */
export function analysisInterval(text: string): Interval {
  try {
    return parseInterval(text);
  } catch (e) {
    if (e instanceof IllegalArgumentException) throw cannotParseInterval(text);
    throw e;
  }
}

/** A window duration as fixed microseconds; months are rejected (windows need fixed lengths). */
export function intervalMicros(text: string): number {
  const i = analysisInterval(text);
  if (i.months !== 0) throw new IllegalArgumentException(`Intervals greater than a month is not supported (${text}).`, { code: 'INVALID_INTERVAL' });
  return i.micros;
}

/**
 * `timestamp + interval` as Spark computes it in the session time zone (UTC): calendar months first
 * (the day of month is clamped to the target month's length, as Java's `plusMonths` does), then the
 * fixed part. Timestamps and the result are microseconds since the epoch.
 */
export function addInterval(us: number, interval: Interval, sign: 1 | -1 = 1): number {
  let out = us;
  const months = sign * interval.months;
  if (months !== 0) {
    const ms = Math.floor(us / 1000);
    const subMs = us - ms * 1000;
    const d = new Date(ms);
    const y = d.getUTCFullYear();
    const m = d.getUTCMonth() + months;
    const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
    const shifted = Date.UTC(y, m, Math.min(d.getUTCDate(), lastDay), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds());
    out = shifted * 1000 + subMs;
  }
  return out + sign * interval.micros;
}

/** Microseconds per month used for watermark delays (Spark: 31 days per month). */
const MONTH_MICROS = 31 * 86_400_000_000;

/** A watermark delay in milliseconds (months converted with 31 days). */
export function delayMillis(text: string): number {
  const i = analysisInterval(text);
  return Math.floor((i.micros + i.months * MONTH_MICROS) / 1000);
}

/** Parses a processing-time trigger interval (`"2 seconds"` or milliseconds) to milliseconds. */
export function triggerIntervalMillis(value: string | number): number {
  let ms: number;
  if (typeof value === 'number') ms = value;
  else {
    const i = parseInterval(value);
    if (i.months !== 0) throw new IllegalArgumentException(`Doesn't support month or year interval: ${value}`, { code: 'INVALID_INTERVAL' });
    ms = Math.floor(i.micros / 1000);
  }
  if (ms < 0) throw new IllegalArgumentException('requirement failed: the interval of trigger should not be negative', { code: 'INVALID_TRIGGER' });
  return ms;
}

/**
 * Parses a timestamp string in the session time zone (UTC): `yyyy-MM-dd[ HH:mm[:ss[.fraction]]]`,
 * ISO forms with `T` and a `Z`/offset suffix. Returns microseconds or null when it is not a timestamp
 * (Spark's CAST returns NULL for unparsable strings in non-ANSI mode).
 */
export function parseTimestamp(text: string): number | null {
  const fast = parseIsoTimestamp(text);
  return fast !== undefined ? fast : parseTimestampText(text);
}

/** Digit value of the character at `i`, or -1. */
function digitAt(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

/** Days from 1970-01-01 to the first of `month` (1–12) of `year` in the proleptic Gregorian calendar. */
function daysToMonthStart(year: number, month: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5);
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/**
 * The common machine-written form `yyyy-MM-dd[T ]HH:mm:ss[.fraction][Z]` (four-digit year from
 * 1000), read without a regex or a Date: JSON events carry it on every record. Answers exactly what
 * {@link parseTimestampText} answers (a day past the month's end rolls over as `Date.UTC` does),
 * and undefined for any other shape so that the general parser decides.
 */
function parseIsoTimestamp(s: string): number | null | undefined {
  const n = s.length;
  if (n < 19 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return undefined;
  const sep = s.charCodeAt(10);
  if (sep !== 84 && sep !== 32) return undefined;
  const y0 = digitAt(s, 0), y1 = digitAt(s, 1), y2 = digitAt(s, 2), y3 = digitAt(s, 3);
  const mo0 = digitAt(s, 5), mo1 = digitAt(s, 6), d0 = digitAt(s, 8), d1 = digitAt(s, 9);
  const h0 = digitAt(s, 11), h1 = digitAt(s, 12), mi0 = digitAt(s, 14), mi1 = digitAt(s, 15), s0 = digitAt(s, 17), s1 = digitAt(s, 18);
  if ((y0 | y1 | y2 | y3 | mo0 | mo1 | d0 | d1 | h0 | h1 | mi0 | mi1 | s0 | s1) < 0 || y0 === 0) return undefined;
  let i = 19;
  let frac = 0;
  if (i < n && s.charCodeAt(i) === 46) {
    i++;
    let digits = 0;
    for (let d = digitAt(s, i); d >= 0; d = digitAt(s, ++i)) {
      if (++digits > 9) return undefined;
      if (digits <= 6) frac = frac * 10 + d;
    }
    if (digits === 0) return undefined;
    for (let k = digits; k < 6; k++) frac *= 10;
  }
  if (i < n) {
    const z = s.charCodeAt(i);
    if ((z !== 90 && z !== 122) || i + 1 !== n) return undefined;
  }
  return isoMicros(y0 * 1000 + y1 * 100 + y2 * 10 + y3, mo0 * 10 + mo1, d0 * 10 + d1, h0 * 10 + h1, mi0 * 10 + mi1, s0 * 10 + s1, frac);
}

/** Epoch microseconds of UTC calendar fields read by the ISO fast paths; null when a field is out of range. */
function isoMicros(year: number, month: number, day: number, hour: number, minute: number, second: number, frac: number): number | null {
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
  const days = daysToMonthStart(year, month) + day - 1;
  return ((days * 86_400 + hour * 3_600 + minute * 60 + second) * 1000) * 1000 + frac;
}

/** Digit value of byte `i`, or -1 (also past the end). */
function digitByte(b: Uint8Array, i: number): number {
  const c = b[i] - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

/**
 * {@link parseIsoTimestamp} over the ASCII bytes `b[start..end)`, for `from_json` reading records
 * straight from Kafka bytes: the same shape, the same answers, and undefined for any other shape.
 */
export function parseIsoTimestampBytes(b: Uint8Array, start: number, end: number): number | null | undefined {
  const s = start;
  if (end - s < 19 || b[s + 4] !== 45 || b[s + 7] !== 45 || b[s + 13] !== 58 || b[s + 16] !== 58) return undefined;
  const sep = b[s + 10];
  if (sep !== 84 && sep !== 32) return undefined;
  const y0 = digitByte(b, s), y1 = digitByte(b, s + 1), y2 = digitByte(b, s + 2), y3 = digitByte(b, s + 3);
  const mo0 = digitByte(b, s + 5), mo1 = digitByte(b, s + 6), d0 = digitByte(b, s + 8), d1 = digitByte(b, s + 9);
  const h0 = digitByte(b, s + 11), h1 = digitByte(b, s + 12), mi0 = digitByte(b, s + 14), mi1 = digitByte(b, s + 15), s0 = digitByte(b, s + 17), s1 = digitByte(b, s + 18);
  if ((y0 | y1 | y2 | y3 | mo0 | mo1 | d0 | d1 | h0 | h1 | mi0 | mi1 | s0 | s1) < 0 || y0 === 0) return undefined;
  let i = s + 19;
  let frac = 0;
  if (i < end && b[i] === 46) {
    i++;
    let digits = 0;
    for (let d = i < end ? digitByte(b, i) : -1; d >= 0; d = ++i < end ? digitByte(b, i) : -1) {
      if (++digits > 9) return undefined;
      if (digits <= 6) frac = frac * 10 + d;
    }
    if (digits === 0) return undefined;
    for (let k = digits; k < 6; k++) frac *= 10;
  }
  if (i < end) {
    const z = b[i];
    if ((z !== 90 && z !== 122) || i + 1 !== end) return undefined;
  }
  return isoMicros(y0 * 1000 + y1 * 100 + y2 * 10 + y3, mo0 * 10 + mo1, d0 * 10 + d1, h0 * 10 + h1, mi0 * 10 + mi1, s0 * 10 + s1, frac);
}

/** The general timestamp grammar (see {@link parseTimestamp}). */
function parseTimestampText(text: string): number | null {
  const m = /^\s*([+-]?\d{4,6})-(\d{1,2})(?:-(\d{1,2})(?:[T ](\d{1,2})(?::(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,9}))?)?)?)?)?\s*(Z|[+-]\d{2}:?\d{2}|UTC)?\s*$/i.exec(text);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = m[3] === undefined ? 1 : Number(m[3]);
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
  const frac = m[7] === undefined ? 0 : Number(m[7].padEnd(6, '0').slice(0, 6));
  let ms = Date.UTC(year, month - 1, day, hour, minute, second);
  if (year >= 0 && year < 100) {
    const d = new Date(ms);
    d.setUTCFullYear(year);
    ms = d.getTime();
  }
  let offsetMin = 0;
  const z = m[8];
  if (z && z.toUpperCase() !== 'Z' && z.toUpperCase() !== 'UTC') {
    const sign = z[0] === '-' ? -1 : 1;
    const digits = z.slice(1).replace(':', '');
    offsetMin = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
  }
  return (ms - offsetMin * 60_000) * 1000 + frac;
}

function pad(n: number, w: number): string {
  const s = String(Math.abs(n));
  return (n < 0 ? '-' : '') + s.padStart(w, '0');
}

/** Splits microseconds into a UTC Date (millisecond part) and the sub-second microseconds. */
function split(micros: number): { date: Date; fracMicros: number } {
  const secs = Math.floor(micros / 1_000_000);
  const fracMicros = micros - secs * 1_000_000;
  return { date: new Date(secs * 1000), fracMicros };
}

/**
 * Spark's string form of a timestamp: `yyyy-MM-dd HH:mm:ss` plus a fraction only when non-zero,
 * trailing zeros removed (`09:00:00.4`).
 */
export function formatTimestamp(micros: number): string {
  const { date, fracMicros } = split(micros);
  let s = `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)} ${pad(date.getUTCHours(), 2)}:${pad(date.getUTCMinutes(), 2)}:${pad(date.getUTCSeconds(), 2)}`;
  if (fracMicros !== 0) s += `.${String(fracMicros).padStart(6, '0').replace(/0+$/, '')}`;
  return s;
}

/** Spark's string form of a date (days since epoch). */
export function formatDate(days: number): string {
  const d = new Date(days * 86_400_000);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
}

/** ISO-8601 with milliseconds, as Spark's progress JSON prints watermarks and times. */
export function isoMillis(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * Formats a timestamp with a Java DateTimeFormatter-style pattern (the subset `date_format` needs:
 * y, M, d, H, h, m, s, S, a, E, quoted text).
 */
export function formatWithPattern(micros: number, pattern: string): string {
  const { date, fracMicros } = split(micros);
  const out: string[] = [];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === "'") {
      const end = pattern.indexOf("'", i + 1);
      const lit = pattern.slice(i + 1, end < 0 ? pattern.length : end);
      out.push(lit === '' ? "'" : lit);
      i = end < 0 ? pattern.length : end + 1;
      continue;
    }
    let j = i;
    while (j < pattern.length && pattern[j] === c) j++;
    const n = j - i;
    i = j;
    switch (c) {
      case 'y': out.push(n === 2 ? pad(date.getUTCFullYear() % 100, 2) : pad(date.getUTCFullYear(), n)); break;
      case 'M': out.push(n >= 3 ? MONTHS[date.getUTCMonth()].slice(0, n === 3 ? 3 : undefined) : pad(date.getUTCMonth() + 1, n)); break;
      case 'd': out.push(pad(date.getUTCDate(), n)); break;
      case 'H': out.push(pad(date.getUTCHours(), n)); break;
      case 'h': out.push(pad(((date.getUTCHours() + 11) % 12) + 1, n)); break;
      case 'm': out.push(pad(date.getUTCMinutes(), n)); break;
      case 's': out.push(pad(date.getUTCSeconds(), n)); break;
      case 'S': out.push(String(fracMicros).padStart(6, '0').slice(0, n).padEnd(n, '0')); break;
      case 'a': out.push(date.getUTCHours() < 12 ? 'AM' : 'PM'); break;
      case 'E': out.push(n >= 4 ? DAYS[date.getUTCDay()] : DAYS[date.getUTCDay()].slice(0, 3)); break;
      default: out.push(c.repeat(n));
    }
  }
  return out.join('');
}

/** Parses a timestamp with a Java-style pattern (digits only for y/M/d/H/m/s/S); null if it does not match. */
export function parseWithPattern(text: string, pattern: string): number | null {
  let re = '';
  const groups: string[] = [];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === "'") {
      const end = pattern.indexOf("'", i + 1);
      re += escapeRe(pattern.slice(i + 1, end < 0 ? pattern.length : end));
      i = end < 0 ? pattern.length : end + 1;
      continue;
    }
    let j = i;
    while (j < pattern.length && pattern[j] === c) j++;
    const n = j - i;
    i = j;
    if ('yMdHhmsS'.includes(c)) {
      re += c === 'y' && n === 4 ? '(\\d{4})' : c === 'S' ? `(\\d{1,${n}})` : `(\\d{1,${Math.max(n, 2)}})`;
      groups.push(c);
    } else re += escapeRe(c.repeat(n));
  }
  const m = new RegExp(`^${re}$`).exec(text.trim());
  if (!m) return null;
  const v: Record<string, number> = { y: 1970, M: 1, d: 1, H: 0, h: 0, m: 0, s: 0, S: 0 };
  groups.forEach((g, k) => {
    v[g] = g === 'S' ? Number(m[k + 1].padEnd(6, '0')) : Number(m[k + 1]);
  });
  const ms = Date.UTC(v.y, v.M - 1, v.d, v.H || v.h, v.m, v.s);
  return ms * 1000 + v.S;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
