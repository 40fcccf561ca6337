import { SeededRandom } from './random.js';

/** A GPS fix as the locations job of the tutorials receives it: every field arrives as a string. */
export interface LocationFix {
  device_id: string;
  latitude: string;
  longitude: string;
  ts: string;
}

export interface LocationOptions {
  seed?: number;
  devices?: number;
  count?: number;
  startMs?: number;
  intervalMs?: number;
}

/** Devices random-walking around a fixed point; strings so lessons practise `cast`. */
export function generateLocations(options: LocationOptions = {}): LocationFix[] {
  const { seed = 11, devices = 4, count = 40, startMs = Date.UTC(2026, 10, 21, 10, 0, 0), intervalMs = 1000 } = options;
  const rnd = new SeededRandom(seed);
  const pos = Array.from({ length: devices }, () => ({ lat: 40.4168 + rnd.gaussian(0, 0.01), lon: -3.7038 + rnd.gaussian(0, 0.01) }));
  const out: LocationFix[] = [];
  for (let i = 0; i < count; i++) {
    const d = i % devices;
    const p = pos[d]!;
    p.lat += rnd.gaussian(0, 0.0005);
    p.lon += rnd.gaussian(0, 0.0005);
    out.push({ device_id: `device-${d + 1}`, latitude: p.lat.toFixed(6), longitude: p.lon.toFixed(6), ts: new Date(startMs + i * intervalMs).toISOString() });
  }
  return out;
}
