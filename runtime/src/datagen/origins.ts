import { SeededRandom } from './random.js';

/**
 * An event as the count-by-origin tutorial's producers send it:
 * `{"timestamp": 1707128717.277745, "_id": "65c0…", "origin": "kafka-test-app-0 (10.1.29.185)", "content": "Message #121"}`,
 * the time as epoch seconds with six digits of fraction (Python's `time.time()`).
 */
export interface OriginEvent {
  timestamp: number;
  _id: string;
  origin: string;
  content: string;
}

export interface OriginOptions {
  seed?: number;
  /** Number of producers; origins look like `kafka-test-app-0 (10.1.29.185)`. */
  gateways?: number;
  count?: number;
  startMs?: number;
  intervalMs?: number;
  /** First message number used in `content` ("Message #121"). */
  firstMessage?: number;
}

/** The origin labels for `n` producers (`kafka-test-app-0` …), each with a stable private address. */
export function originLabels(n: number, seed = 7): string[] {
  const rnd = new SeededRandom(seed);
  return Array.from({ length: n }, (_, i) => `kafka-test-app-${i} (10.1.${rnd.int(0, 63)}.${rnd.int(2, 254)})`);
}

/** Epoch seconds with a fraction, from microseconds, as a JSON number prints them (`1707128717.277745`). */
export function epochSeconds(micros: number): number {
  return micros / 1_000_000;
}

/**
 * Generates events from several producers in timestamp order, deterministically: event `i` happens
 * at a seeded microsecond inside `[startMs + i·intervalMs, startMs + (i+1)·intervalMs)`.
 */
export function generateOriginEvents(options: OriginOptions = {}): OriginEvent[] {
  const { seed = 7, gateways = 3, count = 30, startMs = Date.UTC(2026, 10, 21, 10, 0, 0), intervalMs = 500, firstMessage = 100 } = options;
  const labels = originLabels(gateways, seed);
  const rnd = new SeededRandom(seed * 31 + 1);
  const jitterUs = Math.max(1, Math.min(intervalMs * 1000, 1_000_000));
  const events: OriginEvent[] = [];
  for (let i = 0; i < count; i++) {
    events.push({
      timestamp: epochSeconds((startMs + i * intervalMs) * 1000 + rnd.int(0, jitterUs - 1)),
      _id: idFor(rnd),
      origin: rnd.pick(labels),
      content: `Message #${firstMessage + i}`,
    });
  }
  return events;
}

function idFor(rnd: SeededRandom): string {
  let s = '';
  for (let i = 0; i < 24; i++) s += '0123456789abcdef'[rnd.int(0, 15)];
  return s;
}
