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
  it('produces the tutorial\'s events: kafka-test-app-N origins, epoch seconds to the microsecond, in order', () => {
    const start = Date.UTC(2024, 1, 5, 10, 25, 17);
    const events = generateOriginEvents({ gateways: 2, count: 4, firstMessage: 121, intervalMs: 500, startMs: start });
    const labels = originLabels(2);
    expect(events.map((e) => e.content)).toEqual(['Message #121', 'Message #122', 'Message #123', 'Message #124']);
    events.forEach((e, i) => {
      // Each time lies in its own half-second slot, written with at most six digits after the point.
      const us = Math.round(e.timestamp * 1_000_000);
      expect(us / 1_000_000).toBe(e.timestamp);
      expect(us).toBeGreaterThanOrEqual((start + i * 500) * 1000);
      expect(us).toBeLessThan((start + (i + 1) * 500) * 1000);
      expect(JSON.stringify(e.timestamp)).toMatch(/^1707128\d{3}(\.\d{1,6})?$/);
      expect(labels).toContain(e.origin);
      expect(e._id).toMatch(/^[0-9a-f]{24}$/);
    });
    // Not all on whole milliseconds: the fraction is the point of the tutorial's format.
    expect(events.some((e) => Math.round(e.timestamp * 1_000_000) % 1000 !== 0)).toBe(true);
    expect(labels[0]).toMatch(/^kafka-test-app-0 \(10\.1\.\d+\.\d+\)$/);
    expect(labels[1]).toMatch(/^kafka-test-app-1 \(10\.1\.\d+\.\d+\)$/);
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
