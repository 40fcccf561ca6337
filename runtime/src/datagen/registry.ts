/**
 * The seeded generators a lesson can name in its front matter (`datasets[].generate`), one record each:
 * its name, the options it accepts (zod, so a typo in a lesson is an error naming the field), and how
 * it turns options into records with an event time and an arrival time.
 *
 * Adding a generator is one entry here plus its file in this folder.
 */
import { z } from 'zod';
import { announcedReports } from './dax-covid.js';
import { generateDriverFixes } from './driver-fixes.js';
import { generateLocations } from './locations.js';
import { generateMachineRows } from './machines.js';
import { generateOriginEvents } from './origins.js';
import { generateSensorReadings } from './sensors.js';

/** One generated record: the value (JSON, or text as is), when it happened and when it reaches Kafka (epoch ms). */
export interface GeneratedRecord {
  value: Record<string, unknown> | string;
  /** The Kafka key, for a text value (a JSON value's key comes from the dataset's `key` field). */
  key?: string;
  eventTimeMs: number;
  arrivalMs: number;
}

/** A generator as lessons name it. */
export interface GeneratorEntry<S extends z.ZodObject = z.ZodObject> {
  name: string;
  /** One line for `lessons/README.md` and error messages. */
  description: string;
  /** Options as a lesson writes them (without `name`); `startMs` comes from the lesson's clock. */
  options: S;
  generate(options: z.infer<S>, startMs: number): GeneratedRecord[];
}

/** Keeps each entry's option type while the list holds them all. */
function defineGenerator<S extends z.ZodObject>(entry: GeneratorEntry<S>): GeneratorEntry<S> {
  return entry;
}

const seed = z.int().min(0).max(2 ** 31 - 1);
const count = z.int().min(0).max(10_000);
const ms = z.int().min(0).max(24 * 3600 * 1000);

const sensors = defineGenerator({
  name: 'sensors',
  description: 'temperature readings `{node_name, temperature, ts}` from sensor-1 … sensor-N, arriving 0..disorderMs after they were measured',
  options: z.strictObject({
    seed: seed.optional(),
    sensors: z.int().min(1).max(100).optional(),
    count: count.optional(),
    intervalMs: ms.optional(),
    disorderMs: ms.optional(),
    lateFraction: z.number().min(0).max(1).optional(),
    lateByMs: ms.optional(),
    meanTemp: z.number().optional(),
    spread: z.number().min(0).optional(),
  }),
  generate: (o, startMs) => generateSensorReadings({ ...o, startMs }).map((a) => ({
    value: { ...a.reading },
    eventTimeMs: Date.parse(a.reading.ts),
    arrivalMs: a.arrivalMs,
  })),
});

const origins = defineGenerator({
  name: 'origins',
  description: 'events `{timestamp, _id, origin, content}` from kafka-test-app-0 … N-1, `timestamp` in epoch seconds with a fraction, arriving when they happen',
  options: z.strictObject({
    seed: seed.optional(),
    gateways: z.int().min(1).max(100).optional(),
    count: count.optional(),
    intervalMs: ms.optional(),
    firstMessage: z.int().min(0).optional(),
  }),
  generate: (o, startMs) => generateOriginEvents({ ...o, startMs }).map((e) => {
    const t = Math.floor(e.timestamp * 1000);
    return { value: { ...e }, eventTimeMs: t, arrivalMs: t };
  }),
});

const locations = defineGenerator({
  name: 'locations',
  description: 'GPS fixes `{device_id, latitude, longitude, ts}` with every field a string, arriving when they are taken',
  options: z.strictObject({
    seed: seed.optional(),
    devices: z.int().min(1).max(100).optional(),
    count: count.optional(),
    intervalMs: ms.optional(),
  }),
  generate: (o, startMs) => generateLocations({ ...o, startMs }).map((f) => {
    const t = Date.parse(f.ts);
    return { value: { ...f }, eventTimeMs: t, arrivalMs: t };
  }),
});

const drivers = defineGenerator({
  name: 'drivers',
  description: 'drivers\' GPS fixes in the locations tutorial\'s shape `{driverId, lat, lng, time}`, every field a string, arriving when they are taken',
  options: z.strictObject({
    seed: seed.optional(),
    drivers: z.int().min(1).max(900).optional(),
    count: count.optional(),
    intervalMs: ms.optional(),
  }),
  generate: (o, startMs) => generateDriverFixes({ ...o, startMs }).map(({ fix, timeMicros }) => {
    const t = Math.floor(timeMicros / 1000);
    return { value: { ...fix }, eventTimeMs: t, arrivalMs: t };
  }),
});

const machines = defineGenerator({
  name: 'machines',
  description: 'CSV lines `id,temperature,vibration,pressure,rpm` keyed by id, one every intervalMs; every badEvery-th broken on purpose (empty field, not a number, too few fields)',
  options: z.strictObject({
    seed: seed.optional(),
    count: count.optional(),
    intervalMs: ms.optional(),
    firstId: z.int().min(0).optional(),
    badEvery: z.int().min(0).max(1000).optional(),
  }),
  generate: (o, startMs) => generateMachineRows({ ...o, startMs }).map((r) => ({ value: r.line, key: String(r.id), eventTimeMs: r.atMs, arrivalMs: r.atMs })),
});

/** The lake's days as the lambda lesson's front matter names them (`lake`), shared with `covid-reports`. */
export const lakeOptions = z.strictObject({
  seed: seed.optional(),
  startDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date looks like "2020-03-02"').optional(),
  days: z.int().min(1).max(730).optional(),
  countries: z.array(z.string().regex(/^[A-Za-z][A-Za-z ]*$/, 'a country is a name in letters')).min(1).max(20).optional(),
  historyDays: z.int().min(0).max(730).optional(),
});

const covidReports = defineGenerator({
  name: 'covid-reports',
  description: 'the COVID-19 reports `{reported, date, country, cases, deaths}` of the lake\'s days after its history, one day announced every intervalMs; every lateEvery-th report lateBy days late',
  options: lakeOptions.extend({
    intervalMs: ms.optional(),
    lateEvery: z.int().min(0).max(1000).optional(),
    lateBy: z.int().min(0).max(60).optional(),
  }),
  generate: (o, startMs) => announcedReports(o).map(({ report, slot }) => ({
    value: { ...report },
    eventTimeMs: Date.parse(`${report.date}T00:00:00Z`),
    arrivalMs: startMs + (slot + 1) * (o.intervalMs ?? 10_000),
  })),
});

/** Every generator. */
export const GENERATORS: readonly GeneratorEntry[] = [sensors, origins, locations, drivers, machines, covidReports] as readonly GeneratorEntry[];

/** The generator with this name. */
export function generatorNamed(name: string): GeneratorEntry | undefined {
  return GENERATORS.find((g) => g.name === name);
}
