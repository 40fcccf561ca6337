/**
 * A class on one runtime that learners share (`isolateLearners`), with Apache Kafka and PostgreSQL: N
 * learners (10, or STREAMLAB_CLASS_SIZE), each on a websocket session of their own, open lesson 03,
 * press Run on its solution and Check, all at once, from a fresh data directory. Every learner's run
 * must be admitted (runs beyond the runtime's cap wait in line), read the lesson's 48 readings exactly
 * once in each of its two queries (the console's and the report's) with no error or warning, and stop
 * when asked; every Check must grade the solution in full. No learner sees another's topics or shares a
 * checkpoint: each lists only the lesson's two topics, holding only its own play of the data, and each
 * report query keeps its checkpoint in a folder of its own session. Run → first batch is printed as
 * p50/p99 for the record, not asserted.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig, type RuntimeConfig } from '../../../runtime/src/config.js';
import { PROTOCOL_VERSION, type ServerMessageOf, type StructuredBatchEvent } from '../../../runtime/src/protocol/index.js';
import { startRuntimeServer, type RuntimeServer } from '../../../runtime/src/server/runtime-server.js';
import { databaseUrl, freshName, kafkaBootstrap } from '../../services/inject.js';
import { TestClient } from './ws-client.js';

const TOKEN = 'classroom-test-token-0123456789';
const LEARNERS = Number(process.env.STREAMLAB_CLASS_SIZE ?? 10);
const LESSON = '03-structured-windows';
/** Lesson 03's data: 45 generated readings and the 3 the lesson talks about. */
const LESSON_RECORDS = 48;
const LESSONS = fileURLToPath(new URL('../../../lessons', import.meta.url));
const SOLUTION = readFileSync(join(LESSONS, LESSON, 'solution.ts'), 'utf8');
const dataDir = mkdtempSync(join(tmpdir(), 'streamlab-classroom-'));
let config: RuntimeConfig;
let server: RuntimeServer;
const clients: TestClient[] = [];

beforeAll(async () => {
  // A prefix of the test's own keeps the class's topics apart from other tests on the shared Kafka.
  config = resolveConfig({ port: 0, token: TOKEN, dataDir, lessonsDir: LESSONS, isolateLearners: true, topicPrefix: `${freshName('class')}.` });
  server = await startRuntimeServer({ config, services: { kafka: kafkaBootstrap(), pg: databaseUrl() } });
});

/** Runs started and not yet seen to end, by client: what they said goes to the log if the test fails there. */
const unfinished = new Map<TestClient, string>();

afterAll(async () => {
  // A run that never read the lesson (the test then fails at its time limit): its statuses and log lines
  // say whether the lesson's data could be prepared or produced.
  for (const [client, runId] of unfinished) {
    console.log(`classroom: run ${runId} did not end; what it said: ${JSON.stringify(client.eventsOf(runId).filter((m) => m.kind !== 'run.batch'))}`);
  }
  await Promise.allSettled(clients.map((c) => c.close()));
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

/** Records read by each of a run's queries, by query id. */
function readByQuery(c: TestClient, runId: string): Map<string, number> {
  const by = new Map<string, number>();
  for (const m of c.messages) {
    if (m.kind !== 'run.batch' || m.runId !== runId) continue;
    const b = m as StructuredBatchEvent;
    by.set(b.progress.id, (by.get(b.progress.id) ?? 0) + b.progress.numInputRows);
  }
  return by;
}

/** True once both of the run's queries have read the whole lesson (or more, which the test then reports). */
const readAll = (c: TestClient, runId: string) => {
  const counts = [...readByQuery(c, runId).values()];
  return counts.length === 2 && counts.every((n) => n >= LESSON_RECORDS);
};

describe(`a class of ${LEARNERS} learners on one shared runtime`, () => {
  it('each runs lesson 03 and checks it at once: every run healthy, every record read once, nothing seen of another learner', async () => {
    const url = `ws://127.0.0.1:${server.port}/ws?token=${TOKEN}`;
    const sessions = await Promise.all(Array.from({ length: LEARNERS }, async () => {
      const client = await TestClient.connect(url);
      clients.push(client);
      const hello = await client.hello(undefined, [PROTOCOL_VERSION]);
      if (hello.kind !== 'hello.ok') throw new Error(JSON.stringify(hello));
      expect(await client.request({ kind: 'lessons.get', lessonId: LESSON })).toMatchObject({ kind: 'lessons.get.ok' });
      return client;
    }));

    const learners = await Promise.all(sessions.map(async (client) => {
      const sent = Date.now();
      const run = await client.request({ kind: 'run.start', lessonId: LESSON, files: [{ path: 'solution.ts', content: SOLUTION }], mode: 'system' });
      if (run.kind !== 'run.start.ok') throw new Error(JSON.stringify(run));
      const check = await client.request({ kind: 'check.run', lessonId: LESSON, files: [{ path: 'solution.ts', content: SOLUTION }] });
      if (check.kind !== 'check.run.ok') throw new Error(JSON.stringify(check));
      const firstBatch = client.waitFor((m) => m.kind === 'run.batch' && m.runId === run.runId).then(() => Date.now() - sent);
      // When the runtime gave the run its slot (the line of runs beyond the cap is behind it).
      const admitted = client.waitFor((m) => m.kind === 'run.status' && m.runId === run.runId && m.state === 'compiling').then(() => Date.now() - sent);
      const ended = client.waitFor((m) => (m.kind === 'run.batch' && m.runId === run.runId && readAll(client, run.runId))
        || (m.kind === 'run.status' && m.runId === run.runId && ['failed', 'finished', 'stopped'].includes(m.state)));
      unfinished.set(client, run.runId);
      void ended.then(() => unfinished.delete(client), () => undefined);
      return { client, runId: run.runId, checkId: check.checkId, firstBatch, admitted, ended };
    }));

    // Each run is stopped once both its queries have read the lesson, which admits the next in line.
    await Promise.all(learners.map(async (l) => {
      const last = await l.ended;
      expect(last.kind, JSON.stringify(l.client.eventsOf(l.runId).filter((m) => m.kind !== 'run.batch').slice(-5))).toBe('run.batch');
      const topics = await l.client.request({ kind: 'topics.list' });
      if (topics.kind !== 'topics.list.ok') throw new Error(JSON.stringify(topics));
      // Only the lesson's two topics, and in the readings only this learner's own play.
      expect(topics.topics.map((t) => t.name)).toEqual(['report', 'sensors.temperature']);
      expect(topics.topics[1]!.endOffsets!.reduce((n, o) => n + Number(o), 0)).toBe(LESSON_RECORDS);
      expect(await l.client.request({ kind: 'run.stop', runId: l.runId })).toMatchObject({ kind: 'run.stop.ok' });
      expect((await l.client.runEnded(l.runId)).state).toBe('stopped');
    }));

    for (const l of learners) {
      const events = l.client.eventsOf(l.runId);
      expect(events.filter((m) => m.kind === 'run.error' || (m.kind === 'run.log' && m.level === 'warn'))).toEqual([]);
      expect(events.filter((m) => m.kind === 'run.status').map((m) => (m as ServerMessageOf<'run.status'>).state).filter((s) => s !== 'queued'))
        .toEqual(['compiling', 'starting', 'running', 'stopping', 'stopped']);
      // Each query read each of the lesson's readings once: no more, no fewer.
      expect([...readByQuery(l.client, l.runId).values()]).toEqual([LESSON_RECORDS, LESSON_RECORDS]);
      for (const m of events) {
        if (m.kind !== 'run.batch') continue;
        // The console query's windows by node_name, the report query's records keyed by it.
        for (const row of (m as StructuredBatchEvent).rows) expect(['sensor-1', 'sensor-2', 'sensor-3']).toContain(row.node_name ?? row.key);
      }
    }

    // Every Check grades the solution in full.
    const results = await Promise.all(learners.map((l) => l.client.waitFor((m) => m.kind === 'check.result' && m.checkId === l.checkId) as Promise<ServerMessageOf<'check.result'>>));
    for (const r of results) {
      expect(r.tests.filter((t) => t.status !== 'passed')).toEqual([]);
      expect(r.score).toBe(r.maxScore);
    }

    // One checkpoint folder per learner for the report query, none shared, none in the lesson's common folder.
    const learnersDir = join(dataDir, 'checkpoints', 'learners');
    const own = readdirSync(learnersDir);
    expect(own).toHaveLength(LEARNERS);
    for (const tag of own) expect(existsSync(join(learnersDir, tag, LESSON, 'tmp', 'checkpoints', 'temperature-report', 'metadata'))).toBe(true);
    expect(existsSync(join(dataDir, 'checkpoints', LESSON))).toBe(false);

    const toFirst = await Promise.all(learners.map((l) => l.firstBatch));
    const inLine = await Promise.all(learners.map((l) => l.admitted));
    const figures = (xs: number[]) => {
      const sorted = [...xs].sort((a, b) => a - b);
      return `p50 ${percentile(sorted, 50)} ms, p99 ${percentile(sorted, 99)} ms`;
    };
    console.log(`classroom: ${LEARNERS} learners, ${config.limits.maxRunsTotal} runs at a time, ${config.limits.maxConcurrentChecks} checks at a time; `
      + `Run → first batch ${figures(toFirst)}; of which in line ${figures(inLine)}; admitted → first batch ${figures(toFirst.map((t, i) => t - inLine[i]!))}`);
  }, 1_800_000);
});
