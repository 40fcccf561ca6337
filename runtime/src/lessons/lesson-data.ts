/**
 * A lesson's data as records to produce: the front matter's datasets resolved into Kafka records with
 * their keys, JSON values, event times and arrival times, in arrival order. Pure: the data player
 * (`data-player.ts`) decides when each record is produced, and the runtime produces it.
 *
 *   clock start  := clock.start, else the first arrival rounded down to the minute, else none
 *   a time       := "HH:MM:SS" on the clock start's (UTC) day, or an ISO-8601 instant
 *   a record     := generated (datagen registry) or written out; written-out event times go into the
 *                   value's `eventTime` field (an ISO instant, or epoch seconds when the field holds a
 *                   number); the key is `key`, else the value's `key` field, else none
 */
import { generatorNamed } from '../datagen/registry.js';
import type { Lesson, LessonDataset, LessonExtra, LessonTopic } from './lesson-schema.js';

/** One record the player produces. */
export interface PlannedRecord {
  topic: string;
  key: string | null;
  value: string;
  /** When it reaches Kafka, epoch ms. */
  arrivalMs: number;
  /** When it happened, epoch ms, when the dataset says. */
  eventTimeMs: number | null;
  note?: string;
}

/** One dataset, resolved. */
export interface PlannedDataset {
  topic: string;
  records: PlannedRecord[];
  rate: number;
  play: LessonDataset['play'];
  clearOnRun: boolean;
  /** The value field that holds the event time, when the dataset names one. */
  eventTimeField: string | null;
}

/** Everything a lesson plays. */
export interface LessonDataPlan {
  /** Where the manual clock starts, epoch ms; null when the lesson says nothing about time. */
  clockStartMs: number | null;
  topics: LessonTopic[];
  datasets: PlannedDataset[];
  extras: LessonExtra[];
}

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** Epoch ms of a lesson time; `HH:MM:SS` is on the UTC day that contains `dayOfMs`. */
export function lessonTimeMs(time: string | Date, dayOfMs: number | null): number {
  if (time instanceof Date) return time.getTime();
  const m = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?$/.exec(time);
  if (!m) return Date.parse(time);
  if (dayOfMs === null) throw new Error(`"${time}" needs the lesson's clock.start to say which day it is on`);
  const day = Math.floor(dayOfMs / DAY_MS) * DAY_MS;
  return day + ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1000 + Number((m[4] ?? '0').padEnd(3, '0'));
}

/** The Kafka key of a value: the text of its `field`, or null. */
function keyOf(value: unknown, field: string | undefined): string | null {
  if (!field || typeof value !== 'object' || value === null) return null;
  const v = (value as Record<string, unknown>)[field];
  return v === undefined || v === null ? null : String(v);
}

function planDataset(d: LessonDataset, clockStartMs: number | null, fallbackStartMs: number): PlannedRecord[] {
  const out: PlannedRecord[] = [];
  if (d.generate) {
    const { name, ...options } = d.generate;
    const generator = generatorNamed(name)!;
    for (const g of generator.generate(generator.options.parse(options), clockStartMs ?? fallbackStartMs)) {
      out.push({ topic: d.topic, key: g.key ?? keyOf(g.value, d.key), value: typeof g.value === 'string' ? g.value : JSON.stringify(g.value), arrivalMs: g.arrivalMs, eventTimeMs: g.eventTimeMs });
    }
  }
  for (const r of d.records) {
    let value = r.value;
    let eventTimeMs: number | null = null;
    if (typeof value === 'object') {
      if (r.eventTime !== undefined && d.eventTime) {
        eventTimeMs = lessonTimeMs(r.eventTime, clockStartMs);
        value = { ...value, [d.eventTime]: new Date(eventTimeMs).toISOString() };
      } else if (d.eventTime && typeof value[d.eventTime] === 'string') {
        const t = Date.parse(value[d.eventTime] as string);
        eventTimeMs = Number.isNaN(t) ? null : t;
      } else if (d.eventTime && typeof value[d.eventTime] === 'number') {
        // Epoch seconds with a fraction, as the count-by-origin tutorial's producers write them.
        eventTimeMs = Math.floor((value[d.eventTime] as number) * 1000);
      }
    }
    out.push({
      topic: d.topic,
      key: r.key !== undefined ? r.key : keyOf(value, d.key),
      value: typeof value === 'string' ? value : JSON.stringify(value),
      arrivalMs: lessonTimeMs(r.arrival, clockStartMs),
      eventTimeMs,
      ...(r.note ? { note: r.note } : {}),
    });
  }
  // Stable: records arriving at the same moment keep the order the lesson gives them.
  return out.map((r, i) => ({ r, i })).sort((a, b) => a.r.arrivalMs - b.r.arrivalMs || a.i - b.i).map((x) => x.r);
}

/** Resolves a lesson's topics, clock and datasets into records to play. */
export function planLessonData(lesson: Pick<Lesson, 'topics' | 'datasets' | 'clock' | 'extras'>): LessonDataPlan {
  let clockStartMs = lesson.clock ? lessonTimeMs(lesson.clock.start, null) : null;
  if (clockStartMs === null && lesson.datasets.length > 0) {
    // Without a clock the generators start at their own default; the clock starts at the first arrival's minute.
    const first = lesson.datasets.flatMap((d) => planDataset(d, null, Date.UTC(2026, 10, 21, 10, 0, 0)))
      .reduce((min, r) => Math.min(min, r.arrivalMs), Infinity);
    if (Number.isFinite(first)) clockStartMs = Math.floor(first / MINUTE_MS) * MINUTE_MS;
  }
  return {
    clockStartMs,
    topics: lesson.topics,
    datasets: lesson.datasets.map((d) => ({
      topic: d.topic,
      records: planDataset(d, clockStartMs, clockStartMs ?? Date.UTC(2026, 10, 21, 10, 0, 0)),
      rate: d.rate,
      play: d.play,
      clearOnRun: d.clearOnRun,
      eventTimeField: d.eventTime ?? null,
    })),
    extras: lesson.extras,
  };
}

/** The record an extra sends when the run's clock reads `clockMs`. */
export function extraRecord(extra: LessonExtra, clockMs: number): { topic: string; key: string | null; value: string; eventTimeMs: number | null } {
  const value: Record<string, unknown> = { ...extra.value };
  let eventTimeMs: number | null = null;
  if (extra.eventTime) {
    eventTimeMs = clockMs - Math.round(extra.eventTime.secondsBeforeClock * 1000);
    value[extra.eventTime.field] = new Date(eventTimeMs).toISOString();
  }
  return { topic: extra.topic, key: extra.key ?? null, value: JSON.stringify(value), eventTimeMs };
}

/**
 * The same data moved `deltaMs` later: arrivals, event times (in the value's event-time field too) and
 * the clock start, so a replay on a clock that has moved on plays the lesson's story again from `now`
 * with the same gaps, the same disorder and the same late records.
 */
export function shiftPlan(plan: LessonDataPlan, deltaMs: number): LessonDataPlan {
  const shiftValue = (value: string, field: string | null, eventTimeMs: number | null): string => {
    if (field === null || eventTimeMs === null) return value;
    try {
      const parsed = JSON.parse(value) as unknown;
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return value;
      const was = (parsed as Record<string, unknown>)[field];
      // An ISO instant moves as an instant; epoch seconds with a fraction keep their microseconds.
      if (typeof was === 'number') return JSON.stringify({ ...(parsed as Record<string, unknown>), [field]: (Math.round(was * 1_000_000) + deltaMs * 1000) / 1_000_000 });
      if (typeof was !== 'string') return value;
      return JSON.stringify({ ...(parsed as Record<string, unknown>), [field]: new Date(eventTimeMs + deltaMs).toISOString() });
    } catch {
      return value;
    }
  };
  return {
    ...plan,
    clockStartMs: plan.clockStartMs === null ? null : plan.clockStartMs + deltaMs,
    datasets: plan.datasets.map((d) => ({
      ...d,
      records: d.records.map((r) => ({
        ...r,
        value: shiftValue(r.value, d.eventTimeField, r.eventTimeMs),
        arrivalMs: r.arrivalMs + deltaMs,
        eventTimeMs: r.eventTimeMs === null ? null : r.eventTimeMs + deltaMs,
      })),
    })),
  };
}

/**
 * How far a replay moves the data when the clock reads `nowMs`: to the first whole minute at or after
 * `nowMs`, counted from where the data starts, so windows of a minute (or a divisor of one) line up
 * as they did the first time. Never backwards.
 */
export function replayShiftMs(plan: LessonDataPlan, nowMs: number): number {
  const startMs = plan.clockStartMs ?? nowMs;
  return Math.max(0, Math.ceil((nowMs - startMs) / MINUTE_MS) * MINUTE_MS);
}
