/**
 * The parity tier: every pipeline runs on the engine and, exported to PySpark, on real Apache Spark,
 * over the same one-partition Kafka topic with Trigger.AvailableNow and maxOffsetsPerTrigger N, and
 * the batches must match (rows as multisets, doubles to 1e-9 relative). Spark runs once for all
 * pipelines (one Python process, one session). The append-mode flush: the spec scenario ends with a
 * sentinel record (far-future event time) so its last windows close inside the run; the conformance
 * scenarios run on their own data, where both engines must hold back the same unclosed windows.
 * STREAMLAB_PARITY_ONLY (a regular expression over pipeline ids) runs a subset, e.g. the pipelines a
 * change touches; the full tier runs every one.
 */
import { FormatRegistry } from '../../runtime/src/engine/formats.js';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshTopic, kafkaBootstrap } from '../services/inject.js';
import { registerConnectors, type RegisteredConnectors } from '../../runtime/src/connectors/index.js';
import { ManualClock } from '../../runtime/src/engine/clock.js';
import { planNode, type LogicalPlan } from '../../runtime/src/engine/plans/plan.js';
import { DataFrame, SparkSession } from '../../runtime/src/engine/structured/index.js';
import { exportProgramFiles, planChain, POSTGRES_JDBC_VERSION, SPARK_VERSION, StubCollector } from '../../runtime/src/export/index.js';
import { readLearnerFiles } from '../../runtime/src/lessons/submission-files.js';
import { parityLine, plainRows, type BatchLog } from './canonical.js';
import { conformancePipelines } from './conformance-pipelines.js';
import { lessonPipelines, scenarioPipelines, type HeaderRecord, type ParityPipeline } from './pipelines.js';
import { connectorJars, pysparkEnv, pysparkProblem, pysparkPython, sparkPins } from './pyspark-dist.js';
import { createTopicReady } from '../services/create-topic.js';

/** The formats this file's sessions know. */
const formats = FormatRegistry.withBuiltIns();

/** A plan with its Kafka source pointed at the run's topic, read N offsets per trigger. */
function onTopic(plan: LogicalPlan, bootstrap: string, topic: string, n: number): LogicalPlan {
  switch (plan.kind) {
    case 'StreamingRelation': {
      // Options that do not say where or what to read (includeHeaders) stay as the pipeline wrote them.
      // The tier's Kafka has no SASL listener: a lesson's credentials are dropped here (SASL itself is
      // proven against Apache Kafka with SCRAM in the integration tier).
      const kept = Object.fromEntries(Object.entries(plan.options).filter(([k]) => !/^(kafka\.bootstrap\.servers|kafka\.security\.protocol|kafka\.sasl\..*|subscribe|subscribePattern|assign|startingOffsets|maxOffsetsPerTrigger)$/i.test(k)));
      return planNode({ ...plan, options: { ...kept, 'kafka.bootstrap.servers': bootstrap, subscribe: topic, startingOffsets: 'earliest', maxOffsetsPerTrigger: String(n) } });
    }
    case 'LocalRelation': return plan;
    case 'Union': return planNode({ ...plan, children: plan.children.map((c) => onTopic(c, bootstrap, topic, n)) });
    case 'Join': return planNode({ ...plan, left: onTopic(plan.left, bootstrap, topic, n), right: onTopic(plan.right, bootstrap, topic, n) });
    // The expansion holds its own copy of the child: point both at the run's topic.
    case 'ModelTransform': return planNode({ ...plan, child: onTopic(plan.child, bootstrap, topic, n), expanded: onTopic(plan.expanded, bootstrap, topic, n) });
    default: return planNode({ ...plan, child: onTopic(plan.child, bootstrap, topic, n) } as LogicalPlan);
  }
}

/**
 * Writes a pipeline's records in order. Records with headers go through kcat, one record per call:
 * kafkajs takes headers as an object, which cannot keep a repeated key where it was.
 */
async function produceRecords(producer: Producer, bootstrap: string, topic: string, records: readonly (string | HeaderRecord)[]): Promise<void> {
  if (records.every((r) => typeof r === 'string')) {
    await producer.send({ topic, messages: (records as string[]).map((value) => ({ value })) });
    return;
  }
  for (const r of records) {
    const rec = typeof r === 'string' ? { value: r, headers: [] } : r;
    const args = ['-b', bootstrap, '-t', topic, '-P', ...rec.headers.flatMap(([k, v]) => ['-H', v === null ? k : `${k}=${v}`])];
    await new Promise<void>((resolve, reject) => {
      const child = execFile('kcat', args, (error) => (error ? reject(new Error(`parity: kcat could not produce (${error.message}); install kcat`)) : resolve()));
      child.stdin?.end(`${rec.value}\n`);
    });
  }
}

interface Prepared {
  pipeline: ParityPipeline;
  plan: LogicalPlan;
  engine: BatchLog;
  spark?: BatchLog;
}

async function runEngine(spark: SparkSession, p: Prepared): Promise<BatchLog> {
  const batches: BatchLog['batches'] = [];
  try {
    const q = new DataFrame(spark, p.plan).writeStream
      .outputMode(p.pipeline.mode)
      .trigger({ availableNow: true })
      .foreachBatch((df, id) => {
        if (df.plan.kind !== 'LocalRelation') throw new Error('foreachBatch received a non-local batch');
        batches.push({ id, rows: plainRows(df.plan.rows, df.plan.schema) });
      })
      .start();
    await q.awaitTermination();
    return { batches };
  } catch (error) {
    return { batches, error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Runs the manifest on Spark. `cwd` is where Spark resolves relative paths (the JVM's working
 * directory): the lesson folder, for a program that loads the lesson's saved model as "model".
 */
function runPython(manifestPath: string, cwd?: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    let output = '';
    const env = pysparkEnv();
    const child = spawn(pysparkPython(), [fileURLToPath(new URL('./parity-runner.py', import.meta.url)), manifestPath], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

/** The pipelines this run compares: all, or those STREAMLAB_PARITY_ONLY selects. */
const only = process.env.STREAMLAB_PARITY_ONLY ? new RegExp(process.env.STREAMLAB_PARITY_ONLY) : undefined;
const chosen = (id: string) => only === undefined || only.test(id);

describe('parity with Apache Spark', () => {
  const prepared: Prepared[] = [];
  let connectors: RegisteredConnectors;
  let work: string;
  const results: boolean[] = [];

  beforeAll(async () => {
    const problem = pysparkProblem();
    if (problem) throw new Error(`parity: ${problem}`);
    const bootstrap = kafkaBootstrap();
    connectors = registerConnectors(formats, { kafka: { brokers: [bootstrap], clientId: 'parity' } });
    work = mkdtempSync(join(tmpdir(), 'streamlab-parity-'));
    const kafka = new Kafka({ brokers: [bootstrap], clientId: 'parity-setup', logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    const producer = kafka.producer();
    await admin.connect();
    await producer.connect();
    const conformance = conformancePipelines();
    console.log(`parity: conformance scenarios not expressible over one Kafka source: ${conformance.left.map((l) => `${l.id} (${l.why})`).join(', ')}`);
    const pipelines = [...(await lessonPipelines()), ...scenarioPipelines, ...conformance.pipelines].filter((p) => chosen(p.id));
    if (pipelines.length === 0) throw new Error(`parity: STREAMLAB_PARITY_ONLY=${String(only)} selects no pipeline`);
    const session = SparkSession.builder.formats(formats).clock(new ManualClock(0)).getOrCreate();
    try {
      for (const pipeline of pipelines) {
        const topic = freshTopic(`parity-${pipeline.id}`);
        await createTopicReady(admin, topic, 1);
        await produceRecords(producer, bootstrap, topic, pipeline.records);
        const base = pipeline.build(session);
        const plan = onTopic(base instanceof DataFrame ? base.plan : base, bootstrap, topic, pipeline.maxOffsetsPerTrigger);
        const p: Prepared = { pipeline, plan, engine: { batches: [] } };
        p.engine = await runEngine(session, p);
        prepared.push(p);
      }
    } finally {
      await producer.disconnect();
      await admin.disconnect();
      await session.stop();
    }

    const manifest = {
      jars: connectorJars(),
      pipelines: prepared.map((p, i) => {
        const stubs = new StubCollector();
        const chain = planChain(p.plan, { stubs, where: p.pipeline.id });
        return {
          id: p.pipeline.id,
          code: `${stubs.importLines().map((l) => `${l}\n`).join('')}def build(spark):\n    return (\n${chain.map((l) => `        ${l}`).join('\n')}\n    )\n`,

          mode: p.pipeline.mode,
          checkpoint: join(work, `checkpoint-${i}`),
          out: join(work, `result-${i}.json`),
        };
      }),
    };
    const manifestPath = join(work, 'manifest.json');
    writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
    const cwds = [...new Set(prepared.map((p) => p.pipeline.cwd).filter((c) => c !== undefined))];
    if (cwds.length > 1) throw new Error(`parity: one Spark run cannot load models relative to several folders: ${cwds.join(', ')}`);
    const py = await runPython(manifestPath, cwds[0]);
    if (py.code !== 0) throw new Error(`parity: the Spark run failed (exit ${py.code}):\n${py.output.slice(-4000)}`);
    manifest.pipelines.forEach((m, i) => {
      prepared[i]!.spark = JSON.parse(readFileSync(m.out, 'utf8')) as BatchLog;
    });
  }, 540_000);

  afterAll(async () => {
    await connectors?.close();
    if (work) rmSync(work, { recursive: true, force: true });
    if (results.length > 0) console.log(`${results.filter(Boolean).length} passed, ${results.filter((r) => !r).length} failed`);
  });

  it('exports for the Spark version the tier provisions', () => {
    expect([SPARK_VERSION, POSTGRES_JDBC_VERSION]).toEqual([sparkPins.pyspark, sparkPins.postgresJdbc]);
  });

  it('exports every lesson solution as a script the Spark venv\'s Python compiles', async () => {
    const lessons = ['02-dstream-temperature', '03-structured-windows', '04-report-topic-and-output-modes', '06-stream-inference', '07-lambda-architecture'];
    const scripts: string[] = [];
    for (const dir of lessons) {
      const files = (await readLearnerFiles(fileURLToPath(new URL(`../../lessons/${dir}`, import.meta.url)))).filter((f) => f.path !== 'starter.ts');
      const path = join(work, `${dir}.py`);
      writeFileSync(path, (await exportProgramFiles(files, 'solution.ts')).code);
      scripts.push(path);
    }
    const check = await new Promise<{ code: number; output: string }>((resolve) => {
      let output = '';
      const child = spawn(pysparkPython(), ['-m', 'py_compile', ...scripts], { stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.on('data', (d) => { output += d; });
      child.stderr.on('data', (d) => { output += d; });
      child.on('close', (code) => resolve({ code: code ?? 1, output }));
    });
    expect(check).toEqual({ code: 0, output: '' });
  });

  it('covers every lesson pipeline and the Kafka-expressible scenarios', () => {
    expect(prepared.map((p) => p.pipeline.id)).toEqual([
      '03-structured-windows/temperatureWindows',
      // Lesson 03's report query: main() starts it without a function of its own, so it is numbered.
      '03-structured-windows/query2',
      '04-report-topic-and-output-modes/countByOrigin',
      '05-locations-micro-batch-vs-flow/fixes',
      '06-stream-inference/inferences',
      '07-lambda-architecture/speedView',
      ...scenarioPipelines.map((s) => s.id),
      ...['ss-agg-count-complete-restart', 'ss-agg-count-update-restart', 'ss-agg-sort-complete', 'ss-console-default', 'ss-foreachbatch-complete',
        'ss-foreachbatch-update', 'ss-session-window-append', 'ss-watermark-append', 'ss-watermark-complete', 'ss-watermark-raw-timestamp'].map((id) => `conformance/${id}`),
    ].filter(chosen));
  });

  it('sees Spark form the batches it should (rows per batch), so identical means compared', () => {
    // In 03, the 10:00:30 reading of batch 2 still counts (sensor-1's 10:00 window has 4 readings):
    // Spark drops late rows by the previous batch's watermark (10:00:29), not the current (10:01:35).
    expect(prepared.map((p) => [p.pipeline.id, p.spark!.batches.map((b) => b.rows.length)])).toEqual([
      ['03-structured-windows/temperatureWindows', [3, 4, 4, 2, 0]],
      // The report in append mode: each window once, when the watermark passes its end.
      ['03-structured-windows/query2', [0, 0, 3, 4, 0]],
      ['04-report-topic-and-output-modes/countByOrigin', [3, 3]],
      // 20 location fixes, 4 a batch: a stateless projection answers each fix once.
      ['05-locations-micro-batch-vs-flow/fixes', [4, 4, 4, 4, 4]],
      // 24 readings, 4 a batch; every input answered once, bad rows included.
      ['06-stream-inference/inferences', [4, 4, 4, 4, 4, 4]],
      // 29 reports, 4 a batch: each batch updates its countries' current week (batch 3 turns the week over,
      // 03-22 and 03-23, and brings a report four days late); the second Germany 03-17 changes nothing.
      ['07-lambda-architecture/speedView', [2, 2, 2, 3, 2, 2, 2, 1]],
      ['scenario/append-tumbling-watermark-sentinel', [0, 0, 3, 8]],
      ['scenario/update-sliding-window-avg', [2, 3, 3, 4, 3, 0]],
      // Batch 1's 10:01:50 and 10:00:30 readings count (their windows end after batch 0's watermark, 10:00 is
      // judged against 0), batch 2's 10:00:20 is dropped (its window ended before batch 1's watermark, 10:02:10).
      ['scenario/update-late-by-previous-watermark', [3, 3, 2, 0]],
      ['scenario/stateless-projection-filter', [3, 3, 2, 2]],
      ['scenario/complete-global-count-per-key', [3, 3, 3]],
      ['scenario/malformed-json-permissive', [3, 3, 3]],
      ['scenario/json-path-functions', [2, 2, 1]],
      // Complete mode: every key seen so far, each batch (sensor-3 first arrives in the second).
      ['scenario/complete-count-if-statistics', [2, 3, 3, 3, 3]],
      ['scenario/complete-percentile-filter', [3, 3, 3, 3]],
      ['scenario/epoch-seconds-timestamps', [6, 6, 4]],
      ['scenario/include-headers', [2, 2]],
      ['conformance/ss-agg-count-complete-restart', [2, 4, 4]],
      ['conformance/ss-agg-count-update-restart', [2, 3, 1, 1]],
      ['conformance/ss-agg-sort-complete', [2, 3, 4, 4]],
      ['conformance/ss-console-default', [3, 3]],
      ['conformance/ss-foreachbatch-complete', [2]],
      ['conformance/ss-foreachbatch-update', [2, 1]],
      ['conformance/ss-session-window-append', [0, 2, 0, 5]],
      ['conformance/ss-watermark-append', [0, 0, 0, 1]],
      ['conformance/ss-watermark-complete', [1, 2, 2]],
      ['conformance/ss-watermark-raw-timestamp', [0, 1]],
    ].filter(([id]) => chosen(id as string)));
  });

  it('gives identical batches on the engine and on Apache Spark', () => {
    const lines = prepared.map((p) => parityLine(p.pipeline.id, p.engine, p.spark!));
    for (const l of lines) {
      console.log(l.line);
      results.push(l.ok);
    }
    expect(lines.filter((l) => !l.ok).map((l) => l.line)).toEqual([]);
  });
});
