/**
 * `streamlab start` with no Kafka given and no Java on the PATH: the runtime's embedded broker is the
 * Kafka, and lessons 01–04 work on it — each lesson's solution passes its checks through the
 * workbench's `check.run`, and lesson 03's pipeline runs and prints its first batch.
 */
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerMessageOf } from '../../runtime/src/protocol/index.js';
import { databaseUrl } from '../services/inject.js';
import { TestClient } from '../integration/server/ws-client.js';
import { startRuntime, type RuntimeProcess } from './runtime-process.js';

let runtime: RuntimeProcess;
let client: TestClient;
let binDir: string;

beforeAll(async () => {
  // A PATH with node and nothing else: no java, no kafka scripts, no docker.
  binDir = mkdtempSync(join(tmpdir(), 'streamlab-nojava-'));
  symlinkSync(process.execPath, join(binDir, 'node'));
  const { STREAMLAB_KAFKA: _k, KAFKA_BROKERS: _b, JAVA_HOME: _j, ...env } = process.env;
  runtime = await startRuntime({ pg: databaseUrl(), env: { ...env, PATH: binDir } });
  const url = new URL(runtime.url);
  client = await TestClient.connect(`ws://${url.host}/ws?token=${url.searchParams.get('token')}`);
  expect(await client.hello()).toMatchObject({ kind: 'hello.ok', features: ['kafka', 'postgres', 'export.pyspark'] });
});

afterAll(async () => {
  await client?.close();
  await runtime?.stop();
  rmSync(binDir, { recursive: true, force: true });
});

describe('embedded defaults without Java', () => {
  it('says where the embedded broker listens', () => {
    expect(runtime.output()).toMatch(/streamlab: Kafka is the embedded broker at 127\.0\.0\.1:\d+/);
  });

  const checksPerLesson = { '01-kafka-basics': 4, '02-dstream-temperature': 6, '03-structured-windows': 9, '04-report-topic-and-output-modes': 6, '06-stream-inference': 4 };
  for (const [lessonId, checks] of Object.entries(checksPerLesson)) {
    it(`passes every check of ${lessonId} with its solution on the embedded broker`, async () => {
      const lesson = await client.request({ kind: 'lessons.get', lessonId });
      if (lesson.kind !== 'lessons.get.ok' || !lesson.lesson.solution) throw new Error(JSON.stringify(lesson));
      const started = await client.request({ kind: 'check.run', lessonId, files: lesson.lesson.solution });
      if (started.kind !== 'check.run.ok') throw new Error(JSON.stringify(started));
      const result = await client.waitFor((m) => m.kind === 'check.result' && m.checkId === started.checkId) as ServerMessageOf<'check.result'>;
      expect(result.tests.map((t) => [t.name, t.status, t.status === 'passed' ? '' : t.message])).toEqual(result.tests.map((t) => [t.name, 'passed', '']));
      expect(result.tests).toHaveLength(checks);
    });
  }

  it('runs lesson 03 on the embedded broker: records produced to a topic come out as Batch 0', async () => {
    // Outside the lesson (no lessonId, its own topic), so the lesson's data player stays out of it:
    // the records this test produces are the only input.
    const topic = 'e2e.embedded-readings';
    expect(await client.request({ kind: 'topics.create', topic, partitions: 1 })).toMatchObject({ kind: 'topics.create.ok' });
    for (const [ts, temperature] of [['2026-11-21T10:00:05Z', 20], ['2026-11-21T10:00:15Z', 22]] as const) {
      const value = JSON.stringify({ node_name: 'sensor-1', temperature, ts });
      expect(await client.request({ kind: 'topics.produce', topic, key: 'sensor-1', value })).toMatchObject({ kind: 'topics.produce.ok' });
    }
    const lesson = await client.request({ kind: 'lessons.get', lessonId: '03-structured-windows' });
    if (lesson.kind !== 'lessons.get.ok' || !lesson.lesson.solution) throw new Error(JSON.stringify(lesson));
    const files = lesson.lesson.solution.map((f) => ({ ...f, content: f.content.replaceAll('"sensors.temperature"', `"${topic}"`) }));
    expect(files.some((f) => f.content.includes(`"${topic}"`))).toBe(true);
    const run = await client.request({ kind: 'run.start', files, mode: 'system' });
    if (run.kind !== 'run.start.ok') throw new Error(JSON.stringify(run));
    const batch = await client.waitFor((m) => (m.kind === 'run.batch' || m.kind === 'run.error') && m.runId === run.runId);
    expect(batch).toMatchObject({ kind: 'run.batch', batchId: 0, totalRows: 1, rows: [{ node_name: 'sensor-1', avg_temp: 21, readings: 2 }] });
    expect(await client.request({ kind: 'run.stop', runId: run.runId })).toMatchObject({ kind: 'run.stop.ok' });
  });
});
