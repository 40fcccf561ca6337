/**
 * Date and time functions (Spark's datetimeExpressions), in the session time zone, which each call
 * captures as it compiles. Timestamps are microseconds since the epoch, dates days since the epoch.
 */
import { castTo, type Compiled } from '../expressions/compiled.js';
import { patternFormatter, patternParser } from '../datetime-pattern.js';
import { AnalysisException, ArithmeticException, StreamlabError } from '../errors.js';
import { addInterval } from '../time.js';
import { localToUtcMicros, localToUtcMs, sessionZone, UTC_ZONE, utcToLocalMicros, zoneOf, type Zone } from '../time-zone.js';
import { DATE, DECIMAL, INT, LONG, STRING, TIMESTAMP, isTimestamp, sameType } from '../types.js';
import { secondsToMicros } from '../values.js';
import { col, defineFunction, val, type CallContext, type FunctionSpec } from './function-spec.js';

const DAY_US = 86_400_000_000;

/** `timestampadd`'s units: elapsed time up to an hour, wall-time days and months beyond (Java's ChronoUnit). */
const TIMESTAMPADD_UNITS: Record<string, { micros: number } | { days?: number; months?: number }> = {
  MICROSECOND: { micros: 1 }, MILLISECOND: { micros: 1_000 }, SECOND: { micros: 1_000_000 }, MINUTE: { micros: 60_000_000 },
  HOUR: { micros: 3_600_000_000 }, DAY: { days: 1 }, DAYOFYEAR: { days: 1 }, WEEK: { days: 7 },
  MONTH: { months: 1 }, QUARTER: { months: 3 }, YEAR: { months: 12 },
};
const DEFAULT_FORMAT = 'yyyy-MM-dd HH:mm:ss';

/** The largest long Java holds, over a million: seconds past it overflow as microseconds. */
const MAX_LONG = 9_223_372_036_854_775_807;

/** Microseconds that must fit a long, as Java's `Math.multiplyExact` requires. */
function exactMicros(us: number): number {
  if (us > MAX_LONG || us < -MAX_LONG) throw new ArithmeticException('long overflow', { code: 'ARITHMETIC_EXCEPTION' });
  return us;
}

/** Whether a decimal holds digits below a microsecond (read from its shortest decimal form). */
function subMicrosecond(v: number): boolean {
  const [mantissa, exp = '0'] = String(Math.abs(v)).split('e');
  const fraction = mantissa.split('.')[1] ?? '';
  return fraction.length - Number(exp) > 6;
}

/**
 * `date_trunc(unit, ts)` in the session time zone: units up to a second cut the instant, longer
 * ones cut the wall time and read it back in the zone. Null for an unknown unit, as Spark returns.
 */
function truncateTimestamp(utcUs: number, unit: string, zone: Zone): number | null {
  const u = unit.toLowerCase();
  const exact: Record<string, number> = { microsecond: 1, millisecond: 1_000, second: 1_000_000 };
  if (exact[u] !== undefined) return Math.floor(utcUs / exact[u]) * exact[u];
  const offsetUs = zone.offsetSecondsAt(Math.floor(utcUs / 1000)) * 1_000_000;
  const local = truncateLocal(utcUs + offsetUs, u);
  if (local === null) return null;
  // Java's ZonedDateTime.truncatedTo keeps the offset it had when that offset is still valid (the
  // second 02:00 of a night the clocks go back stays the second one).
  if (u === 'minute' || u === 'hour' || u === 'day' || u === 'dd') {
    const keep = local - offsetUs;
    if (zone.offsetSecondsAt(Math.floor(keep / 1000)) * 1_000_000 === offsetUs) return keep;
  }
  return localToUtcMicros(local, zone);
}

/** {@link truncateTimestamp} of a wall time. */
function truncateLocal(us: number, u: string): number | null {
  const fixed: Record<string, number> = { minute: 60_000_000, hour: 3_600_000_000, day: DAY_US, dd: DAY_US };
  if (fixed[u] !== undefined) return Math.floor(us / fixed[u]) * fixed[u];
  const d = new Date(Math.floor(us / 1000));
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  switch (u) {
    case 'week': {
      const day = Math.floor(us / DAY_US);
      // Monday-based weeks; 1970-01-01 was a Thursday.
      return (day - ((day + 3) % 7 + 7) % 7) * DAY_US;
    }
    case 'month': case 'mon': case 'mm': return Date.UTC(y, m, 1) * 1000;
    case 'quarter': return Date.UTC(y, m - (m % 3), 1) * 1000;
    case 'year': case 'yyyy': case 'yy': return Date.UTC(y, 0, 1) * 1000;
    default: return null;
  }
}

/** A field of a date (days since the epoch), as `year(d)` and its siblings read it. */
function dateField(name: string, doc: string, field: (d: Date, days: number) => number, extra: Partial<FunctionSpec> = {}): FunctionSpec {
  return defineFunction({
    name, group: 'datetime', kind: 'scalar', params: [col('col', 'date')], doc,
    compile: (c) => c.strict1(INT, c.arg(0), (days: number) => field(new Date(days * 86_400_000), days)), ...extra,
  });
}

/** A field of a timestamp's wall time in the session time zone, as `hour(ts)` and its siblings read it. */
function timeField(name: string, doc: string, field: (d: Date) => number): FunctionSpec {
  return defineFunction({
    name, group: 'datetime', kind: 'scalar', params: [col('col', 'timestamp')], doc,
    compile: (c) => {
      const zone = sessionZone();
      return c.strict1(INT, c.arg(0), (us: number) => field(new Date(Math.floor(utcToLocalMicros(us, zone) / 1000))));
    },
  });
}

/** A string parsed with a pattern (or cast when there is none), as `to_timestamp` does. */
function parsed(c: CallContext): (row: unknown[]) => number | null {
  const s = castTo(c.raw(0), STRING).eval;
  const fmt = c.arg(1);
  if (fmt.type !== STRING) throw new AnalysisException(`[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "${c.name}" due to data type mismatch: Parameter 2 requires the "STRING" type.`, { code: 'DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE' });
  const f = fmt.eval;
  const zone = sessionZone();
  return (row) => {
    const v = s(row) as string | null;
    const p = f(row) as string | null;
    return v === null || p === null ? null : patternParser(p)(v, zone);
  };
}

/** `from_utc_timestamp` / `to_utc_timestamp`: shifts a timestamp between UTC and a zone's wall time. */
function zoneShift(name: 'from_utc_timestamp' | 'to_utc_timestamp'): FunctionSpec {
  const toUtc = name === 'to_utc_timestamp';
  return defineFunction({
    name, group: 'datetime', kind: 'scalar', params: [col('timestamp', 'timestamp'), col('tz', 'string', { ts: 'string' })],
    doc: toUtc
      ? 'Reads the timestamp as wall time in zone `tz` and gives the same instant in UTC.'
      : 'Gives the wall time in zone `tz` of the timestamp read as UTC.',
    example: toUtc ? { sql: "to_utc_timestamp('2024-03-10 10:00:00', 'Europe/Paris')", result: '2024-03-10 09:00:00' } : { sql: "from_utc_timestamp('2024-03-10 09:00:00', 'Europe/Paris')", result: '2024-03-10 10:00:00' },
    compile: (c) => c.strict2(TIMESTAMP, c.arg(0), c.arg(1), (us: number, tz: string) => {
      const zone = zoneOf(tz);
      if (!zone) throw new StreamlabError(`Unknown time-zone ID: ${tz}`, { code: 'INVALID_TIMEZONE' });
      const ms = Math.floor(us / 1000);
      const sub = us - ms * 1000;
      if (toUtc) return localToUtcMs(ms, zone) * 1000 + sub;
      return (ms + zone.offsetSecondsAt(ms) * 1000) * 1000 + sub;
    }),
  });
}

export const datetimeFunctions: readonly FunctionSpec[] = [
  defineFunction({
    name: 'current_timestamp', aliases: ['now'], pyAliases: ['now'], group: 'datetime', kind: 'scalar', params: [],
    doc: 'The time the micro-batch started (the same for every row of a batch).', columnName: () => 'current_timestamp()',
    compile: (c) => c.make(TIMESTAMP, () => c.evalContext.batchTimestampMs * 1000, { nullable: false }),
  }),
  defineFunction({
    name: 'current_date', group: 'datetime', kind: 'scalar', params: [], doc: 'The date the micro-batch started.', columnName: () => 'current_date()',
    compile: (c) => {
      const zone = sessionZone();
      return c.make(DATE, () => Math.floor(utcToLocalMicros(c.evalContext.batchTimestampMs * 1000, zone) / DAY_US), { nullable: false });
    },
  }),
  defineFunction({
    name: 'date_format', group: 'datetime', kind: 'scalar', params: [col('date', 'timestamp'), val('format', 'string', 'string')],
    doc: 'The timestamp as text in a datetime pattern (`yyyy-MM-dd HH:mm`).', example: { sql: "date_format('2024-03-10 10:00:05', 'dd/MM/yyyy HH:mm')", result: '10/03/2024 10:00' },
    compile: (c) => {
      const zone = sessionZone();
      return c.strict2(STRING, c.arg(0), c.arg(1), (t: number, f: string) => patternFormatter(f)(t, zone));
    },
  }),
  defineFunction({
    name: 'to_timestamp', group: 'datetime', kind: 'scalar', params: [col('col'), val('format', 'string', 'string', { optional: true })],
    doc: 'Parses text into a timestamp, with a datetime pattern or as `CAST(col AS TIMESTAMP)` does. Zones and offsets in the text are honoured.',
    example: { sql: "to_timestamp('10/03/2024 10:00:05 +01:00', 'dd/MM/yyyy HH:mm:ss XXX')", result: '2024-03-10 09:00:05' },
    compile: (c) => {
      if (!c.has(1)) return { ...castTo(c.raw(0), TIMESTAMP), name: c.name };
      return c.make(TIMESTAMP, parsed(c));
    },
  }),
  defineFunction({
    name: 'to_date', group: 'datetime', kind: 'scalar', params: [col('col'), val('format', 'string', 'string', { optional: true })],
    doc: 'Parses text into a date, with a datetime pattern or as `CAST(col AS DATE)` does.', example: { sql: "to_date('10/03/2024', 'dd/MM/yyyy')", result: '2024-03-10' },
    compile: (c) => {
      if (!c.has(1)) return { ...castTo(c.raw(0), DATE), name: c.name };
      const p = parsed(c);
      const zone = sessionZone();
      return c.make(DATE, (row) => {
        const t = p(row);
        return t === null ? null : Math.floor(utcToLocalMicros(t, zone) / DAY_US);
      });
    },
  }),
  defineFunction({
    name: 'timestamp_seconds', group: 'datetime', kind: 'scalar', params: [col('col', 'numeric', { strict: true })],
    doc: 'Seconds since the epoch as a timestamp: a fraction keeps its microseconds (a double\'s are truncated, as `CAST(col AS TIMESTAMP)` does); text is refused.',
    example: { sql: 'timestamp_seconds(1707128717.277745D)', result: '2024-02-05 10:25:17.277745' },
    compile: (c) => {
      const a = c.arg(0);
      // Spark 3.5's SecondsToTimestamp: integral seconds multiply exactly, decimals must not need
      // rounding to a microsecond, floats and doubles truncate (NaN and infinities are NULL).
      if (a.type === DECIMAL) return c.strict1(TIMESTAMP, a, (v: number) => {
        if (subMicrosecond(v)) throw new ArithmeticException('Rounding necessary', { code: 'ARITHMETIC_EXCEPTION' });
        return exactMicros(Math.round(v * 1_000_000));
      });
      if (a.type.kind === 'atomic' && (a.type.name === 'float' || a.type.name === 'double')) return c.strict1(TIMESTAMP, a, secondsToMicros);
      return c.strict1(TIMESTAMP, a, (v: number) => exactMicros(v * 1_000_000));
    },
  }),
  defineFunction({
    name: 'timestamp_millis', group: 'datetime', kind: 'scalar', params: [col('col', 'long')], doc: 'Milliseconds since the epoch as a timestamp.',
    compile: (c) => c.strict1(TIMESTAMP, c.arg(0), (v: number) => v * 1000),
  }),
  defineFunction({
    name: 'timestamp_micros', group: 'datetime', kind: 'scalar', params: [col('col', 'long')], doc: 'Microseconds since the epoch as a timestamp.',
    compile: (c) => c.strict1(TIMESTAMP, c.arg(0), (v: number) => v),
  }),
  defineFunction({
    name: 'unix_micros', group: 'datetime', kind: 'scalar', params: [col('col', 'timestamp')], doc: 'Microseconds since the epoch.',
    compile: (c) => c.strict1(LONG, c.arg(0), (v: number) => v),
  }),
  defineFunction({
    name: 'unix_millis', group: 'datetime', kind: 'scalar', params: [col('col', 'timestamp')], doc: 'Milliseconds since the epoch (rounded down).',
    compile: (c) => c.strict1(LONG, c.arg(0), (v: number) => Math.floor(v / 1000)),
  }),
  defineFunction({
    name: 'unix_seconds', group: 'datetime', kind: 'scalar', params: [col('col', 'timestamp')], doc: 'Seconds since the epoch (rounded down).',
    compile: (c) => c.strict1(LONG, c.arg(0), (v: number) => Math.floor(v / 1_000_000)),
  }),
  defineFunction({
    name: 'unix_timestamp', group: 'datetime', kind: 'scalar',
    params: [col('timestamp', 'any', { optional: true }), val('format', 'string', 'string', { optional: true, default: DEFAULT_FORMAT, nameDefault: DEFAULT_FORMAT })],
    doc: 'Seconds since the epoch of a timestamp, or of text in `format`; of the batch time without arguments.',
    columnName: (args) => (args.length === 0 ? `unix_timestamp(current_timestamp(), ${DEFAULT_FORMAT})` : undefined),
    compile: (c): Compiled => {
      if (!c.has(0)) return c.make(LONG, () => Math.floor(c.evalContext.batchTimestampMs / 1000));
      const a = c.raw(0);
      if (c.has(1) && a.type === STRING) {
        const p = parsed(c);
        return c.make(LONG, (row) => {
          const t = p(row);
          return t === null ? null : Math.floor(t / 1_000_000);
        });
      }
      const ts = isTimestamp(a.type) ? a : castTo(a, TIMESTAMP);
      return c.strict1(LONG, ts, (t: number) => Math.floor(t / 1_000_000));
    },
  }),
  defineFunction({
    name: 'from_unixtime', group: 'datetime', kind: 'scalar',
    params: [col('timestamp', 'long'), val('format', 'string', 'string', { optional: true, default: DEFAULT_FORMAT, nameDefault: DEFAULT_FORMAT })],
    doc: 'Seconds since the epoch as text in `format`.', example: { sql: 'from_unixtime(0)', result: '1970-01-01 00:00:00' },
    compile: (c) => {
      const fmt = c.has(1) ? c.arg(1) : null;
      const secs = c.arg(0);
      const zone = sessionZone();
      if (!fmt) return c.strict1(STRING, secs, (v: number) => patternFormatter(DEFAULT_FORMAT)(Math.floor(v) * 1_000_000, zone));
      return c.strict2(STRING, secs, fmt, (v: number, f: string) => patternFormatter(f)(Math.floor(v) * 1_000_000, zone));
    },
  }),
  dateField('year', 'The year.', (d) => d.getUTCFullYear()),
  dateField('quarter', 'The quarter of the year (1–4).', (d) => Math.floor(d.getUTCMonth() / 3) + 1),
  dateField('month', 'The month (1–12).', (d) => d.getUTCMonth() + 1),
  dateField('dayofmonth', 'The day of the month.', (d) => d.getUTCDate(), { aliases: ['day'], pyAliases: ['day'] }),
  dateField('dayofweek', 'The day of the week, 1 (Sunday) to 7 (Saturday).', (d) => d.getUTCDay() + 1),
  dateField('dayofyear', 'The day of the year (1–366).', (d) => Math.floor((Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1),
  dateField('weekofyear', 'The ISO-8601 week of the year (weeks start on Monday; week 1 has the year\'s first Thursday).', (_d, days) => {
    const dow = ((days + 3) % 7 + 7) % 7; // 0 = Monday
    const thursday = new Date((days - dow + 3) * 86_400_000);
    const jan1 = Date.UTC(thursday.getUTCFullYear(), 0, 1);
    return Math.floor((thursday.getTime() - jan1) / (7 * 86_400_000)) + 1;
  }),
  timeField('hour', 'The hour of the day (0–23).', (d) => d.getUTCHours()),
  timeField('minute', 'The minute (0–59).', (d) => d.getUTCMinutes()),
  timeField('second', 'The second (0–59).', (d) => d.getUTCSeconds()),
  defineFunction({
    name: 'date_add', group: 'datetime', kind: 'scalar', params: [col('start', 'date'), col('days', 'int', { ts: 'number' })],
    doc: 'The date `days` days after `start`.', example: { sql: "date_add('2024-02-28', 2)", result: '2024-03-01' },
    compile: (c) => c.strict2(DATE, c.arg(0), c.arg(1), (d: number, n: number) => d + n),
  }),
  defineFunction({
    name: 'date_sub', group: 'datetime', kind: 'scalar', params: [col('start', 'date'), col('days', 'int', { ts: 'number' })],
    doc: 'The date `days` days before `start`.',
    compile: (c) => c.strict2(DATE, c.arg(0), c.arg(1), (d: number, n: number) => d - n),
  }),
  defineFunction({
    name: 'datediff', group: 'datetime', kind: 'scalar', params: [col('end', 'date'), col('start', 'date')], doc: 'The number of days from `start` to `end`.',
    compile: (c) => c.strict2(INT, c.arg(0), c.arg(1), (a: number, b: number) => a - b),
  }),
  defineFunction({
    name: 'add_months', group: 'datetime', kind: 'scalar', params: [col('start', 'date'), col('months', 'int', { ts: 'number' })],
    doc: 'The date `months` months after `start` (the day is cut to the month\'s length).', example: { sql: "add_months('2024-01-31', 1)", result: '2024-02-29' },
    compile: (c) => c.strict2(DATE, c.arg(0), c.arg(1), (days: number, n: number) => {
      const d = new Date(days * 86_400_000);
      const y = d.getUTCFullYear();
      const m = d.getUTCMonth() + n;
      const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
      return Math.floor(Date.UTC(y, m, Math.min(d.getUTCDate(), last)) / 86_400_000);
    }),
  }),
  defineFunction({
    name: 'last_day', group: 'datetime', kind: 'scalar', params: [col('date', 'date')], doc: 'The last day of the month of the date.',
    compile: (c) => c.strict1(DATE, c.arg(0), (days: number) => {
      const d = new Date(days * 86_400_000);
      return Math.floor(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0) / 86_400_000);
    }),
  }),
  defineFunction({
    name: 'date_trunc', group: 'datetime', kind: 'scalar', params: [val('format', 'string', 'string'), col('timestamp', 'timestamp')],
    doc: 'The timestamp truncated to a unit: year, quarter, month, week, day, hour, minute, second, millisecond, microsecond.',
    example: { sql: "date_trunc('hour', '2024-03-10 10:42:05')", result: '2024-03-10 10:00:00' },
    compile: (c) => {
      const zone = sessionZone();
      return c.strict2(TIMESTAMP, c.arg(0), c.arg(1), (u: string, t: number) => truncateTimestamp(t, u, zone));
    },
  }),
  defineFunction({
    name: 'timestampadd', aliases: ['dateadd'], group: 'datetime', kind: 'scalar', facade: 'none', py: null,
    params: [val('unit', 'string'), col('quantity', 'long'), col('timestamp', 'timestamp')],
    doc: 'The timestamp `quantity` units later (`timestampadd(DAY, 1, ts)`): units up to HOUR are elapsed time, DAY and longer move the wall time in the session time zone.',
    example: { sql: "timestampadd(MONTH, 1, TIMESTAMP '2024-01-31 10:00:00')", result: '2024-02-29 10:00:00' },
    columnName: (args) => `timestampadd(${args.join(', ')})`,
    compile: (c) => {
      const u = c.args[0];
      const unit = (u?.kind === 'col' ? u.name : u?.kind === 'lit' && typeof u.value === 'string' ? u.value : '').toUpperCase();
      const step = TIMESTAMPADD_UNITS[unit];
      if (!step) throw new AnalysisException(`[INVALID_PARAMETER_VALUE.DATETIME_UNIT] The value of parameter(s) \`unit\` in \`${c.call.name}\` is invalid: expects one of the units without quotes YEAR, QUARTER, MONTH, WEEK, DAY, DAYOFYEAR, HOUR, MINUTE, SECOND, MILLISECOND, MICROSECOND, but got the string literal '${unit}'.`, { code: 'INVALID_PARAMETER_VALUE.DATETIME_UNIT' });
      const ts = c.arg(2);
      const zone = sameType(ts.type, TIMESTAMP) ? sessionZone() : UTC_ZONE;
      return c.strict2(ts.type, c.arg(1), ts, (n: number, t: number) => ('micros' in step
        ? t + n * step.micros
        : addInterval(t, { months: (step.months ?? 0) * n, micros: (step.days ?? 0) * n * DAY_US }, 1, zone)));
    },
  }),
  zoneShift('from_utc_timestamp'),
  zoneShift('to_utc_timestamp'),
  defineFunction({
    name: 'window_time', group: 'datetime', kind: 'scalar', params: [col('windowColumn', 'struct')],
    doc: "The event time of a window: its end minus one microsecond, carrying the window's watermark.",
    compile: (c) => {
      const w = c.raw(0);
      if (w.type.kind !== 'struct' || w.type.fields.length < 2) throw new AnalysisException(`[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] window_time requires a window column produced by window() or session_window().`, { code: 'DATATYPE_MISMATCH' });
      const f = w.eval;
      return c.make(w.type.fields[1].dataType, (row) => {
        const v = f(row) as unknown[] | null;
        return v === null || v[1] === null ? null : (v[1] as number) - 1;
      }, { metadata: w.metadata });
    },
    columnName: () => 'window_time',
  }),
  ...(['window', 'session_window'] as const).map((name) => defineFunction({
    name, group: 'datetime', kind: 'scalar', facade: 'manual',
    params: name === 'window'
      ? [col('timeColumn', 'timestamp'), val('windowDuration', 'string'), val('slideDuration', 'string', 'any', { optional: true }), val('startTime', 'string', 'any', { optional: true })]
      : [col('timeColumn', 'timestamp'), val('gapDuration', 'string', 'any', { orColumn: true })],
    doc: name === 'window'
      ? 'Groups rows into tumbling or sliding event-time windows: `window("ts", "1 minute", "30 seconds")` gives a `window` struct of `start` and `end`.'
      : 'Groups rows into session windows that close after `gapDuration` without events.',
    columnName: () => name,
    compile: () => {
      throw new AnalysisException(`[UNSUPPORTED_EXPR_FOR_OPERATOR] ${name}() may only be used as a top-level expression of select() or groupBy().`, { code: 'UNSUPPORTED_EXPR_FOR_OPERATOR' });
    },
  })),
];
