/**
 * Spark 3.5's datetime patterns (`to_timestamp(s, fmt)`, `date_format`, `unix_timestamp`,
 * `from_unixtime`), read as its `DateTimeFormatter` reads them: case-insensitive, strict (`Feb 30`
 * is no date), Locale.US, in the session time zone (a parameter).
 *
 *   pattern  := (field | 'quoted text' | '' | [optional] | other character)*
 *   field    := a run of one letter: G y M L d D Q q E a h K k H m s S z V O X x Z
 *   parse    := each field in turn; a number of width 1 takes 1+ digits (leaving the widths of
 *               fixed-width numbers right after it), width 2 exactly two; S..S 1..n fraction digits;
 *               an optional section is skipped when it does not match; the whole text must match;
 *               missing fields default to 1970-01-01 00:00:00; a zone or offset in the text decides
 *               the instant, otherwise the session time zone
 *
 * Where the pattern is fine but the text only parses leniently (`2024-3-10` for `yyyy-MM-dd`, text
 * after the date), Spark 3.5 fails the query with PARSE_DATETIME_BY_NEW_PARSER rather than give
 * NULL; letters Spark 3 dropped (week-based `Y w W u e c`, `A n N p`, and `E F q Q` when parsing)
 * fail with DATETIME_PATTERN_RECOGNITION. Both are reproduced.
 */
import { IllegalArgumentException, SparkUpgradeException } from './errors.js';
import { fixedZone, localToUtcMs, offsetId, parseOffsetId, regionZone, UTC_ZONE, zoneDisplayName, type Zone } from './time-zone.js';
import { ZONE_FULL_NAMES, ZONE_SHORT_NAMES } from './zone-names.js';

type Token =
  | { readonly t: 'lit'; readonly text: string }
  | { readonly t: 'field'; readonly c: string; readonly n: number }
  | { readonly t: 'opt'; readonly body: readonly Token[] };

/** A compiled pattern. */
export interface DateTimePattern {
  /** Epoch microseconds, or null when the text is not a datetime of this pattern. */
  parse(text: string, zone?: Zone): number | null;
  /** The instant (epoch microseconds) written as wall time in the session time zone. */
  format(micros: number, zone?: Zone): string;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const KNOWN = new Set('GyMLdDQqEaKkHhmsSzVOXxZYwWuecAnNpFv');
const DROPPED = new Set('YwWuecAnNp');
const DROPPED_FOR_PARSING = new Set('EFqQ');
/** The letters of Java's `SimpleDateFormat`, the legacy parser Spark tries after a failed parse. */
const LEGACY_LETTERS = new Set('GyMdkHmsSEDFwWahKzZYuXL');

/**
 * Whether Spark's legacy parser can be built for the pattern at all: it refuses letters it does not
 * know (`V`, `O`, `x`, ...) and `X` wider than 3, and then Spark gives NULL instead of
 * PARSE_DATETIME_BY_NEW_PARSER.
 */
function legacyUnderstands(tokens: readonly Token[]): boolean {
  return tokens.every((t) => (t.t === 'lit' ? true : t.t === 'opt' ? legacyUnderstands(t.body) : LEGACY_LETTERS.has(t.c) && !(t.c === 'X' && t.n > 3)));
}

function unrecognized(pattern: string): SparkUpgradeException {
  return new SparkUpgradeException(
    `[INCONSISTENT_BEHAVIOR_CROSS_VERSION.DATETIME_PATTERN_RECOGNITION] You may get a different result due to the upgrading to Spark >= 3.0:\nFail to recognize '${pattern}' pattern in the DateTimeFormatter. 1) You can set "spark.sql.legacy.timeParserPolicy" to "LEGACY" to restore the behavior before Spark 3.0. 2) You can form a valid datetime pattern with the guide from 'https://spark.apache.org/docs/latest/sql-ref-datetime-pattern.html'.`,
    { code: 'INCONSISTENT_BEHAVIOR_CROSS_VERSION.DATETIME_PATTERN_RECOGNITION' },
  );
}

function newParserFailed(text: string): SparkUpgradeException {
  return new SparkUpgradeException(
    `[INCONSISTENT_BEHAVIOR_CROSS_VERSION.PARSE_DATETIME_BY_NEW_PARSER] You may get a different result due to the upgrading to Spark >= 3.0:\nFail to parse '${text}' in the new parser. You can set "spark.sql.legacy.timeParserPolicy" to "LEGACY" to restore the behavior before Spark 3.0, or set to "CORRECTED" and treat it as an invalid datetime string.`,
    { code: 'INCONSISTENT_BEHAVIOR_CROSS_VERSION.PARSE_DATETIME_BY_NEW_PARSER' },
  );
}

function tokenize(pattern: string, forParsing: boolean): Token[] {
  const stack: Token[][] = [[]];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i];
    const top = stack[stack.length - 1];
    if (c === "'") {
      let j = i + 1;
      let text = '';
      for (;;) {
        if (j >= pattern.length) throw new IllegalArgumentException(`Pattern ends with an incomplete string literal: ${pattern}`);
        if (pattern[j] === "'") {
          if (pattern[j + 1] === "'") { text += "'"; j += 2; continue; }
          break;
        }
        text += pattern[j++];
      }
      top.push({ t: 'lit', text: j === i + 1 ? "'" : text });
      i = j + 1;
      continue;
    }
    if (c === '[') { stack.push([]); i++; continue; }
    if (c === ']') {
      if (stack.length === 1) throw new IllegalArgumentException(`Pattern invalid as it contains ] without previous [`);
      const body = stack.pop()!;
      stack[stack.length - 1].push({ t: 'opt', body });
      i++;
      continue;
    }
    if (/[A-Za-z]/.test(c)) {
      let j = i;
      while (j < pattern.length && pattern[j] === c) j++;
      const n = j - i;
      if (!KNOWN.has(c)) throw new IllegalArgumentException(`Unknown pattern letter: ${c}`);
      if (DROPPED.has(c) || (forParsing && DROPPED_FOR_PARSING.has(c))) throw unrecognized(pattern);
      if (n >= 5 && 'GMLEQq'.includes(c)) throw unrecognized(pattern);
      if (c === 'y' && n >= 7) throw unrecognized(pattern);
      const tooMany = ('dHhKkmsD'.includes(c) && n > (c === 'D' ? 3 : 2)) || ('aG'.includes(c) && n > (c === 'a' ? 1 : 3)) || (c === 'z' && n > 4)
        || (c === 'V' && n !== 2) || (c === 'O' && n !== 1 && n !== 4) || ('XxZ'.includes(c) && n > 5) || ('MLQq'.includes(c) && n > 4);
      if (tooMany) throw new IllegalArgumentException(c === 'V' ? "Pattern letter count must be 2: V" : `Too many pattern letters: ${c}`);
      top.push({ t: 'field', c, n });
      i = j;
      continue;
    }
    top.push({ t: 'lit', text: c });
    i++;
  }
  if (stack.length > 1) {
    // An unclosed `[` runs to the end, as Java's builder closes it.
    while (stack.length > 1) {
      const body = stack.pop()!;
      stack[stack.length - 1].push({ t: 'opt', body });
    }
  }
  return stack[0];
}

/** Digits a fixed-width number takes (0 when the field's width varies or it is not a number). */
function fixedWidth(tok: Token | undefined): number {
  if (!tok || tok.t !== 'field') return 0;
  if ('MLdHhKkmsD'.includes(tok.c)) return tok.n >= 2 && !('ML'.includes(tok.c) && tok.n >= 3) ? tok.n : 0;
  if (tok.c === 'y') return tok.n === 2 ? 2 : 0;
  return 0;
}

interface Parsed {
  year?: number; month?: number; day?: number; dayOfYear?: number; era?: number;
  hour24?: number; hour12?: number; hour0to11?: number; hour1to24?: number; ampm?: number;
  minute?: number; second?: number; micros?: number;
  zone?: Zone; offset?: number;
}

class Reader {
  pos = 0;
  constructor(readonly s: string, readonly lenient: boolean) {}
  digitsRun(): number {
    let j = this.pos;
    while (j < this.s.length && this.s.charCodeAt(j) >= 48 && this.s.charCodeAt(j) <= 57) j++;
    return j - this.pos;
  }
  number(min: number, max: number): number | null {
    if (this.lenient) while (this.s[this.pos] === ' ') this.pos++;
    const run = Math.min(this.digitsRun(), max);
    if (run < min) return null;
    const v = Number(this.s.slice(this.pos, this.pos + run));
    this.pos += run;
    return v;
  }
  word(options: readonly string[]): number | null {
    const rest = this.s.slice(this.pos).toLowerCase();
    let best = -1;
    options.forEach((o, i) => {
      if (rest.startsWith(o.toLowerCase()) && (best < 0 || o.length > options[best].length)) best = i;
    });
    if (best < 0) return null;
    this.pos += options[best].length;
    return best;
  }
}

/** An offset as the pattern letters X, x and Z (1–5 letters) write it; seconds, or null. */
function readOffset(r: Reader, c: string, n: number): number | null {
  const rest = r.s.slice(r.pos);
  const zeroZ = c === 'X' || (c === 'Z' && n === 5);
  if (zeroZ && (rest[0] === 'Z' || rest[0] === 'z')) {
    r.pos++;
    return 0;
  }
  if (c === 'Z' && n === 4) return readLocalizedOffset(r);
  // X/x 1: +HH[mm]; 2 and Z 1–3: +HHMM; 3: +HH:MM; 4: +HHMM[ss]; 5: +HH:MM[:ss].
  const shape = c === 'Z' && n <= 3 ? 2 : c === 'Z' ? 5 : n;
  const re = [/^([+-])(\d\d)(\d\d)?/, /^([+-])(\d\d)(\d\d)/, /^([+-])(\d\d):(\d\d)/, /^([+-])(\d\d)(\d\d)(\d\d)?/, /^([+-])(\d\d):(\d\d)(?::(\d\d))?/][shape - 1];
  const m = re.exec(rest);
  if (!m) return null;
  const h = Number(m[2]);
  const mi = m[3] === undefined ? 0 : Number(m[3]);
  const s = m[4] === undefined ? 0 : Number(m[4]);
  if (h > 18 || mi > 59 || s > 59) return null;
  r.pos += m[0].length;
  return (m[1] === '-' ? -1 : 1) * (h * 3600 + mi * 60 + s);
}

/** `GMT`, `GMT+1`, `GMT+01:00` (pattern letters O and ZZZZ). */
function readLocalizedOffset(r: Reader): number | null {
  const m = /^GMT(?:([+-])(\d{1,2})(?::(\d\d)(?::(\d\d))?)?)?/i.exec(r.s.slice(r.pos));
  if (!m) return null;
  r.pos += m[0].length;
  if (m[1] === undefined) return 0;
  const h = Number(m[2]);
  const mi = m[3] === undefined ? 0 : Number(m[3]);
  const s = m[4] === undefined ? 0 : Number(m[4]);
  if (h > 18 || mi > 59 || s > 59) return null;
  return (m[1] === '-' ? -1 : 1) * (h * 3600 + mi * 60 + s);
}

/** A zone id at the reader (pattern VV), case-insensitive; longest match. */
function readZoneId(r: Reader): Zone | null {
  const rest = r.s.slice(r.pos);
  if (rest[0] === '+' || rest[0] === '-') {
    const m = /^[+-]\d\d:\d\d(?::\d\d)?/.exec(rest);
    const off = m ? parseOffsetId(m[0]) : null;
    if (off === null) return null;
    r.pos += m![0].length;
    return fixedZone(offsetId(off), off);
  }
  if (rest[0] === 'Z' || rest[0] === 'z') {
    if (!/^[A-Za-z]/.test(rest.slice(1))) {
      r.pos++;
      return UTC_ZONE;
    }
  }
  const word = /^[A-Za-z][A-Za-z0-9~/._+-]*/.exec(rest)?.[0] ?? '';
  // The longest prefix that names a zone (ids may be followed by more text).
  for (let len = word.length; len > 0; len--) {
    const id = word.slice(0, len);
    const prefixed = /^(UTC|GMT|UT)(?=[+-]|$)/i.exec(id);
    let zone: Zone | null = null;
    if (prefixed) {
      const tail = id.slice(prefixed[0].length);
      if (tail === '') zone = fixedZone(prefixed[0].toUpperCase(), 0);
      else if (/^[+-]\d\d:\d\d(:\d\d)?$/.test(tail)) {
        const off = parseOffsetId(tail);
        if (off !== null) zone = fixedZone(`${prefixed[0].toUpperCase()}${offsetId(off)}`, off);
      }
    } else zone = regionZone(id, false);
    if (zone) {
      r.pos += len;
      return zone;
    }
  }
  return null;
}

/** A zone name (pattern z: short names, zzzz: full names), a zone id, or an offset. */
function readZoneText(r: Reader, full: boolean): Zone | null {
  const rest = r.s.slice(r.pos);
  if (rest[0] === '+' || rest[0] === '-') {
    const m = /^[+-]\d\d(?::?\d\d(?::?\d\d)?)?/.exec(rest);
    const off = m ? parseOffsetId(m[0]) : null;
    if (off === null) return null;
    r.pos += m![0].length;
    return fixedZone(offsetId(off), off);
  }
  const gmt = /^(UTC|GMT|UT)([+-]\d{1,2}(?::?\d\d)?)?/i.exec(rest);
  if (gmt && gmt[2]) {
    const off = parseOffsetId(gmt[2].replace(/^([+-])(\d)(?!\d)/, '$10$2'));
    if (off !== null) {
      r.pos += gmt[0].length;
      return fixedZone(`${gmt[1].toUpperCase()}${offsetId(off)}`, off);
    }
  }
  const names = full ? ZONE_FULL_NAMES : ZONE_SHORT_NAMES;
  const lower = rest.toLowerCase();
  let bestName = '';
  let bestId = '';
  for (const [name, id] of Object.entries(names)) {
    if (name.length > bestName.length && lower.startsWith(name.toLowerCase())) {
      bestName = name;
      bestId = id;
    }
  }
  const start = r.pos;
  const asId = readZoneId(r);
  // A name wins over an id of the same length (`EST` is New York's name before it is a fixed id).
  if (asId && r.pos - start > bestName.length) return asId;
  r.pos = start;
  if (bestName === '') return null;
  const zone = bestId === 'UTC' || bestId === 'GMT' ? fixedZone(bestId, 0) : regionZone(bestId);
  if (!zone) return null;
  r.pos += bestName.length;
  return zone;
}

function parseTokens(tokens: readonly Token[], r: Reader, out: Parsed): boolean {
  for (let k = 0; k < tokens.length; k++) {
    const tok = tokens[k];
    if (tok.t === 'lit') {
      if (r.s.slice(r.pos, r.pos + tok.text.length).toLowerCase() !== tok.text.toLowerCase()) {
        if (!(r.lenient && tok.text.trim() === '' && r.s[r.pos] !== undefined && /\s/.test(r.s[r.pos]))) return false;
      }
      r.pos += tok.text.length;
      continue;
    }
    if (tok.t === 'opt') {
      const save = r.pos;
      const copy: Parsed = { ...out };
      if (parseTokens(tok.body, r, copy)) Object.assign(out, copy);
      else r.pos = save;
      continue;
    }
    // Fixed-width numbers right after this one keep their digits (Java's adjacent value parsing).
    let reserved = 0;
    for (let j = k + 1; j < tokens.length && fixedWidth(tokens[j]) > 0; j++) reserved += fixedWidth(tokens[j]);
    const numberField = (fixed: number, maxVar = 19): number | null => {
      if (r.lenient) return r.number(1, reserved > 0 ? Math.max(fixed, 1) : 19);
      if (fixed > 0) return r.number(fixed, fixed);
      return r.number(1, Math.max(1, Math.min(maxVar, r.digitsRun() - reserved)));
    };
    const { c, n } = tok;
    let v: number | null = null;
    switch (c) {
      case 'y': {
        if (n === 2) {
          v = numberField(2);
          if (v !== null) out.year = 2000 + v;
        } else {
          const neg = !r.lenient && n >= 4 && r.s[r.pos] === '-' ? (r.pos++, -1) : 1;
          v = r.lenient ? r.number(1, 19) : r.number(n === 3 ? 3 : n >= 4 ? n : 1, Math.max(n, Math.min(19, r.digitsRun() - reserved)));
          if (v !== null) out.year = neg * v;
        }
        break;
      }
      case 'M': case 'L':
        if (n >= 3) {
          const names = n === 3 ? MONTHS.map((m) => m.slice(0, 3)) : MONTHS;
          v = r.word(names);
          if (v !== null) out.month = v + 1;
        } else {
          v = numberField(n === 2 ? 2 : 0);
          if (v !== null) out.month = v;
        }
        break;
      case 'd': v = numberField(n === 2 ? 2 : 0); if (v !== null) out.day = v; break;
      case 'D': v = numberField(n === 3 ? 3 : 0, n === 2 ? 3 : 19); if (v !== null) out.dayOfYear = v; break;
      case 'H': v = numberField(n === 2 ? 2 : 0); if (v !== null) out.hour24 = v; break;
      case 'k': v = numberField(n === 2 ? 2 : 0); if (v !== null) out.hour1to24 = v; break;
      case 'h': v = numberField(n === 2 ? 2 : 0); if (v !== null) out.hour12 = v; break;
      case 'K': v = numberField(n === 2 ? 2 : 0); if (v !== null) out.hour0to11 = v; break;
      case 'm': v = numberField(n === 2 ? 2 : 0); if (v !== null) out.minute = v; break;
      case 's': v = numberField(n === 2 ? 2 : 0); if (v !== null) out.second = v; break;
      case 'S': {
        const start = r.pos;
        // Spark 2's parser read S..S as a count of milliseconds (at most 999).
        v = r.number(1, r.lenient ? 19 : n);
        if (v !== null && r.lenient && v > 999) return false;
        if (v !== null) {
          const digits = r.s.slice(start, r.pos).replace(/^\s+/, '');
          out.micros = Number(digits.padEnd(9, '0').slice(0, 6));
        }
        break;
      }
      case 'a': v = r.word(['AM', 'PM']); if (v !== null) out.ampm = v; break;
      case 'G': v = r.word(n === 4 ? ['Before Christ', 'Anno Domini'] : ['BC', 'AD']); if (v !== null) out.era = v; break;
      case 'E': v = r.word(n === 4 ? DAYS : DAYS.map((d) => d.slice(0, 3))); break;
      case 'X': case 'x': case 'Z':
        v = readOffset(r, c, n);
        if (v !== null) out.offset = v;
        break;
      case 'O':
        v = readLocalizedOffset(r);
        if (v !== null) out.offset = v;
        break;
      case 'V': {
        const z = readZoneId(r);
        if (z) { out.zone = z; v = 0; }
        break;
      }
      case 'z': {
        const z = readZoneText(r, n === 4);
        if (z) { out.zone = z; v = 0; }
        break;
      }
      default:
        return false;
    }
    if (v === null) return false;
  }
  return true;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

/** Epoch ms of a UTC calendar date-time (any year, proleptic Gregorian). */
function utcMs(year: number, month: number, day: number, h: number, mi: number, s: number): number {
  const d = new Date(Date.UTC(2000, month - 1, day, h, mi, s));
  d.setUTCFullYear(year);
  return d.getTime();
}

/** Resolves parsed fields strictly, as Spark's formatter does; null when they name no instant. */
function resolve(p: Parsed, sessionZone: Zone): number | null {
  let year = p.year ?? 1970;
  if (p.era === 0) year = 1 - year;
  let month = p.month ?? 1;
  let day = p.day ?? 1;
  if (p.dayOfYear !== undefined) {
    const leap = daysInMonth(year, 2) === 29;
    if (p.dayOfYear < 1 || p.dayOfYear > (leap ? 366 : 365)) return null;
    const d = new Date(utcMs(year, 1, 1, 0, 0, 0) + (p.dayOfYear - 1) * 86_400_000);
    if ((p.month !== undefined && p.month !== d.getUTCMonth() + 1) || (p.day !== undefined && p.day !== d.getUTCDate())) return null;
    month = d.getUTCMonth() + 1;
    day = d.getUTCDate();
  }
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  let hour = 0;
  if (p.hour24 !== undefined) {
    if (p.hour24 > 23) return null;
    hour = p.hour24;
  } else if (p.hour1to24 !== undefined) {
    if (p.hour1to24 < 1 || p.hour1to24 > 24) return null;
    hour = p.hour1to24 % 24;
  } else if (p.hour12 !== undefined || p.hour0to11 !== undefined) {
    const h = p.hour12 !== undefined ? p.hour12 : p.hour0to11!;
    if (p.hour12 !== undefined && (h < 1 || h > 12)) return null;
    if (p.hour0to11 !== undefined && h > 11) return null;
    // Without an am/pm marker Spark takes the morning.
    hour = (h % 12) + (p.ampm === 1 ? 12 : 0);
  }
  const minute = p.minute ?? 0;
  const second = p.second ?? 0;
  if (minute > 59 || second > 59) return null;
  const local = utcMs(year, month, day, hour, minute, second);
  let ms: number;
  if (p.offset !== undefined) ms = local - p.offset * 1000;
  else ms = localToUtcMs(local, p.zone ?? sessionZone);
  return ms * 1000 + (p.micros ?? 0);
}

function pad(v: number, w: number): string {
  const s = String(Math.abs(v)).padStart(w, '0');
  return v < 0 ? `-${s}` : s;
}

function formatTokens(tokens: readonly Token[], utcMicros: number, zone: Zone, out: string[]): void {
  const utcMs = Math.floor(utcMicros / 1000);
  const offset = zone.offsetSecondsAt(utcMs);
  const micros = utcMicros + offset * 1_000_000;
  const secs = Math.floor(micros / 1_000_000);
  const frac = micros - secs * 1_000_000;
  const d = new Date(secs * 1000);
  const year = d.getUTCFullYear();
  for (const tok of tokens) {
    if (tok.t === 'lit') { out.push(tok.text); continue; }
    if (tok.t === 'opt') { formatTokens(tok.body, utcMicros, zone, out); continue; }
    const { c, n } = tok;
    switch (c) {
      case 'G': out.push(n === 4 ? (year > 0 ? 'Anno Domini' : 'Before Christ') : year > 0 ? 'AD' : 'BC'); break;
      case 'y': out.push(n === 2 ? pad(((year % 100) + 100) % 100, 2) : pad(year, n)); break;
      case 'M': case 'L': out.push(n === 4 ? MONTHS[d.getUTCMonth()] : n === 3 ? MONTHS[d.getUTCMonth()].slice(0, 3) : pad(d.getUTCMonth() + 1, n)); break;
      case 'Q': case 'q': {
        const q = Math.floor(d.getUTCMonth() / 3) + 1;
        out.push(n === 4 ? `${['1st', '2nd', '3rd', '4th'][q - 1]} quarter` : n === 3 ? `Q${q}` : pad(q, n));
        break;
      }
      case 'd': out.push(pad(d.getUTCDate(), n)); break;
      case 'D': out.push(pad(Math.floor((Date.UTC(year, d.getUTCMonth(), d.getUTCDate()) - Date.UTC(year, 0, 1)) / 86_400_000) + 1, n)); break;
      case 'E': out.push(n === 4 ? DAYS[d.getUTCDay()] : DAYS[d.getUTCDay()].slice(0, 3)); break;
      case 'F': out.push(pad(Math.floor((d.getUTCDate() - 1) / 7) + 1, n)); break;
      case 'a': out.push(d.getUTCHours() < 12 ? 'AM' : 'PM'); break;
      case 'H': out.push(pad(d.getUTCHours(), n)); break;
      case 'k': out.push(pad(d.getUTCHours() === 0 ? 24 : d.getUTCHours(), n)); break;
      case 'h': out.push(pad(((d.getUTCHours() + 11) % 12) + 1, n)); break;
      case 'K': out.push(pad(d.getUTCHours() % 12, n)); break;
      case 'm': out.push(pad(d.getUTCMinutes(), n)); break;
      case 's': out.push(pad(d.getUTCSeconds(), n)); break;
      case 'S': out.push(String(frac).padStart(6, '0').padEnd(9, '0').slice(0, n).padEnd(n, '0')); break;
      case 'z': out.push(zoneDisplayName(zone, utcMs, n === 4)); break;
      case 'V': out.push(zone.id); break;
      case 'O': out.push(localizedOffset(offset, n === 4)); break;
      case 'X': out.push(offset === 0 ? 'Z' : isoOffset(offset, n)); break;
      case 'x': out.push(isoOffset(offset, n)); break;
      case 'Z': out.push(n <= 3 ? isoOffset(offset, 2) : n === 4 ? localizedOffset(offset, true) : offset === 0 ? 'Z' : isoOffset(offset, 3)); break;
      default: out.push(c.repeat(n));
    }
  }
}

/**
 * An offset as Java's `appendOffset` writes it for X/x of `width` letters: `+01` (hours, and minutes
 * when not zero), `+0100`, `+01:00`, `+0100[ss]`, `+01:00[:ss]`.
 */
function isoOffset(seconds: number, width: number): string {
  const a = Math.abs(seconds);
  const h = pad(Math.floor(a / 3600), 2);
  const m = pad(Math.floor((a % 3600) / 60), 2);
  const s = a % 60;
  const sign = seconds < 0 ? '-' : '+';
  switch (width) {
    case 1: return `${sign}${h}${m === '00' ? '' : m}`;
    case 2: return `${sign}${h}${m}`;
    case 3: return `${sign}${h}:${m}`;
    case 4: return `${sign}${h}${m}${s === 0 ? '' : pad(s, 2)}`;
    default: return `${sign}${h}:${m}${s === 0 ? '' : `:${pad(s, 2)}`}`;
  }
}

/** Java's localized offset (O, OOOO, ZZZZ): `GMT`, `GMT+1`, `GMT+5:30`, or in full `GMT+01:00`. */
function localizedOffset(seconds: number, full: boolean): string {
  if (seconds === 0) return 'GMT';
  const a = Math.abs(seconds);
  const h = Math.floor(a / 3600);
  const m = Math.floor((a % 3600) / 60);
  const s = a % 60;
  const sign = seconds < 0 ? '-' : '+';
  if (full) return `GMT${sign}${pad(h, 2)}:${pad(m, 2)}${s === 0 ? '' : `:${pad(s, 2)}`}`;
  return `GMT${sign}${h}${m === 0 && s === 0 ? '' : `:${pad(m, 2)}`}${s === 0 ? '' : `:${pad(s, 2)}`}`;
}

const cache = new Map<string, { parse?: DateTimePattern['parse']; format?: DateTimePattern['format'] }>();

function entry(pattern: string): { parse?: DateTimePattern['parse']; format?: DateTimePattern['format'] } {
  let e = cache.get(pattern);
  if (!e) {
    if (cache.size > 256) cache.clear();
    e = {};
    cache.set(pattern, e);
  }
  return e;
}

/**
 * The parser of a pattern; throws Spark's errors for patterns Spark refuses. Text without a zone or
 * offset is wall time in `zone` (the session's, UTC by default).
 */
export function patternParser(pattern: string): (text: string, zone?: Zone) => number | null {
  const e = entry(pattern);
  if (!e.parse) {
    const tokens = tokenize(pattern, true);
    const legacy = legacyUnderstands(tokens);
    e.parse = (text, zone = UTC_ZONE) => {
      const strict = new Reader(text, false);
      const p: Parsed = {};
      if (parseTokens(tokens, strict, p) && strict.pos === text.length) return resolve(p, zone);
      if (!legacy) return null;
      const lenient = new Reader(text, true);
      const q: Parsed = {};
      if (parseTokens(tokens, lenient, q) && resolve(q, zone) !== null) throw newParserFailed(text);
      return null;
    };
  }
  return e.parse;
}

/** The formatter of a pattern (wall time in `zone`, UTC by default); throws Spark's errors for patterns Spark refuses. */
export function patternFormatter(pattern: string): (micros: number, zone?: Zone) => string {
  const e = entry(pattern);
  if (!e.format) {
    const tokens = tokenize(pattern, false);
    e.format = (micros, zone = UTC_ZONE) => {
      const out: string[] = [];
      formatTokens(tokens, micros, zone, out);
      return out.join('');
    };
  }
  return e.format;
}

/** `to_timestamp(text, pattern)`: epoch microseconds or null. */
export function parseWithPattern(text: string, pattern: string, zone: Zone = UTC_ZONE): number | null {
  return patternParser(pattern)(text, zone);
}

/** `date_format(ts, pattern)`. */
export function formatWithPattern(micros: number, pattern: string, zone: Zone = UTC_ZONE): string {
  return patternFormatter(pattern)(micros, zone);
}

