/**
 * Records the batch traces the Timeline draws, from real runs: `streamlab start` on a fresh data
 * directory, each lesson's own data, its code run on the manual clock over the websocket exactly as
 * the workbench runs it. Writes workbench/src/fixtures/lesson-traces.json, which the timeline's unit
 * tests read, so the lane computation is tested on what the engine really sends.
 *
 * Usage: node --import tsx scripts/record-lesson-traces.ts [name …]
 * With names (`04-solution`), records only those runs and keeps the others as the file has them.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROTOCOL_VERSION } from '../runtime/src/protocol/index.js';
import { startStreamlab } from '../test/journey/streamlab.js';
import { TestClient } from '../test/integration/server/ws-client.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const read = (lesson: string, file: string) => readFileSync(join(root, 'lessons', lesson, file), 'utf8');

/** A run to record: the lesson whose data plays, the code, and how far to move the clock. */
interface Recording { name: string; lesson: string; code: string; advanceMs: number; steps: number }

const solution03 = read('03-structured-windows', 'solution.ts');
const RECORDINGS: Recording[] = [
  // Window and key: the console query (update) and the report query (append, key and JSON value).
  { name: '03-solution', lesson: '03-structured-windows', code: solution03, advanceMs: 10_000, steps: 15 },
  // The starter: arrival-time windows, and a report query whose value is the whole row as JSON.
  { name: '03-starter', lesson: '03-structured-windows', code: read('03-structured-windows', 'starter.ts'), advanceMs: 10_000, steps: 9 },
  // A window without a key: lesson 03's solution averaging all sensors together.
  {
    name: '03-window-only', lesson: '03-structured-windows', advanceMs: 10_000, steps: 15,
    code: solution03.replace('.groupBy(F.window("ts", "1 minute"), "node_name")', '.groupBy(F.window("ts", "1 minute"))')
      .replace(/export function startReport[\s\S]*?\n}\n/, '').replace('  startReport(spark);\n', ''),
  },
  // A key without a window: counting by origin in complete mode.
  { name: '04-solution', lesson: '04-report-topic-and-output-modes', code: read('04-report-topic-and-output-modes', 'solution.ts'), advanceMs: 10_000, steps: 6 },
  // DStream batches.
  { name: '02-solution', lesson: '02-dstream-temperature', code: read('02-dstream-temperature', 'solution.ts'), advanceMs: 10_000, steps: 6 },
];

const target = join(root, 'workbench/src/fixtures/lesson-traces.json');
const only = process.argv.slice(2);
const unknown = only.filter((n) => !RECORDINGS.some((r) => r.name === n));
if (unknown.length > 0) throw new Error(`No recording named ${unknown.join(', ')}; the recordings are ${RECORDINGS.map((r) => r.name).join(', ')}.`);
const kept = only.length > 0 && existsSync(target) ? (JSON.parse(readFileSync(target, 'utf8')) as Record<string, unknown[]>) : {};

const streamlab = await startStreamlab();
const client = await TestClient.connect(`ws://${new URL(streamlab.url).host}/ws?token=${streamlab.token}`);
const out: Record<string, unknown[]> = {};
try {
  await client.hello(undefined, [PROTOCOL_VERSION]);
  for (const r of RECORDINGS) {
    if (only.length > 0 && !only.includes(r.name)) {
      out[r.name] = kept[r.name] ?? [];
      continue;
    }
    const opened = await client.request({ kind: 'lessons.get', lessonId: r.lesson });
    if (opened.kind !== 'lessons.get.ok') throw new Error(JSON.stringify(opened));
    // Each recording starts afresh: no saved state, and the lesson's topics hold only what this run plays.
    await client.request({ kind: 'checkpoints.reset', lessonId: r.lesson });
    for (const t of opened.lesson.data?.topics ?? []) await client.request({ kind: 'topics.clear', topic: t.name });
    const files = [{ path: opened.lesson.files[0]!.path, content: r.code }];
    const started = await client.request({ kind: 'run.start', lessonId: r.lesson, files, mode: 'manual' });
    if (started.kind !== 'run.start.ok') throw new Error(JSON.stringify(started));
    const runId = started.runId;
    await client.waitFor((m) => m.kind === 'run.status' && m.runId === runId && m.state === 'running');
    for (let i = 0; i < r.steps; i++) {
      const reply = await client.request({ kind: 'run.step', runId, advanceMs: r.advanceMs });
      if (reply.kind !== 'run.step.ok') throw new Error(`${r.name}: ${JSON.stringify(reply)}`);
    }
    await client.request({ kind: 'run.stop', runId });
    await client.runEnded(runId);
    const batches = client.eventsOf(runId).filter((m) => m.kind === 'run.batch');
    out[r.name] = batches.map((b) => {
      const { id: _id, runId: _runId, ...rest } = b as Record<string, unknown>;
      return rest;
    });
    console.log(`${r.name}: ${batches.length} batches`);
  }
} finally {
  await client.close();
  await streamlab.stop();
}
writeFileSync(target, JSON.stringify(out, null, 1) + '\n');
