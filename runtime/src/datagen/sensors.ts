import { SeededRandom } from './random.js';

/** One temperature reading as the IoT sensors of the seed tutorial publish it (JSON value, keyed by node). */
export interface SensorReading {
  node_name: string;
  temperature: number;
  /** Event time: when the sensor measured, ISO-8601 UTC. */
  ts: string;
}

/** A reading together with the processing time at which it reaches Kafka. */
export interface SensorArrival {
  reading: SensorReading;
  /** Epoch ms at which the record is produced (arrival order is the order of this array). */
  arrivalMs: number;
  /** How late it arrives relative to its event time, in ms. */
  delayMs: number;
  /** True when the generator deliberately made this reading late (beyond `disorderMs`). */
  late: boolean;
}

export interface SensorOptions {
  seed?: number;
  /** Number of sensors, named `sensor-1` … `sensor-N`. */
  sensors?: number;
  /** Total number of readings. */
  count?: number;
  /** Event time of the first reading, epoch ms. */
  startMs?: number;
  /** Event-time spacing between consecutive readings (over all sensors), ms. */
  intervalMs?: number;
  /** Ordinary network jitter: each reading arrives 0..disorderMs after its event time. */
  disorderMs?: number;
  /** Fraction of readings that arrive much later than the jitter (0..1). */
  lateFraction?: number;
  /** How late those readings arrive, ms. */
  lateByMs?: number;
  /** Mean temperature and spread, °C. */
  meanTemp?: number;
  spread?: number;
}

/**
 * Generates a deterministic stream of sensor readings with configurable disorder and lateness, sorted
 * by arrival time. Temperatures are rounded to one decimal so averages are easy to check by hand.
 */
export function generateSensorReadings(options: SensorOptions = {}): SensorArrival[] {
  const {
    seed = 42, sensors = 3, count = 60, startMs = Date.UTC(2026, 10, 21, 10, 0, 0), intervalMs = 1000,
    disorderMs = 2000, lateFraction = 0, lateByMs = 60_000, meanTemp = 21, spread = 3,
  } = options;
  if (sensors < 1 || count < 0) throw new RangeError('generateSensorReadings: need at least one sensor and count >= 0');
  const rnd = new SeededRandom(seed);
  const out: SensorArrival[] = [];
  for (let i = 0; i < count; i++) {
    const eventMs = startMs + i * intervalMs;
    const late = lateFraction > 0 && rnd.next() < lateFraction;
    const delayMs = late ? lateByMs + rnd.int(0, Math.max(0, disorderMs)) : rnd.int(0, Math.max(0, disorderMs));
    const temperature = Math.round(rnd.gaussian(meanTemp, spread) * 10) / 10;
    out.push({
      reading: { node_name: `sensor-${(i % sensors) + 1}`, temperature, ts: new Date(eventMs).toISOString() },
      arrivalMs: eventMs + delayMs,
      delayMs,
      late,
    });
  }
  // Stable sort by arrival keeps generation order for ties, so the stream is the same everywhere.
  return out.map((a, i) => ({ a, i })).sort((x, y) => x.a.arrivalMs - y.a.arrivalMs || x.i - y.i).map((x) => x.a);
}
