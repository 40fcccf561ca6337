import { SeededRandom } from './random.js';

/** An event as the seed tutorial's gateways send it. */
export interface OriginEvent {
  timestamp: string;
  _id: string;
  origin: string;
  content: string;
}

export interface OriginOptions {
  seed?: number;
  /** Number of gateways; origins look like `sensor-gateway-1 (10.1.29.185)`. */
  gateways?: number;
  count?: number;
  startMs?: number;
  intervalMs?: number;
  /** First message number used in `content` ("Message #121"). */
  firstMessage?: number;
}

/** The origin labels for `n` gateways, each with a stable private address. */
export function originLabels(n: number, seed = 7): string[] {
  const rnd = new SeededRandom(seed);
  return Array.from({ length: n }, (_, i) => `sensor-gateway-${i + 1} (10.1.${rnd.int(0, 63)}.${rnd.int(2, 254)})`);
}

/** Generates events from several producers in timestamp order, deterministically. */
export function generateOriginEvents(options: OriginOptions = {}): OriginEvent[] {
  const { seed = 7, gateways = 3, count = 30, startMs = Date.UTC(2026, 10, 21, 10, 0, 0), intervalMs = 500, firstMessage = 100 } = options;
  const labels = originLabels(gateways, seed);
  const rnd = new SeededRandom(seed * 31 + 1);
  const events: OriginEvent[] = [];
  for (let i = 0; i < count; i++) {
    events.push({
      timestamp: new Date(startMs + i * intervalMs).toISOString(),
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
