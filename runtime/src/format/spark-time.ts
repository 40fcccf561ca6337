/**
 * Times as Spark prints them: `CAST(ts AS STRING)` (in the session time zone) and `CAST(d AS STRING)`, and the ISO-8601
 * of its progress JSON.
 *
 *   timestamp  yyyy-MM-dd HH:mm:ss[.f]   the fraction only when non-zero, without trailing zeros
 *   date       yyyy-MM-dd
 *   progress   yyyy-MM-ddTHH:mm:ss.SSSZ
 */

function pad(n: number, w: number): string {
  const s = String(Math.abs(n));
  return (n < 0 ? '-' : '') + s.padStart(w, '0');
}

function ymd(d: Date): string {
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
}

/** A time zone as far as printing needs it: its offset (seconds) at an instant (epoch ms). */
export interface ZoneOffsets {
  offsetSecondsAt(utcMs: number): number;
}

/**
 * A timestamp (microseconds since the epoch) as Spark's string, `2024-01-01 09:00:00.4`: its wall
 * time in `zone` (UTC when none).
 */
export function formatTimestamp(micros: number, zone?: ZoneOffsets): string {
  if (zone) micros += zone.offsetSecondsAt(Math.floor(micros / 1000)) * 1_000_000;
  const secs = Math.floor(micros / 1_000_000);
  const fracMicros = micros - secs * 1_000_000;
  let s = lastSecs === secs ? lastSecsText : secondsText(secs);
  if (fracMicros !== 0) s += `.${String(fracMicros).padStart(6, '0').replace(/0+$/, '')}`;
  return s;
}

// Timestamps printed one after another mostly fall in the same second (a batch's rows, a window's
// rows): the last second's text is kept.
let lastSecs = NaN;
let lastSecsText = '';

/** `yyyy-MM-dd HH:mm:ss` of a wall time in seconds since the epoch. */
function secondsText(secs: number): string {
  const d = new Date(secs * 1000);
  const s = `${ymd(d)} ${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`;
  lastSecs = secs;
  lastSecsText = s;
  return s;
}

/** A date (days since the epoch) as Spark's string: `2024-01-01`. */
export function formatDate(days: number): string {
  return ymd(new Date(days * 86_400_000));
}

/** ISO-8601 with milliseconds, as Spark's progress JSON prints its times. */
export function isoMillis(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * Spark's progress `eventTime` from the batch's event times and watermark in epoch ms: `avg`, `max` and
 * `min` when the batch read rows with an event time, and always the watermark.
 */
export function progressEventTime(eventTime: { minMs: number; maxMs: number; avgMs: number } | null, watermarkMs: number): Record<string, string> {
  return {
    ...(eventTime ? { avg: isoMillis(eventTime.avgMs), max: isoMillis(eventTime.maxMs), min: isoMillis(eventTime.minMs) } : {}),
    watermark: isoMillis(watermarkMs),
  };
}
