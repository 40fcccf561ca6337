/**
 * The `streamlab` command as a user runs it: real processes, real output, exit codes.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseUrl, freshTopic, kafkaBootstrap } from '../../services/inject.js';

const BIN = fileURLToPath(new URL('../../../runtime/bin/streamlab.js', import.meta.url));
let dir: string;

/** The environment without Streamlab settings or a display, so only flags count. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('STREAMLAB_') && k !== 'DISPLAY' && k !== 'WAYLAND_DISPLAY') env[k] = v;
  return env;
}

function cli(args: string[], stdin?: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...cleanEnv(), ...env }, cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.stdin.end(stdin ?? '');
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'streamlab-cli-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('streamlab start', () => {
  let blocker: Server;
  let busyPort: number;

  beforeAll(async () => {
    blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    busyPort = (blocker.address() as { port: number }).port;
  });

  afterAll(async () => {
    await new Promise((r) => blocker.close(r));
  });

  it('prints exactly one ready line, falls back to a free port, serves /healthz and stops cleanly on SIGINT', async () => {
    const child = spawn(process.execPath, [BIN, 'start', '--no-open', '--port', String(busyPort), '--kafka', kafkaBootstrap(), '--pg', databaseUrl(), '--token', 'cli-test-token-0123'], { env: cleanEnv(), cwd: dir });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const ready = new Promise<string>((resolve) => child.stdout.on('data', (d) => {
      stdout += d;
      if (stdout.includes('\n')) resolve(stdout);
    }));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const line = await ready;
    const match = /^Streamlab ready: http:\/\/127\.0\.0\.1:(\d+)\/\?token=cli-test-token-0123\nInstructor dashboard: http:\/\/127\.0\.0\.1:\1\/instructor\?token=[\w-]+\n$/.exec(line);
    expect(match, line).not.toBe(null);
    const port = Number(match![1]);
    expect(port).not.toBe(busyPort);
    expect(stderr).toContain(`streamlab: port ${busyPort} is taken; using ${port} instead.`);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(await health.json()).toEqual({ status: 'ok' });
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(stdout).toBe(line);
  });

  it('refuses an unknown option with one line and exit code 2', async () => {
    expect(await cli(['start', '--bogus'])).toEqual({ code: 2, stdout: '', stderr: "streamlab start: Unknown option '--bogus'. Try: streamlab start --help\n" });
  });
});

describe('streamlab run', () => {
  it('runs a pipeline headless until idle, with a relative import', async () => {
    writeFileSync(join(dir, 'words.ts'), `import { SparkSession, MemoryStream } from "streamlab";
import { WORDS } from "./data.js";

export function main(): void {
  const spark = SparkSession.builder.appName("words").getOrCreate();
  const words = new MemoryStream("word STRING", spark);
  words.addData(...WORDS.map((word) => ({ word })));
  words.toDF().groupBy("word").count().orderBy("word")
    .writeStream.outputMode("complete").format("console").queryName("counts").start();
}
`);
    writeFileSync(join(dir, 'data.ts'), 'export const WORDS = ["kafka", "spark", "kafka"];\n');
    const result = await cli(['run', 'words.ts', '--until-idle']);
    expect(result).toEqual({
      code: 0,
      stderr: '',
      stdout: [
        '-------------------------------------------', 'Batch: 0', '-------------------------------------------',
        '+-----+-----+', '| word|count|', '+-----+-----+', '|kafka|    2|', '|spark|    1|', '+-----+-----+',
        '[batch 0 counts] 3 input rows, 2 output rows', '',
      ].join('\n'),
    });
  });

  it("plays a lesson's data with --lesson, as Run does, and processes all of it with --until-idle", async () => {
    // A prefix of the test's own keeps the lesson's topics apart from every other user of the shared broker.
    const prefix = `${freshTopic('cli-lesson')}.`;
    const solution = fileURLToPath(new URL('../../../lessons/03-structured-windows/solution.ts', import.meta.url));
    // A data directory of its own: the solution's report query keeps its checkpoint there, so it starts afresh.
    const dataDir = join(dir, 'lesson-run-data');
    const result = await cli(['run', solution, '--lesson', '03-structured-windows', '--kafka', kafkaBootstrap(), '--data-dir', dataDir, '--until-idle'], undefined, { STREAMLAB_TOPIC_PREFIX: prefix });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("streamlab run: playing lesson 03-structured-windows's data: 48 records into sensors.temperature\n");
    // 45 generated readings and the lesson's 3, read by the solution's two queries (the console and the
    // report topic): every reading reaches a batch of each, none twice.
    const inputs = [...result.stdout.matchAll(/^\[batch \d+\] (\d+) input rows, (\d+) output rows, watermark /gm)];
    expect(inputs.length).toBeGreaterThan(0);
    expect(inputs.reduce((n, m) => n + Number(m[1]), 0)).toBe(2 * 48);
    expect(result.stdout).toContain('|node_name|');

    // Again, with the report query's checkpoint from the first run: the data plays from its first record
    // into the emptied topic, so the query starts afresh instead of failing on offsets that are gone.
    const again = await cli(['run', solution, '--lesson', '03-structured-windows', '--kafka', kafkaBootstrap(), '--data-dir', dataDir, '--until-idle'], undefined, { STREAMLAB_TOPIC_PREFIX: prefix });
    expect(again.code).toBe(0);
    expect(again.stderr).toBe([
      "streamlab run: playing lesson 03-structured-windows's data: 48 records into sensors.temperature",
      "streamlab run: emptied sensors.temperature to play the lesson's data from its first record, so the query starts from the beginning too, without the saved state of the last run",
      '',
    ].join('\n'));
    const inputsAgain = [...again.stdout.matchAll(/^\[batch \d+\] (\d+) input rows, (\d+) output rows, watermark /gm)];
    expect(inputsAgain.reduce((n, m) => n + Number(m[1]), 0)).toBe(2 * 48);
  });

  it("runs a DStream lesson with --until-idle until every played record is in a batch, counting each record once", async () => {
    const prefix = `${freshTopic('cli-dstream')}.`;
    const solution = fileURLToPath(new URL('../../../lessons/02-dstream-temperature/solution.ts', import.meta.url));
    const result = await cli(['run', solution, '--lesson', '02-dstream-temperature', '--kafka', kafkaBootstrap(), '--data-dir', join(dir, 'dstream-run-data'), '--until-idle'], undefined, { STREAMLAB_TOPIC_PREFIX: prefix });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("streamlab run: playing lesson 02-dstream-temperature's data: 48 records into sensors.temperature\n");
    // The solution's three jobs each read the topic: a batch line counts the batch's records once, and the
    // run ends only after the batch that holds the last record played.
    const batches = [...result.stdout.matchAll(/^\[batch \d+ [^\]]+\] (\d+) input rows$/gm)];
    expect(batches.length).toBeGreaterThan(0);
    expect(batches.reduce((n, m) => n + Number(m[1]), 0)).toBe(48);
  });

  it('says in one line why a lesson cannot be run', async () => {
    expect(await cli(['run', 'words.ts', '--lesson', 'no-such-lesson', '--kafka', kafkaBootstrap()])).toEqual({ code: 2, stdout: '', stderr: 'streamlab run: No lesson "no-such-lesson".\n' });
  });

  it('keeps checkpoints in the data directory: a second run resumes, --fresh starts over', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'streamlab-cli-checkpoints-'));
    try {
      const topic = freshTopic('cli-resume');
      const kafka = ['--kafka', kafkaBootstrap()];
      expect((await cli(['topics', 'create', topic, ...kafka])).code).toBe(0);
      expect((await cli(['topics', 'produce', topic, 'a', 'b', ...kafka])).code).toBe(0);
      writeFileSync(join(dir, 'resume.ts'), `import { SparkSession } from "streamlab";
const spark = SparkSession.builder.getOrCreate();
spark.readStream.format("kafka").option("kafka.bootstrap.servers", "localhost:9092")
  .option("subscribe", "${topic}").option("startingOffsets", "earliest").load()
  .selectExpr("CAST(value AS STRING) AS value")
  .writeStream.format("console").option("checkpointLocation", "/checkpoints/resume").start();
`);
      const run = async (...more: string[]) => {
        const r = await cli(['run', 'resume.ts', '--until-idle', '--data-dir', dataDir, ...kafka, ...more]);
        return { code: r.code, batches: r.stdout.split('\n').filter((l) => l.startsWith('[batch')), stderr: r.stderr };
      };
      expect(await run()).toEqual({ code: 0, batches: ['[batch 0] 2 input rows, 2 output rows'], stderr: '' });
      expect(existsSync(join(dataDir, 'checkpoints', '_scratch', 'checkpoints', 'resume', 'commits', '0'))).toBe(true);
      expect((await cli(['topics', 'produce', topic, 'c', ...kafka])).code).toBe(0);
      expect(await run()).toEqual({ code: 0, batches: ['[batch 1] 1 input rows, 1 output rows'], stderr: '' });
      expect(await run('--fresh')).toEqual({
        code: 0, batches: ['[batch 0] 3 input rows, 3 output rows'],
        stderr: `streamlab run: forgot the saved state of 1 query (${join(dataDir, 'checkpoints', '_scratch')})\n`,
      });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('exits 1 with the learner position when the pipeline throws', async () => {
    writeFileSync(join(dir, 'broken.ts'), 'const limit = 3;\nif (limit > 2) {\n  throw new Error("limit too high");\n}\n');
    expect(await cli(['run', 'broken.ts'])).toEqual({
      code: 1, stdout: '', stderr: 'broken.ts:3:9: limit too high\n    at broken.ts:3:9\n',
    });
  });
});

describe('streamlab topics', () => {
  it('creates, produces from arguments and stdin, lists and deletes', async () => {
    const topic = freshTopic('cli-topics');
    const kafka = ['--kafka', kafkaBootstrap()];
    expect(await cli(['topics', 'create', topic, ...kafka])).toEqual({ code: 0, stdout: `created ${topic}\n`, stderr: '' });
    expect(await cli(['topics', 'produce', topic, '--key', 's1', 'a', 'b', ...kafka])).toEqual({ code: 0, stdout: `${topic}[0]@0\n${topic}[0]@1\n`, stderr: '' });
    expect(await cli(['topics', 'produce', topic, ...kafka], 'c\nd\n')).toEqual({ code: 0, stdout: `${topic}[0]@2\n${topic}[0]@3\n`, stderr: '' });
    const list = await cli(['topics', 'list', ...kafka]);
    expect(list.code).toBe(0);
    expect(list.stdout.split('\n')).toContain(`${topic}\t1`);
    expect(await cli(['topics', 'delete', topic, ...kafka])).toEqual({ code: 0, stdout: `deleted ${topic}\n`, stderr: '' });
    expect(await cli(['topics', 'delete', topic, ...kafka])).toEqual({ code: 1, stdout: '', stderr: `streamlab topics: Topic "${topic}" does not exist.\n` });
  });
});

describe('streamlab run and topics find the running start of their data directory', () => {
  it('use its Kafka without --kafka, say in one line how to get one when none runs, and forget it once it stops', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'streamlab-cli-data-'));
    const child = spawn(process.execPath, [BIN, 'start', '--no-open', '--port', '0', '--data-dir', dataDir, '--pg', databaseUrl()], { env: cleanEnv(), cwd: dir });
    let stdout = '';
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve) => child.stdout.on('data', (d) => {
      stdout += d;
      if (stdout.includes('Streamlab ready:')) resolve();
    }));
    try {
      const topic = freshTopic('cli-found');
      const at = ['--data-dir', dataDir];
      expect(await cli(['topics', 'create', topic, '--partitions', '2', ...at])).toEqual({ code: 0, stdout: `created ${topic}\n`, stderr: '' });
      expect(await cli(['topics', 'produce', topic, '--key', 's1', '{"n":1}', '{"n":2}', ...at])).toMatchObject({ code: 0 });
      expect((await cli(['topics', 'list', ...at])).stdout.split('\n')).toContain(`${topic}\t2`);
      writeFileSync(join(dir, 'found.ts'), `import { SparkSession, functions as F } from "streamlab";
const spark = SparkSession.builder.getOrCreate();
spark.readStream.format("kafka").option("kafka.bootstrap.servers", "localhost:9092").option("subscribe", "${topic}")
  .option("startingOffsets", "earliest").load()
  .select(F.col("key").cast("string").alias("key"), F.col("value").cast("string").alias("value"))
  .writeStream.format("console").queryName("found").start();
`);
      const run = await cli(['run', 'found.ts', '--until-idle', ...at]);
      expect([run.code, run.stderr]).toEqual([0, '']);
      expect(run.stdout).toContain('[batch 0 found] 2 input rows, 2 output rows');
    } finally {
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
    // Stopped: the state file is gone, and the commands say how to point them at a Kafka.
    const none = `streamlab topics: no Kafka: no running "streamlab start" for the data directory ${dataDir}; start one, or pass --kafka host:port (or set STREAMLAB_KAFKA).\n`;
    expect(await cli(['topics', 'list', '--data-dir', dataDir])).toEqual({ code: 2, stdout: '', stderr: none });
    writeFileSync(join(dir, 'needs-kafka.ts'), `import { SparkSession } from "streamlab";
SparkSession.builder.getOrCreate().readStream.format("kafka").option("subscribe", "x").load().writeStream.format("console").start();
`);
    const run = await cli(['run', 'needs-kafka.ts', '--data-dir', dataDir]);
    expect(run.code).toBe(1);
    expect(run.stderr.trimEnd().split('\n').at(-1)).toBe(none.trimEnd().replace('streamlab topics:', 'streamlab run:'));
    rmSync(dataDir, { recursive: true, force: true });
  }, 600_000);
});
