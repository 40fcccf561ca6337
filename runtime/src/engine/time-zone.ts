/**
 * Time zones as Spark reads them from text: fixed offsets (`+01:00`, `Z`, `GMT+1`, `UTC-05:30`),
 * region ids of the tz database (`Europe/Paris`) and Java's short ids (`PST`, `EST`), with Java's
 * rules for turning a local date-time in a zone into an instant (a time in a DST gap moves forward
 * by the gap, an ambiguous time takes the earlier offset).
 *
 * Which region ids exist is Java's list (`zone-names.ts`); their offsets come from the tz database
 * the JavaScript runtime carries (`Intl`), which is what Java's own tz data says for the dates
 * learners use.
 */
import { IllegalArgumentException } from './errors.js';
import { JAVA_ZONE_IDS, ZONE_DISPLAY_NAMES } from './zone-names.js';

/** A zone: its id as Spark prints it, and its offset from UTC (seconds) at an instant (epoch ms). */
export interface Zone {
  readonly id: string;
  offsetSecondsAt(utcMs: number): number;
}

/** A zone with one offset for all time (`+01:00`, `UTC`). */
export function fixedZone(id: string, offsetSeconds: number): Zone {
  return { id, offsetSecondsAt: () => offsetSeconds };
}

export const UTC_ZONE = fixedZone('UTC', 0);

/** Java's `ZoneId.SHORT_IDS`, the three-letter ids Spark accepts in casts and `from_utc_timestamp`. */
const SHORT_IDS: Record<string, string> = {
  ACT: 'Australia/Darwin', AET: 'Australia/Sydney', AGT: 'America/Argentina/Buenos_Aires', ART: 'Africa/Cairo',
  AST: 'America/Anchorage', BET: 'America/Sao_Paulo', BST: 'Asia/Dhaka', CAT: 'Africa/Harare', CNT: 'America/St_Johns',
  CST: 'America/Chicago', CTT: 'Asia/Shanghai', EAT: 'Africa/Addis_Ababa', ECT: 'Europe/Paris', IET: 'America/Indiana/Indianapolis',
  IST: 'Asia/Kolkata', JST: 'Asia/Tokyo', MIT: 'Pacific/Apia', NET: 'Asia/Yerevan', NST: 'Pacific/Auckland', PLT: 'Asia/Karachi',
  PNT: 'America/Phoenix', PRT: 'America/Puerto_Rico', PST: 'America/Los_Angeles', SST: 'Pacific/Guadalcanal', VST: 'Asia/Ho_Chi_Minh',
  EST: '-05:00', MST: '-07:00', HST: '-10:00',
};

/**
 * Reads an offset as Java's `ZoneOffset.of` does: `Z`, `+h`, `+hh`, `+hh:mm`, `+hhmm`, `+hh:mm:ss`,
 * `+hhmmss`, at most 18 hours. Returns seconds, or null when the text is not an offset.
 */
export function parseOffsetId(text: string): number | null {
  if (text === 'Z') return 0;
  const m = /^([+-])(\d{1,2})(?::?(\d{2})(?::?(\d{2}))?)?$/.exec(text);
  if (!m) return null;
  const hasColon = text.includes(':');
  // Java accepts either all colons or none, and one-digit hours only alone.
  if (m[2].length === 1 && m[3] !== undefined) return null;
  if (hasColon && m[3] !== undefined && !/^[+-]\d\d:\d\d(:\d\d)?$/.test(text)) return null;
  const h = Number(m[2]);
  const mi = m[3] === undefined ? 0 : Number(m[3]);
  const s = m[4] === undefined ? 0 : Number(m[4]);
  if (h > 18 || mi > 59 || s > 59 || (h === 18 && (mi > 0 || s > 0))) return null;
  return (m[1] === '-' ? -1 : 1) * (h * 3600 + mi * 60 + s);
}

/** Java's id of a fixed offset: `Z`, `+01:00`, `-05:30:15`. */
export function offsetId(seconds: number): string {
  if (seconds === 0) return 'Z';
  const a = Math.abs(seconds);
  const hh = String(Math.floor(a / 3600)).padStart(2, '0');
  const mm = String(Math.floor((a % 3600) / 60)).padStart(2, '0');
  const ss = a % 60;
  return `${seconds < 0 ? '-' : '+'}${hh}:${mm}${ss === 0 ? '' : `:${String(ss).padStart(2, '0')}`}`;
}

const regions = new Map<string, Zone | null>();
let javaIdsByLowerCase: Map<string, string> | null = null;

/**
 * A region of Java's tz data (`Europe/Paris`, `CET`, `EST5EDT`), or null when Java has no such id.
 * Java's ids are case-sensitive; a datetime pattern reads them ignoring case (`caseSensitive: false`).
 */
export function regionZone(id: string, caseSensitive = true): Zone | null {
  if (!javaIdsByLowerCase) javaIdsByLowerCase = new Map(JAVA_ZONE_IDS.map((z) => [z.toLowerCase(), z]));
  const javaId = javaIdsByLowerCase.get(id.toLowerCase());
  if (javaId === undefined || (caseSensitive && javaId !== id)) return null;
  if (regions.has(javaId)) return regions.get(javaId)!;
  let zone: Zone | null = null;
  try {
    const fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: javaId, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', era: 'short',
    });
    zone = intlZone(javaId, fmt);
  } catch {
    zone = null;
  }
  regions.set(javaId, zone);
  return zone;
}

function intlZone(id: string, fmt: Intl.DateTimeFormat): Zone {
  const cache = new Map<number, number>();
  return {
    id,
    offsetSecondsAt(utcMs: number): number {
      // Offsets change on whole seconds; the wall time of the instant's second gives the offset.
      const sec = Math.floor(utcMs / 1000);
      const hit = cache.get(sec);
      if (hit !== undefined) return hit;
      const parts: Record<string, string> = {};
      for (const p of fmt.formatToParts(sec * 1000)) parts[p.type] = p.value;
      const year = parts.era === 'BC' || parts.era === 'B' ? 1 - Number(parts.year) : Number(parts.year);
      const local = Date.UTC(year, Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
      const fixedYear = new Date(local);
      if (year >= 0 && year < 100) fixedYear.setUTCFullYear(year);
      const off = Math.round((fixedYear.getTime() - sec * 1000) / 1000);
      if (cache.size > 4096) cache.clear();
      cache.set(sec, off);
      return off;
    },
  };
}

/**
 * Spark's `getZoneId`: a zone id as casts and `from_utc_timestamp` read it (Java's `ZoneId.of` with
 * the short ids, after widening `+h:mm` and `+hh:m`). Null when Java would refuse the id.
 */
export function zoneOf(text: string): Zone | null {
  const id = text.replace(/([+-])(\d):/, '$10$2:').replace(/([+-])(\d\d):(\d)$/, '$1$2:0$3');
  return javaZoneId(SHORT_IDS[id] ?? id);
}

/** Java's `ZoneId.of` without the short ids. */
function javaZoneId(id: string): Zone | null {
  if (id === 'Z' || id.startsWith('+') || id.startsWith('-')) {
    const off = parseOffsetId(id);
    return off === null ? null : fixedZone(offsetId(off), off);
  }
  if (id === 'UTC' || id === 'GMT' || id === 'UT') return fixedZone(id, 0);
  for (const prefix of ['UTC', 'GMT', 'UT']) {
    if (id.startsWith(prefix) && (id[prefix.length] === '+' || id[prefix.length] === '-')) {
      const off = parseOffsetId(id.slice(prefix.length));
      return off === null ? null : fixedZone(`${prefix}${offsetId(off) === 'Z' ? '' : offsetId(off)}`, off);
    }
  }
  return regionZone(id);
}

/**
 * The instant (epoch ms) of a local date-time (its fields read as if UTC, in ms) in a zone, as
 * Java's `ZonedDateTime.of` resolves it: the one valid offset; in an overlap the earlier offset;
 * in a gap the local time moves forward by the gap's length (both come to the offset before).
 */
export function localToUtcMs(localMs: number, zone: Zone): number {
  const day = 86_400_000;
  const before = zone.offsetSecondsAt(localMs - day) * 1000;
  const after = zone.offsetSecondsAt(localMs + day) * 1000;
  if (before === after) {
    const off = zone.offsetSecondsAt(localMs - before) * 1000;
    return localMs - off;
  }
  const viaBefore = zone.offsetSecondsAt(localMs - before) * 1000 === before;
  const viaAfter = zone.offsetSecondsAt(localMs - after) * 1000 === after;
  if (viaBefore || !viaAfter) return localMs - before;
  return localMs - after;
}

/** The wall time (epoch ms read as UTC fields) of an instant in a zone. */
export function utcToLocalMs(utcMs: number, zone: Zone): number {
  return utcMs + zone.offsetSecondsAt(utcMs) * 1000;
}

/** {@link localToUtcMs} over microseconds, keeping the sub-millisecond part. */
export function localToUtcMicros(localUs: number, zone: Zone): number {
  const ms = Math.floor(localUs / 1000);
  return localToUtcMs(ms, zone) * 1000 + (localUs - ms * 1000);
}

/** {@link utcToLocalMs} over microseconds. */
export function utcToLocalMicros(us: number, zone: Zone): number {
  return us + zone.offsetSecondsAt(Math.floor(us / 1000)) * 1_000_000;
}

/**
 * Whether an instant is in the zone's daylight (summer) time: its offset is above the smaller of the
 * year's January and July offsets, the zone's standard offset.
 */
export function isDaylightTime(zone: Zone, utcMs: number): boolean {
  const year = new Date(utcMs).getUTCFullYear();
  const jan = zone.offsetSecondsAt(Date.UTC(year, 0, 15));
  const jul = zone.offsetSecondsAt(Date.UTC(year, 6, 15));
  return zone.offsetSecondsAt(utcMs) > Math.min(jan, jul);
}

/**
 * How the pattern letters `z` (short) and `zzzz` (full) write a zone at an instant, as Java's
 * formatter does in Locale.US: a region's names from Java's tables, a fixed offset's id otherwise.
 */
export function zoneDisplayName(zone: Zone, utcMs: number, full: boolean): string {
  const names = ZONE_DISPLAY_NAMES[zone.id];
  if (!names) return zone.id;
  const dst = isDaylightTime(zone, utcMs) ? 1 : 0;
  return names[(full ? 2 : 0) + dst];
}

/**
 * The session time zone (`spark.sql.session.timeZone`) that expressions being compiled read, and
 * the evaluation context they are compiled for. Planning a query sets both for the time it
 * compiles (see {@link withEvalScope}); closures capture what they need then, as Spark's analyzer
 * fixes a time-zone-aware expression's zone when it resolves it.
 */
let scopeZone: Zone = UTC_ZONE;
let scopeNow: { readonly batchTimestampMs: number } | null = null;

/** The session time zone of the plan being compiled (UTC outside any). */
export function sessionZone(): Zone {
  return scopeZone;
}

/** Epoch ms of "now" for the plan being compiled, read when called (the batch's time). */
export function scopeClock(): () => number {
  const ctx = scopeNow;
  return () => ctx?.batchTimestampMs ?? 0;
}

let inScope = false;
let activeZone: () => Zone = () => UTC_ZONE;

/** Runs `fn` (synchronously) with a session zone and evaluation context in scope. */
export function withEvalScope<T>(zone: Zone | undefined, now: { readonly batchTimestampMs: number } | null, fn: () => T): T {
  const prevZone = scopeZone;
  const prevNow = scopeNow;
  const prevIn = inScope;
  scopeZone = zone ?? UTC_ZONE;
  scopeNow = now;
  inScope = true;
  try {
    return fn();
  } finally {
    scopeZone = prevZone;
    scopeNow = prevNow;
    inScope = prevIn;
  }
}

/** Names the zone of the active session, which SQL text parsed outside any plan (`F.expr`) reads. */
export function setActiveSessionZone(zone: () => Zone): void {
  activeZone = zone;
}

/**
 * The session time zone that SQL text is parsed in and literals are named in: the scope's (a plan
 * being compiled, a DataFrame parsing its own text), else the active session's. Spark's parser reads
 * `TIMESTAMP '…'` in the session time zone of the moment it parses.
 */
export function parsingZone(): Zone {
  return inScope ? scopeZone : activeZone();
}

/** The conf that names the session time zone. */
export const SESSION_TIME_ZONE = 'spark.sql.session.timeZone';

/**
 * The session time zone a conf names (Spark's `getZoneId` of `spark.sql.session.timeZone`): UTC when
 * unset, the Streamlab default. An id Java cannot resolve is refused.
 */
export function sessionZoneOf(confValue: string | undefined): Zone {
  if (confValue === undefined || confValue === 'UTC') return UTC_ZONE;
  const zone = zoneOf(confValue);
  if (!zone) throw new IllegalArgumentException(`'${confValue}' in ${SESSION_TIME_ZONE} is invalid. Cannot resolve the given timezone with ZoneId.of(_, ZoneId.SHORT_IDS)`, { code: 'INVALID_CONF_VALUE.TIME_ZONE' });
  return zone;
}
