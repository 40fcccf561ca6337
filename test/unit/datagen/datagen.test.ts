import { describe, expect, it } from 'vitest';
import { generateLocations, generateOriginEvents, generateSensorReadings, originLabels, SeededRandom } from '../../../runtime/src/datagen/index.js';

describe('SeededRandom', () => {
  it('repeats the same sequence for the same seed and differs for another', () => {
    const a = new SeededRandom(1);
    const b = new SeededRandom(1);
    const c = new SeededRandom(2);
    const sa = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(sa);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(sa);
    for (const x of sa) expect(x >= 0 && x < 1).toBe(true);
  });

  it('int() stays within both bounds and reaches them', () => {
    const r = new SeededRandom(3);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) seen.add(r.int(2, 5));
    expect([...seen].sort()).toEqual([2, 3, 4, 5]);
  });
});

describe('generateSensorReadings', () => {
  const start = Date.UTC(2026, 10, 21, 10, 0, 0);

  it('is deterministic for a seed', () => {
    expect(generateSensorReadings({ seed: 5 })).toEqual(generateSensorReadings({ seed: 5 }));
    expect(generateSensorReadings({ seed: 5 })).not.toEqual(generateSensorReadings({ seed: 6 }));
  });

  it('spreads readings over the sensors round-robin with event times one interval apart', () => {
    const rows = generateSensorReadings({ sensors: 3, count: 6, startMs: start, intervalMs: 1000, disorderMs: 0 });
    expect(rows.map((r) => r.reading.node_name)).toEqual(['sensor-1', 'sensor-2', 'sensor-3', 'sensor-1', 'sensor-2', 'sensor-3']);
    expect(rows.map((r) => r.reading.ts)).toEqual([0, 1, 2, 3, 4, 5].map((s) => new Date(start + s * 1000).toISOString()));
    expect(rows.map((r) => r.arrivalMs)).toEqual([0, 1, 2, 3, 4, 5].map((s) => start + s * 1000));
  });

  it('orders by arrival, keeps jitter within disorderMs and makes late readings later than lateByMs', () => {
    const rows = generateSensorReadings({ count: 500, disorderMs: 3000, lateFraction: 0.1, lateByMs: 60_000 });
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.arrivalMs).toBeGreaterThanOrEqual(rows[i - 1]!.arrivalMs);
    const late = rows.filter((r) => r.late);
    const onTime = rows.filter((r) => !r.late);
    expect(late.length).toBeGreaterThan(20);
    expect(late.length).toBeLessThan(80);
    for (const r of late) expect(r.delayMs).toBeGreaterThanOrEqual(60_000);
    for (const r of onTime) expect(r.delayMs).toBeLessThanOrEqual(3000);
    for (const r of rows) expect(r.arrivalMs - Date.parse(r.reading.ts)).toBe(r.delayMs);
  });

  it('rounds temperatures to one decimal', () => {
    for (const r of generateSensorReadings({ count: 50 })) expect(Math.round(r.reading.temperature * 10) / 10).toBe(r.reading.temperature);
  });
});

describe('generateOriginEvents', () => {
  it('produces events from the gateways with increasing message numbers and timestamps', () => {
    const events = generateOriginEvents({ gateways: 2, count: 4, firstMessage: 121, intervalMs: 500, startMs: 0 });
    const labels = originLabels(2);
    expect(events.map((e) => e.content)).toEqual(['Message #121', 'Message #122', 'Message #123', 'Message #124']);
    expect(events.map((e) => e.timestamp)).toEqual(['1970-01-01T00:00:00.000Z', '1970-01-01T00:00:00.500Z', '1970-01-01T00:00:01.000Z', '1970-01-01T00:00:01.500Z']);
    for (const e of events) {
      expect(labels).toContain(e.origin);
      expect(e._id).toMatch(/^[0-9a-f]{24}$/);
    }
    expect(labels[0]).toMatch(/^sensor-gateway-1 \(10\.1\.\d+\.\d+\)$/);
  });
});

describe('generateLocations', () => {
  it('gives string coordinates with six decimals for each device in turn', () => {
    const fixes = generateLocations({ devices: 2, count: 4 });
    expect(fixes.map((f) => f.device_id)).toEqual(['device-1', 'device-2', 'device-1', 'device-2']);
    for (const f of fixes) {
      expect(f.latitude).toMatch(/^-?\d+\.\d{6}$/);
      expect(f.longitude).toMatch(/^-?\d+\.\d{6}$/);
    }
  });
});
