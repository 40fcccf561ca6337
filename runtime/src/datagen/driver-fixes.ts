/**
 * Drivers' GPS fixes in the shape of the locations tutorial's data set: every field is text, as a CSV
 * row becomes JSON — `{"driverId": "180", "lat": "35.716124", "lng": "51.439540", "time":
 * "2026-11-21 10:00:01.250000"}` — so a job must cast them (driverId to int, lat and lng to float, time
 * to timestamp). Drivers drive around a city centre; each fix has a distinct (driverId, time).
 */
import { SeededRandom } from './random.js';

/** One fix as produced to Kafka. */
export interface DriverFix {
  driverId: string;
  lat: string;
  lng: string;
  time: string;
}

/** Options of {@link generateDriverFixes}. */
export interface DriverFixOptions {
  seed?: number;
  /** Number of drivers (ids are distinct three-digit numbers). */
  drivers?: number;
  count?: number;
  /** Time between two fixes, ms (each fix is taken a random 0..intervalMs/2 later, microsecond resolution). */
  intervalMs?: number;
  startMs?: number;
}

/** `YYYY-MM-DD HH:MM:SS.ffffff` in UTC, the tutorial's time text (Spark casts it to a timestamp). */
export function tutorialTime(epochMicros: number): string {
  const ms = Math.floor(epochMicros / 1000);
  const iso = new Date(ms).toISOString();
  const micros = String(Math.round(epochMicros - ms * 1000)).padStart(3, '0');
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${iso.slice(20, 23)}${micros}`;
}

/** Fixes with their times (epoch µs) in order of time. */
export function generateDriverFixes(options: DriverFixOptions = {}): { fix: DriverFix; timeMicros: number }[] {
  const { seed = 5, drivers = 8, count = 300, intervalMs = 100, startMs = Date.UTC(2026, 10, 21, 10, 0, 0) } = options;
  const rnd = new SeededRandom(seed);
  const ids = new Set<number>();
  while (ids.size < drivers) ids.add(rnd.int(100, 999));
  const fleet = [...ids].map((id) => ({ id, lat: 35.7 + rnd.gaussian(0, 0.02), lng: 51.39 + rnd.gaussian(0, 0.03) }));
  const out: { fix: DriverFix; timeMicros: number }[] = [];
  for (let i = 0; i < count; i++) {
    const d = rnd.pick(fleet);
    d.lat += rnd.gaussian(0, 0.0004);
    d.lng += rnd.gaussian(0, 0.0004);
    const timeMicros = (startMs + i * intervalMs) * 1000 + rnd.int(0, (intervalMs * 1000) / 2);
    out.push({ fix: { driverId: String(d.id), lat: d.lat.toFixed(6), lng: d.lng.toFixed(6), time: tutorialTime(timeMicros) }, timeMicros });
  }
  return out;
}
