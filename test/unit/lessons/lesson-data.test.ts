import { describe, expect, it } from 'vitest';
import { lessonFrontMatter } from '../../../runtime/src/lessons/lesson-schema.js';
import { extraRecord, lessonTimeMs, planLessonData, shiftPlan } from '../../../runtime/src/lessons/lesson-data.js';
import { DataPlayer, type OutgoingRecord, type PlayProgress } from '../../../runtime/src/lessons/data-player.js';

const base = { title: 't', summary: 's', api: 'structured', duration: '10 min' };
const T0 = Date.UTC(2026, 10, 21, 10, 0, 0);

describe('lesson front matter: topics, clock, datasets, extras', () => {
  it('reads a topic name as one partition and keeps stated partitions', () => {
    const fm = lessonFrontMatter.parse({ ...base, topics: ['report', { name: 'sensors.temperature', partitions: 3 }] });
    expect(fm.topics).toEqual([{ name: 'report', partitions: 1 }, { name: 'sensors.temperature', partitions: 3 }]);
  });

  it('names the field of every problem: unknown generator, bad option, topic not declared, clockless times', () => {
    const r = lessonFrontMatter.safeParse({
      ...base,
      topics: ['events'],
      datasets: [
        { topic: 'events', generate: { name: 'weather', seed: 1 } },
        { topic: 'events', generate: { name: 'sensors', sensors: 0, colour: 'red' } },
        { topic: 'other', records: [{ value: { a: 1 }, arrival: '10:00:01' }] },
        { topic: 'events' },
      ],
    });
    expect(r.success).toBe(false);
    const issues = r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issues).toEqual([
      'datasets.0.generate.name: no generator "weather"; there are sensors, origins, locations, drivers, machines, covid-reports',
      'datasets.1.generate.sensors: Too small: expected number to be >=1',
      'datasets.1.generate: Unrecognized key: "colour"',
      'datasets.2.topic: "other" is not among the lesson\'s topics',
      'datasets.3: a dataset needs `generate` or `records`',
      'clock: times like "10:00:12" need `clock.start` to say which day they are on',
    ]);
  });
});

describe('planLessonData', () => {
  it('reads HH:MM:SS on the clock day and ISO instants as they are', () => {
    expect(lessonTimeMs('10:00:12', T0 + 5000)).toBe(T0 + 12_000);
    expect(lessonTimeMs('10:00:12.5', T0)).toBe(T0 + 12_500);
    expect(lessonTimeMs('2026-11-21T10:00:12Z', null)).toBe(T0 + 12_000);
    expect(() => lessonTimeMs('10:00:12', null)).toThrow(/clock.start/);
  });

  it('merges generated and written-out records by arrival, keys them and writes event times into the value', () => {
    const fm = lessonFrontMatter.parse({
      ...base,
      topics: [{ name: 'sensors.temperature', partitions: 3 }],
      clock: { start: '2026-11-21T10:00:00Z' },
      datasets: [{
        topic: 'sensors.temperature', key: 'node_name', eventTime: 'ts',
        generate: { name: 'sensors', seed: 1, sensors: 2, count: 3, intervalMs: 10_000, disorderMs: 0 },
        records: [{ value: { node_name: 'sensor-9', temperature: 30 }, eventTime: '10:00:05', arrival: '10:00:15', note: 'late' }],
      }],
    });
    const plan = planLessonData(fm);
    expect(plan.clockStartMs).toBe(T0);
    expect(plan.datasets[0]!.records.map((r) => [r.arrivalMs - T0, r.key, JSON.parse(r.value).ts, r.eventTimeMs! - T0, r.note])).toEqual([
      [0, 'sensor-1', '2026-11-21T10:00:00.000Z', 0, undefined],
      [10_000, 'sensor-2', '2026-11-21T10:00:10.000Z', 10_000, undefined],
      [15_000, 'sensor-9', '2026-11-21T10:00:05.000Z', 5000, 'late'],
      [20_000, 'sensor-1', '2026-11-21T10:00:20.000Z', 20_000, undefined],
    ]);
  });

  it('reads epoch seconds with a fraction as the event time and moves them, microseconds kept, on a replay', () => {
    const fm = lessonFrontMatter.parse({
      ...base, topics: ['spark-streaming-store'], clock: { start: '2026-11-21T10:00:00Z' },
      datasets: [{
        topic: 'spark-streaming-store', eventTime: 'timestamp',
        generate: { name: 'origins', seed: 7, gateways: 2, count: 2, intervalMs: 1000 },
        records: [{ value: { timestamp: (T0 + 5000) / 1000 + 0.000123, origin: 'kafka-test-app-9 (10.1.0.1)' }, arrival: '10:00:06' }],
      }],
    });
    const plan = planLessonData(fm);
    const micros = (p: typeof plan) => p.datasets[0]!.records.map((r) => Math.round((JSON.parse(r.value) as { timestamp: number }).timestamp * 1_000_000));
    const before = micros(plan);
    expect(plan.datasets[0]!.records.map((r) => r.eventTimeMs)).toEqual(before.map((us) => Math.floor(us / 1000)));
    expect(before[2]).toBe((T0 + 5000) * 1000 + 123);
    const later = shiftPlan(plan, 60_000);
    expect(micros(later)).toEqual(before.map((us) => us + 60_000_000));
    expect(later.datasets[0]!.records.map((r) => r.eventTimeMs)).toEqual(before.map((us) => Math.floor(us / 1000) + 60_000));
  });

  it('starts the clock at the first arrival minute when the lesson names no clock', () => {
    const fm = lessonFrontMatter.parse({
      ...base, topics: ['events'],
      datasets: [{ topic: 'events', records: [{ value: 'x', arrival: '2026-11-21T10:03:27Z' }] }],
    });
    expect(planLessonData(fm).clockStartMs).toBe(T0 + 3 * 60_000);
  });

  it('gives an extra the event time the clock minus its lag', () => {
    const fm = lessonFrontMatter.parse({
      ...base, topics: ['s'],
      extras: [{ id: 'late', label: 'a late reading', topic: 's', key: 'sensor-1', value: { node_name: 'sensor-1' }, eventTime: { field: 'ts', secondsBeforeClock: 90 } }],
    });
    expect(extraRecord(fm.extras[0]!, T0 + 120_000)).toEqual({
      topic: 's', key: 'sensor-1', value: '{"node_name":"sensor-1","ts":"2026-11-21T10:00:30.000Z"}', eventTimeMs: T0 + 30_000,
    });
  });
});

/** Timers that run only when told, so the system-clock schedule is tested without waiting. */
function fakeTimers() {
  const pending: { fn: () => void; ms: number }[] = [];
  return {
    timers: {
      setTimeout: (fn: () => void, ms: number) => {
        const t = { fn, ms };
        pending.push(t);
        return t;
      },
      clearTimeout: (t: unknown) => {
        const i = pending.indexOf(t as never);
        if (i >= 0) pending.splice(i, 1);
      },
    },
    pending,
    async fire(): Promise<number> {
      const t = pending.shift();
      if (!t) return -1;
      t.fn();
      await new Promise((r) => setImmediate(r));
      return t.ms;
    },
  };
}

function plan3(play: 'arrival' | 'start' = 'arrival') {
  return planLessonData(lessonFrontMatter.parse({
    ...base, topics: ['s'], clock: { start: '2026-11-21T10:00:00Z' },
    datasets: [{ topic: 's', play, rate: 4, records: [
      { value: 'a', arrival: '10:00:00' }, { value: 'b', arrival: '10:00:07' }, { value: 'c', arrival: '10:00:12' },
    ] }],
  }));
}

describe('DataPlayer', () => {
  it('on the manual clock produces each record, stamped with its arrival, when the clock reaches it', async () => {
    const sent: OutgoingRecord[][] = [];
    const progress: PlayProgress[] = [];
    const player = new DataPlayer(plan3(), { mode: 'manual', sink: async (r) => void sent.push(r), timers: fakeTimers().timers, onProgress: (p) => progress.push(p) });
    await player.start();
    expect(sent).toEqual([[{ topic: 's', key: null, value: 'a', timestampMs: T0 }]]);
    await player.advanceTo(T0 + 5000);
    expect(sent).toHaveLength(1);
    await player.advanceTo(T0 + 12_000);
    expect(sent[1]).toEqual([{ topic: 's', key: null, value: 'b', timestampMs: T0 + 7000 }, { topic: 's', key: null, value: 'c', timestampMs: T0 + 12_000 }]);
    expect(progress).toEqual([{ produced: 1, total: 3, nextArrivalMs: T0 + 7000 }, { produced: 3, total: 3, nextArrivalMs: null }]);
  });

  it('on the system clock produces at the dataset rate, unstamped, and stops when told', async () => {
    const sent: string[] = [];
    const t = fakeTimers();
    const player = new DataPlayer(plan3(), { mode: 'system', sink: async (r) => void sent.push(...r.map((x) => `${x.value}:${x.timestampMs ?? 'now'}`)), timers: t.timers });
    await player.start();
    expect(await t.fire()).toBe(0);
    expect(await t.fire()).toBe(250);
    expect(sent).toEqual(['a:now', 'b:now']);
    player.stop();
    expect(t.pending).toEqual([]);
    await player.advanceTo(T0 + 60_000);
    expect(sent).toEqual(['a:now', 'b:now']);
  });

  it('plays a `start` dataset whole before anything else, whatever the clock', async () => {
    const sent: OutgoingRecord[][] = [];
    const player = new DataPlayer(plan3('start'), { mode: 'system', sink: async (r) => void sent.push(r), timers: fakeTimers().timers });
    await player.start();
    expect(sent.map((b) => b.map((r) => r.value))).toEqual([['a', 'b', 'c']]);
  });

  it('reports a failed produce and rejects', async () => {
    const errors: string[] = [];
    const player = new DataPlayer(plan3(), { mode: 'manual', sink: async () => { throw new Error('Kafka is not reachable'); }, timers: fakeTimers().timers, onProgress: (_p, e) => e && errors.push(e.message) });
    await expect(player.start()).rejects.toThrow('Kafka is not reachable');
    expect(errors).toEqual(['Kafka is not reachable']);
  });
});
