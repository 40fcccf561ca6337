/**
 * A learner's files on a runtime shared by a class are limited (`limits.workspaceMb`): a Run whose
 * static write or file sink would take the learner's folder over the limit fails with
 * WORKSPACE_LIMIT_EXCEEDED before writing, leaves no part file of it, and another learner's Run on the
 * same runtime still writes its files.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../runtime/src/config.js';
import { PROTOCOL_VERSION } from '../../../runtime/src/protocol/index.js';
import { startRuntimeServer, type RuntimeServer } from '../../../runtime/src/server/runtime-server.js';
import { databaseUrl, freshName, kafkaBootstrap } from '../../services/inject.js';
import { TestClient } from './ws-client.js';

const TOKEN = 'workspace-limit-test-token-0123456789';
const LESSONS = fileURLToPath(new URL('../../../lessons', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'streamlab-workspace-limit-test-'));
const LIMIT_MB = 0.012;
const LIMIT_BYTES = Math.floor(LIMIT_MB * 1024 * 1024);
/** 200 lines of 40 characters: 8200 bytes as text, under the limit; twice that, or their JSON besides them, is over it. */
const LINES = 200;
let server: RuntimeServer;
const clients: TestClient[] = [];

beforeAll(async () => {
  const config = resolveConfig({ port: 0, token: TOKEN, dataDir, lessonsDir: LESSONS, isolateLearners: true, topicPrefix: `${freshName('wslimit')}.`, limits: { workspaceMb: LIMIT_MB } });
  server = await startRuntimeServer({ config, services: { kafka: kafkaBootstrap(), pg: databaseUrl() } });
});

afterAll(async () => {
  await Promise.allSettled(clients.map((c) => c.close()));
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function learner(): Promise<TestClient> {
  const client = await TestClient.connect(`ws://127.0.0.1:${server.port}/ws?token=${TOKEN}`);
  clients.push(client);
  const hello = await client.hello(undefined, [PROTOCOL_VERSION]);
  if (hello.kind !== 'hello.ok') throw new Error(JSON.stringify(hello));
  return client;
}

const learnerFolders = () => readdirSync(join(dataDir, 'checkpoints', 'learners')).sort();

/** Every file under `dir`, by its path from `dir`, with its size. */
function filesUnder(dir: string, prefix = ''): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) Object.assign(out, filesUnder(full, `${prefix}${name}/`));
    else out[`${prefix}${name}`] = statSync(full).size;
  }
  return out;
}

const pipeline = (sinkPath: string) => `import { SparkSession } from "streamlab";
const spark = SparkSession.builder.getOrCreate();
const lines = Array.from({ length: ${LINES} }, (_, i) => ({ value: String(i).padStart(40, "x") }));
void (async () => {
  await spark.createDataFrame(lines, "value STRING").write.text("in");
  console.log("WROTE in");
  try {
    await spark.createDataFrame(lines, "value STRING").write.text("in-again");
    console.log("STATIC wrote in-again");
  } catch (e) {
    console.log("STATIC " + (e as Error).message);
  }
  spark.readStream.text("in").writeStream.format("json").queryName("copy").option("path", "${sinkPath}").option("checkpointLocation", "cp/copy").start();
})();
`;

describe('the size limit of a learner folder', () => {
  it("refuses the write that goes over it, with the limit and how to free space, and leaves another learner's runs alone", async () => {
    const hostile = await learner();
    const run = await hostile.request({ kind: 'run.start', files: [{ path: 'pipeline.ts', content: pipeline('out') }], mode: 'system' });
    if (run.kind !== 'run.start.ok') throw new Error(JSON.stringify(run));
    const runId = run.runId;
    const failed = await hostile.waitFor((m) => (m.kind === 'run.error' && m.runId === runId) || (m.kind === 'run.batch' && m.runId === runId));
    if (failed.kind !== 'run.error') throw new Error(`the sink wrote past the limit: ${failed.kind}`);
    expect(failed.code).toBe('WORKSPACE_LIMIT_EXCEEDED');
    expect(failed.message).toMatch(new RegExp(`^Query copy \\[id = [0-9a-f-]+, runId = [0-9a-f-]+\\] terminated with exception: \\[WORKSPACE_LIMIT_EXCEEDED\\] Writing file:///out/part-00000-[0-9a-f-]+-c000\\.json \\(${LINES * 53} bytes\\) would take your files to [0-9.]+ MB, over this runtime's limit of 0\\.012 MB \\(the files and checkpoints of all your lessons count\\)\\. Nothing was written\\. To free space, forget a lesson's saved state \\(Forget saved state, or checkpoints\\.reset\\), which deletes its files and checkpoints\\.$`));
    const logs = hostile.eventsOf(runId).map((m) => (m.kind === 'run.log' ? m.text : '')).filter((t) => /^(WROTE|STATIC) /.test(t));
    expect(logs).toEqual([
      'WROTE in',
      expect.stringMatching(/^STATIC \[WORKSPACE_LIMIT_EXCEEDED\] Writing file:\/\/\/in-again\/part-00000-[0-9a-f-]+-c000\.txt \(8200 bytes\) would take your files to 0\.016 MB, over this runtime's limit of 0\.012 MB /),
    ]);
    await hostile.runEnded(runId);

    // The folder holds what was written before the limit, and nothing of the refused writes.
    const [hostileId] = learnerFolders();
    const lesson = join(dataDir, 'checkpoints', 'learners', hostileId!, '_scratch');
    const files = filesUnder(lesson);
    const written = Object.keys(files).filter((f) => f.startsWith('in/')).sort();
    expect(written).toHaveLength(2);
    expect(written[0]).toBe('in/_SUCCESS');
    expect(written[1]).toMatch(/^in\/part-00000-[0-9a-f-]+-c000\.txt$/);
    expect(files[written[1]!]).toBe(8200);
    expect(Object.keys(files).filter((f) => f.startsWith('in-again/') || f.startsWith('out/') || f.includes('.tmp'))).toEqual([]);
    const total = Object.values(files).reduce((a, b) => a + b, 0);
    expect(total).toBeLessThanOrEqual(LIMIT_BYTES);

    // Another learner on the same runtime writes its own files: 8200 bytes, which with the first learner's
    // would be over the limit, then a stream's; only its own files count against its limit.
    const other = await learner();
    const small = `import { SparkSession } from "streamlab";
const spark = SparkSession.builder.getOrCreate();
const lines = Array.from({ length: ${LINES} }, (_, i) => ({ value: String(i).padStart(40, "x") }));
void (async () => {
  await spark.createDataFrame(lines, "value STRING").write.text("big");
  await spark.createDataFrame([{ value: "hello" }], "value STRING").write.text("in");
  spark.readStream.text("in").writeStream.format("json").queryName("copy").option("path", "out").option("checkpointLocation", "cp/copy").start();
})();
`;
    const run2 = await other.request({ kind: 'run.start', files: [{ path: 'pipeline.ts', content: small }], mode: 'system' });
    if (run2.kind !== 'run.start.ok') throw new Error(JSON.stringify(run2));
    const batch = await other.waitFor((m) => (m.kind === 'run.error' && m.runId === run2.runId) || (m.kind === 'run.batch' && m.runId === run2.runId));
    expect(batch).toMatchObject({ kind: 'run.batch', batchId: 0 });
    expect(await other.request({ kind: 'run.stop', runId: run2.runId })).toMatchObject({ kind: 'run.stop.ok' });
    expect((await other.runEnded(run2.runId)).state).toBe('stopped');
    const otherId = learnerFolders().find((f) => f !== hostileId)!;
    const out = join(dataDir, 'checkpoints', 'learners', otherId, '_scratch', 'out');
    const parts = readdirSync(out).filter((n) => n.startsWith('part-'));
    expect(parts.map((n) => readFileSync(join(out, n), 'utf8'))).toEqual(['{"value":"hello"}\n']);

  }, 300_000);
});
