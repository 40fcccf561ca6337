import { z } from 'zod';
import { GENERATORS, generatorNamed, lakeOptions } from '../datagen/registry.js';
import { lessonApi } from '../protocol/common.js';

/** Kafka topic names as Kafka accepts them. */
const topicName = z.string().min(1).max(249).regex(/^[A-Za-z0-9._-]+$/, 'a topic name is letters, digits, ".", "_" or "-"');

/**
 * A time in a lesson's data: `HH:MM:SS[.mmm]` on the day of the lesson's clock, or a full ISO-8601
 * instant with its zone (`2026-11-21T10:00:12Z`). YAML may hand over an unquoted instant as a Date.
 */
export const lessonTime = z.union([
  z.string().regex(/^(\d{2}:\d{2}:\d{2}(\.\d{1,3})?|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2}))$/, 'a time looks like "10:00:12" or "2026-11-21T10:00:12Z"'),
  z.date(),
]);

/** A topic the lesson uses: a name (one partition), or a name with its partitions. */
export const lessonTopic = z.union([
  topicName.transform((name) => ({ name, partitions: 1 })),
  z.strictObject({ name: topicName, partitions: z.int().min(1).max(64).default(1) }),
]);

/** One record written out in the front matter. */
export const fixedRecord = z.strictObject({
  /** The Kafka key; without it the dataset's `key` field of the value is used (or no key). */
  key: z.string().nullable().optional(),
  /** The value: an object (sent as JSON) or a string (sent as is). */
  value: z.union([z.record(z.string(), z.unknown()), z.string()]),
  /** When it happened; written into the value's `eventTime` field (the dataset names it). */
  eventTime: lessonTime.optional(),
  /** When it reaches Kafka: the Kafka timestamp, and on the manual clock the moment it is produced. */
  arrival: lessonTime,
  /** What the lesson text says about this record, shown on hover (e.g. "late, but its window is still open"). */
  note: z.string().max(200).optional(),
});

/** A generator and its options (`name` picks the generator in `runtime/src/datagen/registry.ts`). */
export const generatorSpec = z.looseObject({ name: z.string() }).superRefine((spec, ctx) => {
  const entry = generatorNamed(spec.name);
  if (!entry) {
    ctx.addIssue({ code: 'custom', path: ['name'], message: `no generator "${spec.name}"; there are ${GENERATORS.map((g) => g.name).join(', ')}` });
    return;
  }
  const { name: _name, ...options } = spec;
  const parsed = entry.options.safeParse(options);
  if (!parsed.success) for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
});

/** Data the lesson plays into one topic: generated, written out, or both (merged by arrival time). */
export const lessonDataset = z.strictObject({
  topic: topicName,
  /** The value field whose text becomes the Kafka key (e.g. `node_name`). */
  key: z.string().optional(),
  /** The value field that holds the event time (e.g. `ts`), as an ISO-8601 instant. */
  eventTime: z.string().optional(),
  generate: generatorSpec.optional(),
  records: z.array(fixedRecord).max(1000).default([]),
  /** Records per second when Run uses the system clock. */
  rate: z.number().positive().max(1000).default(2),
  /**
   * `arrival` (default): on the manual clock each record is produced when the clock reaches its arrival;
   * on the system clock at `rate`. `start`: every record is produced when Run starts, before the code
   * runs (a Kafka clients lesson, whose consumer reads what is there).
   */
  play: z.enum(['arrival', 'start']).default('arrival'),
  /** Empty the topic before Run plays the data again (a query reading from `earliest` sees only this run's data). */
  clearOnRun: z.boolean().default(true),
});

/** A record the learner can send with one button while a run goes (e.g. "a late reading"). */
export const lessonExtra = z.strictObject({
  /** Stable id, used by the protocol. */
  id: z.string().regex(/^[a-z0-9-]+$/, 'an id is lowercase letters, digits and "-"'),
  /** Button text: what it sends, in the lesson's words. */
  label: z.string().min(1).max(80),
  topic: topicName,
  key: z.string().nullable().optional(),
  value: z.record(z.string(), z.unknown()),
  /** Event time relative to the run's clock: `field` gets the clock minus `secondsBeforeClock`. */
  eventTime: z.strictObject({ field: z.string(), secondsBeforeClock: z.number().min(0).max(86_400) }).optional(),
});

/**
 * How the lesson's Kafka authenticates clients: with `sasl`, a learner's code must connect as Kafka's
 * SASL_PLAINTEXT clients do, with one of `mechanisms`, as one of `users`. Run sends it to the runtime
 * Kafka's SASL listener (where these users exist) and refuses code that does not authenticate; the
 * checks' Kafka does the same.
 */
export const lessonKafka = z.strictObject({
  sasl: z.strictObject({
    mechanisms: z.array(z.enum(['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'])).min(1),
    users: z.array(z.strictObject({ username: z.string().min(1).max(64), password: z.string().min(8).max(128) })).min(1),
  }),
});

/** Front matter of `lessons/NN-slug/lesson.md`, validated when lessons load. */
export const lessonFrontMatter = z.object({
  title: z.string().min(1),
  summary: z.string().min(1),
  /** What the lesson teaches: `structured`, `dstream`, or `kafka` (Kafka's clients, no Spark pipeline). */
  api: lessonApi,
  /** Topics opening the lesson creates (with their partitions) when they do not exist. */
  topics: z.array(lessonTopic).default([]),
  tables: z.array(z.string()).default([]),
  /** How the lesson's Kafka authenticates clients (none: PLAINTEXT). */
  kafka: lessonKafka.optional(),
  /** Where the manual clock starts (and what `HH:MM:SS` times in the data mean). */
  clock: z.strictObject({ start: lessonTime }).optional(),
  /** The data Run plays into the lesson's topics. */
  datasets: z.array(lessonDataset).default([]),
  extras: z.array(lessonExtra).default([]),
  /**
   * A data lake of CSV files (`covid/<date>.csv`, `dax/<date>.csv`) drawn from the DAX and COVID-19
   * generator with these options: Run writes it into a folder of its own that `spark.read.csv` reads.
   */
  lake: lakeOptions.optional(),
  /**
   * The serving layer the runtime answers at `GET /api/serving?lesson=<id>`: the learner's PostgreSQL
   * view `view` (rows of `week, country, cases, deaths, layer`) beside the lake's weekly DAX closes,
   * with the correlation of the two over the last `rollingWeeks` weeks. Needs `lake`.
   */
  serving: z.strictObject({
    view: z.string().regex(/^[a-z_][a-z0-9_]*$/, 'a view is a lower-case SQL name, e.g. serving'),
    rollingWeeks: z.number().int().min(2).max(52).default(4),
  }).optional(),
  /** Saved Spark ML models (folders in the lesson's folder) that `PipelineModel.load(name)` finds when the lesson runs. */
  models: z.array(z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'a model is a folder name in the lesson folder')).default([]),
  duration: z.string().regex(/^\d+ min$/, 'duration looks like "30 min"'),
  hints: z.array(z.string()).default([]),
  /**
   * Every check of the lesson's `check.test.ts`, by its id (`check('update-averages', …)`), with its
   * points, in the order the grade lists them. A check that does not run scores 0 of its points.
   */
  points: z.record(z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'check ids are kebab-case, e.g. update-averages'), z.number().int().positive()).default({}),
  /**
   * Hidden checks, by id, with the category a learner is told when one fails (`late-data: late records`).
   * They count like any other, but only the instructor's grade reports show their messages and data.
   */
  hidden: z.record(z.string(), z.string().min(1).max(60)).default({}),
}).strict().superRefine((lesson, ctx) => {
  for (const id of Object.keys(lesson.hidden)) {
    if (!Object.hasOwn(lesson.points, id)) ctx.addIssue({ code: 'custom', path: ['hidden', id], message: `"${id}" is not among the lesson's checks (points)` });
  }
  const topics = new Set(lesson.topics.map((t) => t.name));
  lesson.datasets.forEach((d, i) => {
    if (!topics.has(d.topic)) ctx.addIssue({ code: 'custom', path: ['datasets', i, 'topic'], message: `"${d.topic}" is not among the lesson's topics` });
    if (!d.generate && d.records.length === 0) ctx.addIssue({ code: 'custom', path: ['datasets', i], message: 'a dataset needs `generate` or `records`' });
    d.records.forEach((r, j) => {
      if (r.eventTime !== undefined && !d.eventTime) ctx.addIssue({ code: 'custom', path: ['datasets', i, 'records', j, 'eventTime'], message: 'the dataset names no `eventTime` field to write it into' });
      if (r.eventTime !== undefined && typeof r.value === 'string') ctx.addIssue({ code: 'custom', path: ['datasets', i, 'records', j, 'eventTime'], message: 'an event time needs an object value' });
    });
  });
  lesson.extras.forEach((x, i) => {
    if (!topics.has(x.topic)) ctx.addIssue({ code: 'custom', path: ['extras', i, 'topic'], message: `"${x.topic}" is not among the lesson's topics` });
  });
  if (lesson.serving && !lesson.lake) ctx.addIssue({ code: 'custom', path: ['serving'], message: 'a serving layer reads the DAX closes of the lesson\'s `lake`' });
  const ids = lesson.extras.map((x) => x.id);
  if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', path: ['extras'], message: 'extra ids must be unique' });
  const times = [...lesson.datasets.flatMap((d) => d.records.flatMap((r) => [r.arrival, r.eventTime])), lesson.clock?.start];
  if (!lesson.clock && times.some((t) => typeof t === 'string' && /^\d{2}:/.test(t))) {
    ctx.addIssue({ code: 'custom', path: ['clock'], message: 'times like "10:00:12" need `clock.start` to say which day they are on' });
  }
});

export type LessonFrontMatter = z.infer<typeof lessonFrontMatter>;
/** A topic with its partitions. */
export type LessonTopic = z.infer<typeof lessonTopic>;
/** One dataset of a lesson. */
export type LessonDataset = z.infer<typeof lessonDataset>;
/** How a lesson's Kafka authenticates. */
export type LessonKafka = z.infer<typeof lessonKafka>;
/** One one-button record. */
export type LessonExtra = z.infer<typeof lessonExtra>;

/** One step of a lesson: a level-2 heading and the markdown under it. */
export interface LessonStep {
  title: string;
  markdown: string;
}

/** A lesson as the runtime serves it. */
export interface Lesson extends LessonFrontMatter {
  /** Folder name, e.g. `03-structured-windows`. */
  id: string;
  /** Two-digit number, e.g. `03`. */
  number: string;
  /** Markdown before the first step (the introduction). */
  intro: string;
  steps: LessonStep[];
  /** Learner files by name (`starter.ts`, plus any extra `.ts` files the lesson ships). */
  starter: Record<string, string>;
  solution: Record<string, string>;
}
