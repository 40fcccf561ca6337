/**
 * Time values: Spark interval strings, timestamp parsing and Spark's string rendering.
 * Timestamps are microseconds since 1970-01-01T00:00:00Z; the session time zone is UTC.
 */
import { AnalysisException, IllegalArgumentException } from './errors.js';
import { localToUtcMicros, localToUtcMs, UTC_ZONE, utcToLocalMs, zoneOf, type Zone } from './time-zone.js';

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
 * `timestamp + interval` as Spark 3.5 computes it (`timestampAddInterval`): the calendar part moves
 * the wall time in the time zone, first by months (the day of month clamped to the target month's
 * length, as Java's `plusMonths` does), then by whole days (the day-time part's whole days, as
 * `timestampAddDayTime` splits them off), each read back as Java's `ZonedDateTime` does (keeping the
 * offset it had when that is still valid, a time in a gap moved forward); the rest of the day-time
 * part is added as elapsed time. So across a daylight-saving change `+ INTERVAL 1 DAY` (or `24 HOURS`)
 * keeps the wall time. Timestamps and the result are microseconds since the epoch.
 */
export function addInterval(us: number, interval: Interval, sign: 1 | -1 = 1, zone: Zone = UTC_ZONE): number {
  const months = sign * interval.months;
  const dayTime = sign * interval.micros;
  const days = Math.trunc(dayTime / DAY_MICROS);
  const rest = dayTime - days * DAY_MICROS;
  let out = us;
  if (months !== 0) out = moveWallTime(out, zone, (local) => plusMonths(local, months));
  if (days !== 0) out = moveWallTime(out, zone, (local) => local + days * DAY_MICROS);
  return out + rest;
}

const DAY_MICROS = 86_400_000_000;

/** An instant moved on its wall clock in a zone, resolved as Java's `ZonedDateTime.resolveLocal`. */
function moveWallTime(us: number, zone: Zone, move: (localUs: number) => number): number {
  const offsetUs = zone.offsetSecondsAt(Math.floor(us / 1000)) * 1_000_000;
  const local = move(us + offsetUs);
  const keep = local - offsetUs;
  if (zone.offsetSecondsAt(Math.floor(keep / 1000)) * 1_000_000 === offsetUs) return keep;
  return localToUtcMicros(local, zone);
}

/** A wall time (microseconds read as UTC fields) `months` calendar months later, the day clamped. */
function plusMonths(local: number, months: number): number {
  const ms = Math.floor(local / 1000);
  const subMs = local - ms * 1000;
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const shifted = Date.UTC(y, m, Math.min(d.getUTCDate(), lastDay), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds());
  return shifted * 1000 + subMs;
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
 * Parses a timestamp string: `yyyy-MM-dd[ HH:mm[:ss[.fraction]]]`, ISO forms with `T` and a
 * `Z`/offset/zone suffix, or a time alone (`T10:00:05`, `10:00:05+01:00`) on today's date. Without a
 * zone in the text the fields are wall time in `zone`, the session time zone; "today" is the date
 * in that zone at `nowMs()` (Spark reads the wall clock there; the engine reads the batch time).
 * Returns microseconds or null when it is not a timestamp (Spark's CAST returns NULL for
 * unparsable strings in non-ANSI mode).
 */
export function parseTimestamp(text: string, zone: Zone = UTC_ZONE, nowMs: () => number = () => 0): number | null {
  const fast = parseIsoTimestamp(text);
  if (fast === undefined) return parseTimestampText(text, zone, nowMs);
  if (fast === null || zone === UTC_ZONE) return fast;
  const last = text.charCodeAt(text.length - 1);
  return last === 90 || last === 122 ? fast : localToUtcMicros(fast, zone);
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
 * {@link parseTimestampText} answers (a day past the month's end is no date), and undefined for any
 * other shape so that the general parser decides.
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
  if (month < 1 || month > 12 || day < 1 || day > monthLength(year, month) || hour > 23 || minute > 59 || second > 59) return null;
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

/**
 * The timestamp grammar of Spark's `stringToTimestamp`, after trimming:
 *
 *   [+-]yyyy[y..][-[m]m[-[d]d[( |T)[h]h[:[m]m[:[s]s[.fraction]]]]]][zone]
 *
 * with 4–6 year digits, a fraction of any length (microseconds kept), and a zone only after the
 * seconds: `Z`, `+h[h][:mm]`, `UTC+…`/`GMT+…`/`UT+…`, a short id (`PST`) or a region
 * (`Europe/Paris`), with or without a space before it. The local date-time is then placed in that
 * zone (UTC when none) as Java's `ZonedDateTime.of` does. Null when Spark gives NULL.
 */
function parseTimestampText(text: string, sessionZone: Zone, nowMs: () => number): number | null {
  const s = text.trim();
  const seg = [1, 1, 1, 0, 0, 0, 0];
  let i = 0;
  let digits = 0;
  let value = 0;
  let fracDigits = 0;
  let zone: string | null = null;
  let j = 0;
  let sign = 1;
  let signed = false;
  // A time without a date (`T10:00:05`, `10:00:05`) takes today's date.
  let justTime = false;
  if (s[0] === '-' || s[0] === '+') {
    sign = s[0] === '-' ? -1 : 1;
    signed = true;
    j = 1;
  }
  const valid = (segment: number, n: number): boolean =>
    segment === 6 || (segment === 0 ? n >= 4 && n <= 6 : n > 0 && n <= 2);
  const close = (): boolean => {
    if (!valid(i, digits)) return false;
    seg[i] = value;
    value = 0;
    digits = 0;
    i++;
    return true;
  };
  if (s.length === 0) return null;
  for (; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c >= 48 && c <= 57) {
      if (i === 6) fracDigits++;
      if (i !== 6 || digits < 6) value = value * 10 + (c - 48);
      digits++;
      continue;
    }
    const b = s[j];
    if (j === 0 && b === 'T') {
      justTime = true;
      i += 3;
    } else if (i < 2) {
      if (i === 0 && b === ':' && !signed) {
        if (digits === 0 || digits > 2) return null;
        justTime = true;
        seg[3] = value;
        value = 0;
        digits = 0;
        i = 4;
      } else if (b !== '-' || !close()) return null;
    } else if (i === 2) {
      if ((b !== ' ' && b !== 'T') || !close()) return null;
    } else if (i === 3 || i === 4) {
      if (b !== ':' || !close()) return null;
    } else if (i === 5 || i === 6) {
      if (b === '.' && i === 5) {
        if (!close()) return null;
      } else {
        if (!close()) return null;
        zone = s.slice(j);
        j = s.length;
        // The segment loop ends here; the fraction (if any) is complete.
        i = 7;
      }
    } else return null;
  }
  if (i <= 6) {
    if (!valid(i, digits)) return null;
    seg[i] = value;
    if (i === 6) {
      // Fewer than six fraction digits scale up to microseconds.
      let f = seg[6];
      for (let k = Math.min(fracDigits, 6); k < 6; k++) f *= 10;
      seg[6] = f;
    }
  } else if (fracDigits > 0) {
    let f = seg[6];
    for (let k = Math.min(fracDigits, 6); k < 6; k++) f *= 10;
    seg[6] = f;
  }
  const [year0, month, day, hour, minute, second, micros] = seg;
  const year = sign * year0;
  if (month < 1 || month > 12 || day < 1 || day > monthLength(year, month) || hour > 23 || minute > 59 || second > 59) return null;
  let z = sessionZone;
  if (zone !== null) {
    const named = zoneOf(zone.trim());
    if (!named) return null;
    z = named;
  }
  const timeMs = ((hour * 60 + minute) * 60 + second) * 1000;
  const localMs = justTime
    ? Math.floor(utcToLocalMs(nowMs(), z) / 86_400_000) * 86_400_000 + timeMs
    : calendarMs(year, month, day, hour, minute, second);
  return localToUtcMs(localMs, z) * 1000 + micros;
}

/** Days in a month of the proleptic Gregorian calendar. */
function monthLength(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

/** Epoch ms of calendar fields read as UTC (years 0–99 included). */
function calendarMs(year: number, month: number, day: number, hour: number, minute: number, second: number): number {
  return (daysToMonthStart(year, month) + day - 1) * 86_400_000 + ((hour * 60 + minute) * 60 + second) * 1000;
}

/**
 * Spark's `stringToDate` (`CAST(s AS DATE)`, `to_date(s)`): `[+-]yyyy[-[m]m[-[d]d]]` optionally
 * followed by a space or `T` and anything; days since the epoch, or null.
 */
export function parseDate(text: string): number | null {
  const s = text.trim();
  if (s === '') return null;
  let j = 0;
  let sign = 1;
  if (s[0] === '-' || s[0] === '+') {
    sign = s[0] === '-' ? -1 : 1;
    j = 1;
  }
  const seg = [1, 1, 1];
  let i = 0;
  let value = 0;
  let digits = 0;
  const valid = (segment: number, n: number): boolean => (segment === 0 ? n >= 4 && n <= 7 : n > 0 && n <= 2);
  for (; j < s.length && i < 3 && s[j] !== ' ' && s[j] !== 'T'; j++) {
    const c = s.charCodeAt(j);
    if (i < 2 && s[j] === '-') {
      if (!valid(i, digits)) return null;
      seg[i++] = value;
      value = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      value = value * 10 + (c - 48);
      digits++;
    } else return null;
  }
  if (!valid(i, digits)) return null;
  // `yyyy` and `yyyy-[m]m` must be the whole text.
  if (i < 2 && j < s.length) return null;
  seg[i] = value;
  const year = sign * seg[0];
  if (seg[1] < 1 || seg[1] > 12 || seg[2] < 1 || seg[2] > monthLength(year, seg[1])) return null;
  return daysToMonthStart(year, seg[1]) + seg[2] - 1;
}

