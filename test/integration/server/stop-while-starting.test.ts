/**
 * Stop reaches the run the learner sees starting. A learner who presses Run again and then Stop while
 * the new run still compiles (bundling and type-checking take seconds on a busy machine) must be left
 * with nothing running: the new run ends `stopped`, its process never starts and it sends no batch,
 * whatever its compile would have said. Stopped while its process loads, it sends nothing either.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../runtime/src/config.js';
import type { ServerMessageOf } from '../../../runtime/src/protocol/index.js';
import { startRuntimeServer, type RuntimeServer } from '../../../runtime/src/server/runtime-server.js';
import { jobProcesses } from '../../services/job-processes.js';
import { TestClient } from './ws-client.js';

const TOKEN = 'stop-compiling-test-token-0123456789';
let server: RuntimeServer;
let client: TestClient;

beforeAll(async () => {
  server = await startRuntimeServer({ config: resolveConfig({ port: 0, token: TOKEN }), services: {} });
  client = await TestClient.connect(`ws://127.0.0.1:${server.port}/ws?token=${TOKEN}`);
  expect(await client.hello()).toMatchObject({ kind: 'hello.ok' });
});

afterAll(async () => {
  await client?.close();
  await server?.close();
});

/** A batch every second of the system clock, for as long as it runs. */
const TICKS = `import { SparkSession } from "streamlab";

export function main(): void {
  const spark = SparkSession.builder.appName("ticks").getOrCreate();
  spark.readStream.format("rate").option("rowsPerSecond", "1").load()
    .writeStream.format("console").queryName("ticks").start();
}
`;

/** A line as soon as main() runs, and a batch as soon as the query starts. */
const AT_ONCE = `import { SparkSession, MemoryStream } from "streamlab";

export function main(): void {
  console.log("main runs");
  const spark = SparkSession.builder.appName("words").getOrCreate();
  const words = new MemoryStream("word STRING", spark);
  words.addData({ word: "kafka" }, { word: "spark" });
  words.toDF().writeStream.format("console").queryName("words").start();
}
`;

/** The same with a type error: a compile that finishes after Stop would report it. */
const TYPE_ERROR = TICKS.replace('.option("rowsPerSecond", "1")', '.option("rowsPerSecond", "1").withWatermark("timestamp", 30)');

async function start(content: string): Promise<string> {
  const reply = await client.request({ kind: 'run.start', files: [{ path: 'pipeline.ts', content }], mode: 'system' });
  if (reply.kind !== 'run.start.ok') throw new Error(JSON.stringify(reply));
  return reply.runId;
}

const statuses = (runId: string) => client.eventsOf(runId).filter((m): m is ServerMessageOf<'run.status'> => m.kind === 'run.status').map((m) => m.state);
const kinds = (runId: string) => client.eventsOf(runId).map((m) => m.kind);
const firstBatch = (runId: string) => client.waitFor((m) => m.kind === 'run.batch' && m.runId === runId);

describe('Stop while a run starts', () => {
  for (const [name, code] of [['a pipeline that compiles', TICKS], ['a pipeline with a type error', TYPE_ERROR]] as const) {
    it(`run, run again, Stop during the compile of ${name}: the new run ends stopped, with no process and no batch`, async () => {
      const first = await start(TICKS);
      await firstBatch(first);
      // Run again, as the workbench does: the running run stops, the new one starts.
      expect(await client.request({ kind: 'run.stop', runId: first })).toMatchObject({ kind: 'run.stop.ok', runId: first });
      expect((await client.runEnded(first)).state).toBe('stopped');
      const second = await start(code);
      await client.waitFor((m) => m.kind === 'run.status' && m.runId === second && m.state === 'compiling');
      expect(await client.request({ kind: 'run.stop', runId: second })).toMatchObject({ kind: 'run.stop.ok', runId: second });
      expect((await client.runEnded(second)).state).toBe('stopped');
      expect(jobProcesses()).toEqual([]);

      // A third run compiles after the second in the runtime's one type-check queue, so once it sends a
      // batch the second run's compile has long finished: had it gone on, it would have spoken by now.
      const third = await start(TICKS);
      await firstBatch(third);
      expect(statuses(second)).toEqual(['compiling', 'stopped']);
      expect(kinds(second)).toEqual(['run.status', 'run.status']);
      expect(jobProcesses().length).toBe(1);
      expect(await client.request({ kind: 'run.stop', runId: third })).toMatchObject({ kind: 'run.stop.ok', runId: third });
      expect((await client.runEnded(third)).state).toBe('stopped');
      expect(jobProcesses()).toEqual([]);
      expect(kinds(second)).toEqual(['run.status', 'run.status']);
    });
  }

  it('Stop while its process loads: the run ends stopped, and nothing its process did after Stop reaches the learner', async () => {
    // The process reads Stop after it has started the learner's code: main() has printed its line by then,
    // and the learner, who stopped the run before it ran, must not hear it.
    const runId = await start(AT_ONCE);
    await client.waitFor((m) => m.kind === 'run.status' && m.runId === runId && m.state === 'starting');
    expect(await client.request({ kind: 'run.stop', runId })).toMatchObject({ kind: 'run.stop.ok', runId });
    // The reply comes once the process has gone.
    expect(jobProcesses()).toEqual([]);
    expect(statuses(runId)).toEqual(['compiling', 'starting', 'stopping', 'stopped']);
    expect(kinds(runId)).toEqual(['run.status', 'run.status', 'run.status', 'run.status']);
  });
});
