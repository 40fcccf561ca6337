/**
 * A lesson's data, through `streamlab start` on a fresh data directory and its websocket: opening a
 * lesson makes its topics with their partitions; Run of the starter plays the lesson's data in, so
 * batches of the lesson's records arrive without the test producing anything. On the manual clock the
 * clock starts at the lesson's time and each record is produced when the clock reaches its arrival.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerMessageOf, StructuredBatchEvent, DStreamBatchEvent } from '../../../runtime/src/protocol/index.js';
import { PROTOCOL_VERSION } from '../../../runtime/src/protocol/index.js';
import { loadLessons } from '../../../runtime/src/lessons/load-lessons.js';
import { planLessonData } from '../../../runtime/src/lessons/lesson-data.js';
import { repoRoot, startRuntime, type RuntimeProcess } from '../../e2e/runtime-process.js';
import { databaseUrl } from '../../services/inject.js';
import { TestClient } from './ws-client.js';

const TOKEN = 'lesson-data-test-token-0123456789';
const TEN = Date.UTC(2026, 10, 21, 10, 0, 0);
let runtime: RuntimeProcess;
let client: TestClient;

beforeAll(async () => {
  // The embedded broker of a fresh data directory: nothing exists until a lesson opens.
  runtime = await startRuntime({ pg: databaseUrl(), token: TOKEN });
  client = await TestClient.connect(`ws://127.0.0.1:${new URL(runtime.url).port}/ws?token=${TOKEN}`);
  expect(await client.hello(undefined, [PROTOCOL_VERSION])).toMatchObject({ kind: 'hello.ok', version: PROTOCOL_VERSION });
});

afterAll(async () => {
  await client?.close();
  await runtime?.stop();
});

type Topic = { name: string; partitions: number; endOffsets?: string[] };

async function topics(): Promise<Topic[]> {
  const reply = await client.request({ kind: 'topics.list' });
  if (reply.kind !== 'topics.list.ok') throw new Error(JSON.stringify(reply));
  return reply.topics;
}

const records = (t: Topic | undefined) => (t?.endOffsets ?? []).reduce((n, o) => n + Number(o), 0);

async function open(lessonId: string): Promise<ServerMessageOf<'lessons.get.ok'>['lesson']> {
  const reply = await client.request({ kind: 'lessons.get', lessonId });
  if (reply.kind !== 'lessons.get.ok') throw new Error(JSON.stringify(reply));
  return reply.lesson;
}

/** Opens the lesson as the workbench does and runs its starter (or `files`). */
async function run(lessonId: string, mode: 'manual' | 'system', files?: { path: string; content: string }[]): Promise<string> {
  const lesson = await open(lessonId);
  const reply = await client.request({ kind: 'run.start', lessonId, files: files ?? lesson.files, mode });
  if (reply.kind !== 'run.start.ok') throw new Error(JSON.stringify(reply));
  return reply.runId;
}

function batchesOf(runId: string): ServerMessageOf<'run.batch'>[] {
  return client.messages.filter((m): m is ServerMessageOf<'run.batch'> => m.kind === 'run.batch' && m.runId === runId);
}

async function step(runId: string, advanceMs: number): Promise<ServerMessageOf<'run.step.ok'>> {
  const reply = await client.request({ kind: 'run.step', runId, advanceMs });
  if (reply.kind !== 'run.step.ok') throw new Error(JSON.stringify(reply));
  return reply;
}

async function running(runId: string): Promise<void> {
  const m = await client.waitFor((e) => e.kind === 'run.status' && e.runId === runId && ['running', 'idle', 'failed', 'finished', 'stopped'].includes(e.state));
  if (m.kind === 'run.status' && !['running', 'idle'].includes(m.state)) throw new Error(`run ${runId} ${m.state}: ${JSON.stringify(client.eventsOf(runId))}`);
}

async function stop(runId: string): Promise<void> {
  await client.request({ kind: 'run.stop', runId });
  await client.runEnded(runId);
}

describe('opening a lesson', () => {
  it('makes its topics with the partitions its text gives, and says what it plays', async () => {
    expect((await topics()).map((t) => t.name)).toEqual([]);
    const lesson = await open('01');
    expect(lesson.data).toEqual({
      clockStartMs: TEN,
      topics: [{ name: 'sensors.temperature', partitions: 3 }, { name: 'report', partitions: 1 }],
      records: 3,
      extras: [],
    });
    expect((await topics()).map((t) => [t.name, t.partitions, records(t)])).toEqual([['report', 1, 0], ['sensors.temperature', 3, 0]]);
    expect((await open('03')).data?.extras).toEqual([{ id: 'late-reading', label: 'a late reading (sensor-1, measured 90 s ago)', topic: 'sensors.temperature' }]);
    await open('04');
    expect((await topics()).map((t) => [t.name, t.partitions])).toEqual([['report', 1], ['sensors.temperature', 3], ['spark-streaming-store', 1]]);
  });
});

describe('Run plays the lesson\'s data', () => {
  it('lesson 01: the report topic holds the readings the consumer should print', async () => {
    await open('01');
    const runId = await run('01', 'system');
    expect((await client.runEnded(runId)).state, JSON.stringify(client.eventsOf(runId))).toBe('finished');
    const t = await topics();
    // The three reports of the lesson, and the starter's three readings spread over three partitions.
    expect(records(t.find((x) => x.name === 'report'))).toBe(3);
    expect(records(t.find((x) => x.name === 'sensors.temperature'))).toBe(3);
    // The solution's consumer prints them, in order.
    const solution = [{ path: 'solution.ts', content: readFileSync(join(repoRoot, 'lessons/01-kafka-basics/solution.ts'), 'utf8') }];
    const solved = await run('01', 'system', solution);
    await client.runEnded(solved);
    const printed = client.eventsOf(solved).filter((m) => m.kind === 'run.log').map((m) => (m as ServerMessageOf<'run.log'>).text.trim());
    // Each run adds the three reports again (`clearOnRun: false`): offsets 3–5 are this run's.
    expect(printed.filter((l) => l.startsWith('report:'))).toEqual([
      'report:0:0: key=sensor-1 value={"node_name":"sensor-1","avg":21.4}',
      'report:0:1: key=sensor-2 value={"node_name":"sensor-2","avg":19.8}',
      'report:0:2: key=sensor-3 value={"node_name":"sensor-3","avg":22.6}',
      'report:0:3: key=sensor-1 value={"node_name":"sensor-1","avg":21.4}',
      'report:0:4: key=sensor-2 value={"node_name":"sensor-2","avg":19.8}',
      'report:0:5: key=sensor-3 value={"node_name":"sensor-3","avg":22.6}',
    ]);
  });

  it('lesson 03 on the manual clock: the clock starts at 10:00 and each record arrives when the clock reaches it', async () => {
    await open('03');
    const runId = await run('03', 'manual');
    await running(runId);
    // Nothing has arrived at 10:00:00; the first readings arrive within the first seconds.
    expect(await step(runId, 0)).toMatchObject({ clockMs: TEN });
    const first = await step(runId, 10_000);
    expect(first.clockMs).toBe(TEN + 10_000);
    expect(first.batchesRun).toBeGreaterThanOrEqual(1);
    const batch = batchesOf(runId)[0] as StructuredBatchEvent;
    expect(batch.api).toBe('structured');
    expect(batch.progress.numInputRows).toBe(2);
    expect(batch.rows).toEqual([
      { window: { start: '2026-11-21T10:00:00.000Z', end: '2026-11-21T10:01:00.000Z' }, node_name: 'sensor-1', avg_temp: 20.3, readings: 1 },
      { window: { start: '2026-11-21T10:00:00.000Z', end: '2026-11-21T10:01:00.000Z' }, node_name: 'sensor-2', avg_temp: 23.7, readings: 1 },
    ]);
    // A late reading: measured 90 s before the clock, at 09:58:40.
    expect(await client.request({ kind: 'run.extra', runId, extraId: 'late-reading' })).toEqual({
      kind: 'run.extra.ok', id: expect.any(String), runId, topic: 'sensors.temperature', key: 'sensor-1',
      value: '{"node_name":"sensor-1","temperature":30,"ts":"2026-11-21T09:58:40.000Z"}', eventTimeMs: TEN + 10_000 - 90_000,
    });
    const before = batchesOf(runId).length;
    await step(runId, 1_000);
    const late = batchesOf(runId).slice(before).flatMap((b) => (b as StructuredBatchEvent).rows);
    // The starter groups by Kafka's timestamp, the arrival: the late reading joins the 10:00 window.
    expect(late).toContainEqual({ window: { start: '2026-11-21T10:00:00.000Z', end: '2026-11-21T10:01:00.000Z' }, node_name: 'sensor-1', avg_temp: 25.15, readings: 2 });
    expect(await client.request({ kind: 'run.extra', runId, extraId: 'no-such' })).toMatchObject({ kind: 'error', code: 'not-found', message: 'This lesson has no extra record "no-such"; it has late-reading.' });
    // Replay: the same 48 records again, a minute later (the clock reads 10:00:11).
    expect(await client.request({ kind: 'run.replay', runId })).toMatchObject({ kind: 'run.replay.ok', runId, records: 48, shiftMs: 60_000 });
    await stop(runId);
    // Clearing a topic keeps its partitions and their offsets and drops its records (Kafka's DeleteRecords).
    const full = (await topics()).find((t) => t.name === 'sensors.temperature')!;
    expect(await client.request({ kind: 'topics.clear', topic: 'sensors.temperature' })).toMatchObject({ kind: 'topics.clear.ok', topic: 'sensors.temperature', partitions: 3 });
    expect((await topics()).find((t) => t.name === 'sensors.temperature')).toEqual(full);
    const tail = await client.request({ kind: 'topics.tail', topic: 'sensors.temperature', from: 'earliest' });
    if (tail.kind !== 'topics.tail.ok') throw new Error(JSON.stringify(tail));
    const produced = await client.request({ kind: 'topics.produce', topic: 'sensors.temperature', key: 'sensor-9', value: 'after the clear' });
    if (produced.kind !== 'topics.produce.ok') throw new Error(JSON.stringify(produced));
    expect(produced.offset).toBe(full.endOffsets![produced.partition]);
    // The tail from the earliest offset gets the new record first: nothing from before the clear is left.
    const tailed = await client.waitFor((m) => m.kind === 'topics.record' && m.tailId === tail.tailId);
    expect(tailed).toMatchObject({ partition: produced.partition, offset: produced.offset, value: 'after the clear' });
    await client.request({ kind: 'topics.untail', tailId: tail.tailId });
  });

  it('lesson 03 on the system clock: batches of the lesson\'s readings arrive', async () => {
    const runId = await run('03', 'system');
    await running(runId);
    const batch = await client.waitFor((m) => m.kind === 'run.batch' && m.runId === runId && 'api' in m && m.api === 'structured' && m.progress.numInputRows > 0) as StructuredBatchEvent;
    expect(batch.trace.input.total).toBeGreaterThan(0);
    expect(Object.keys(batch.rows[0]!)).toEqual(['window', 'node_name', 'avg_temp', 'readings']);
    await stop(runId);
  });

  it('lesson 02: the DStream batches read the lesson\'s readings, each in the batch it arrived in however fast the clock is stepped', async () => {
    await open('02');
    const runId = await run('02', 'manual');
    await running(runId);
    // Three advances asked at once, as quick clicks on +10 s send them: each one's records are produced first.
    const steps = await Promise.all([step(runId, 10_000), step(runId, 10_000), step(runId, 10_000)]);
    expect(steps.map((s) => s.clockMs)).toEqual([TEN + 10_000, TEN + 20_000, TEN + 30_000]);
    const traces = batchesOf(runId).map((b) => (b as DStreamBatchEvent).trace);
    expect(traces.map((t) => t.batchTimeMs)).toEqual([TEN + 10_000, TEN + 20_000, TEN + 30_000]);
    // Each of the starter's three input streams read, in each batch, the lesson's readings that arrived in
    // its interval, listed by their keys (the sensors).
    const lesson = (await loadLessons(join(repoRoot, 'lessons'))).find((l) => l.id.startsWith('02'))!;
    const planned = planLessonData(lesson).datasets[0]!.records;
    const keysIn = (end: number) => planned.filter((r) => r.arrivalMs > end - 10_000 && r.arrivalMs <= end).map((r) => r.key).sort();
    expect(keysIn(TEN + 10_000).length).toBeGreaterThan(0);
    for (const t of traces) {
      expect(t.inputs.map((i) => [i.name, i.records, (i.sample ?? []).map((r) => r.key).sort()]))
        .toEqual([0, 1, 2].map(() => ['kafka[sensors.temperature]', keysIn(t.batchTimeMs).length, keysIn(t.batchTimeMs)]));
    }
    await stop(runId);
  });

  it('lesson 04: the spark-streaming-store topic is fed; the starter meets Spark\'s append error, the solution counts the lesson\'s events', async () => {
    const runId = await run('04', 'manual');
    const error = await client.waitFor((m) => m.kind === 'run.error' && m.runId === runId);
    const starterLines = readFileSync(join(repoRoot, 'lessons/04-report-topic-and-output-modes/starter.ts'), 'utf8').split('\n');
    const appendLine = starterLines.findIndex((l) => l.includes('outputMode("append")')) + 1;
    expect(error).toMatchObject({ code: 'STREAMING_APPEND_WITHOUT_WATERMARK', file: 'starter.ts', line: appendLine });
    await client.runEnded(runId);
    // What the starter's run played stays in the offsets: a clear moves the topic's start, not its end.
    const played = Number((await topics()).find((t) => t.name === 'spark-streaming-store')?.endOffsets?.[0]);
    const solved = await run('04', 'manual', [{ path: 'solution.ts', content: readFileSync(join(repoRoot, 'lessons/04-report-topic-and-output-modes/solution.ts'), 'utf8') }]);
    await running(solved);
    await step(solved, 5_000);
    // The events that arrived by 10:00:05, counted by origin from the lesson's own plan: one a second,
    // each at a microsecond inside its second, so the sixth (10:00:05.930301) is not yet there.
    const lesson = (await loadLessons(join(repoRoot, 'lessons'))).find((l) => l.id.startsWith('04'))!;
    const due = planLessonData(lesson).datasets[0]!.records.filter((r) => r.arrivalMs <= TEN + 5_000);
    expect(due.length).toBe(5);
    const counts = new Map<string, number>();
    for (const r of due) {
      const origin = (JSON.parse(r.value) as { origin: string }).origin;
      counts.set(origin, (counts.get(origin) ?? 0) + 1);
    }
    const batch = batchesOf(solved)[0] as StructuredBatchEvent;
    expect(batch.progress.numInputRows).toBe(5);
    const byOrigin = (rows: { origin: string; count: number }[]) => [...rows].sort((a, b) => a.origin.localeCompare(b.origin));
    expect(byOrigin(batch.rows as { origin: string; count: number }[])).toEqual(byOrigin([...counts].map(([origin, count]) => ({ origin, count }))));
    expect((await topics()).find((t) => t.name === 'spark-streaming-store')?.endOffsets).toEqual([String(played + 5)]);
    await stop(solved);
  });
});
