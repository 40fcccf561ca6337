/**
 * DStream parity: every DStream pipeline of dstream-pipelines.ts runs on the engine (manual clock,
 * PySpark semantics) and, exported with `dstreamStatements`, on real PySpark 3.5 fed the same batches
 * through queueStream; what reaches each output operation must match batch by batch (rows as
 * multisets, doubles to 1e-9 relative).
 *
 * On PySpark all pipelines share one StreamingContext with a one-second batch, so their durations
 * are scaled by (1 s / their batch): a DStream's results depend on how many batches a window spans,
 * not on seconds. Batches are numbered from the context's zero time on both sides.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DStreamPlanNode } from '../../runtime/src/engine/dstream/dstream-plan.js';
import type { RDD } from '../../runtime/src/engine/dstream/rdd.js';
import { dstreamStatements, StubCollector } from '../../runtime/src/export/index.js';
import { compareBatch, type Plain } from './canonical.js';
import { dstreamConformancePipelines, lessonDStreamPipelines, type DStreamParityPipeline, type DStreamProgram } from './dstream-pipelines.js';
import { pysparkEnv, pysparkProblem, pysparkPython } from './pyspark-dist.js';

/** What reached one output operation at one batch. */
interface OutputLog {
  output: number;
  batch: number;
  rows: Plain[];
}

interface RunLog {
  outputs: OutputLog[];
  error?: string;
}

interface Prepared {
  pipeline: DStreamParityPipeline;
  engine: RunLog;
  code: string;
  spark?: RunLog;
}

const PYSPARK_BATCH_MS = 1000;

/** Runs a built program for its batches, recording what reaches each output operation. */
async function runEngine(pipeline: DStreamParityPipeline, program: DStreamProgram): Promise<RunLog> {
  const { ssc, clock } = program;
  const outputs: OutputLog[] = [];
  const batchMs = ssc.batchDurationMs;
  ssc.graph.outputs.forEach((o, k) => {
    o.run = (t: number, rdd: RDD<unknown>) => {
      outputs.push({ output: k, batch: (t - ssc.graph.zeroTimeMs!) / batchMs, rows: JSON.parse(JSON.stringify(rdd.collect())) as Plain[] });
    };
  });
  try {
    ssc.start();
    const zero = ssc.graph.zeroTimeMs!;
    for (let k = 1; k <= pipeline.batches; k++) {
      program.beforeBatch(k, zero);
      clock.setTime(zero + k * batchMs);
      await ssc.awaitBatchCompleted(zero + k * batchMs);
    }
    return { outputs };
  } catch (error) {
    return { outputs, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  } finally {
    ssc.stop(true, false);
  }
}

/** The program as `def build(ssc, collect)` for the runner: queued input, scaled durations, collecting outputs. */
function pythonBuild(program: DStreamProgram): string {
  const plan = program.ssc.describe();
  const factor = PYSPARK_BATCH_MS / plan.batchDurationMs;
  const scale = (v: unknown) => (typeof v === 'number' ? v * factor : v);
  let outputIndex = 0;
  const outputOf = new Map<number, number>();
  const nodes: DStreamPlanNode[] = plan.nodes.map((n) => {
    const args = { ...n.args, ...('windowMs' in n.args ? { windowMs: scale(n.args.windowMs) } : {}), ...('slideMs' in n.args ? { slideMs: scale(n.args.slideMs) } : {}) };
    const queued = program.queued.get(n.id);
    if (queued) return { ...n, op: 'queueStream', args: { rdds: queued } };
    if (n.kind === 'output') {
      outputOf.set(n.id, outputIndex++);
      return { ...n, op: 'foreachRDD', args: {}, functions: { func: 'collect' } };
    }
    return { ...n, args };
  });
  const stubs = new StubCollector();
  const lines = dstreamStatements({ ...plan, nodes }, 'ssc', (id) => `s${id}`, stubs, {
    functionCode: (node, param) => (node.kind === 'output' ? `collect(${outputOf.get(node.id)})` : program.python(node, param)),
  });
  if (stubs.stubs.length > 0) throw new Error(`DStream parity: functions without a Python twin: ${stubs.stubs.map((s) => s.where).join(', ')}`);
  return `def build(ssc, collect):\n${lines.map((l) => `    ${l}`).join('\n')}\n`;
}

function runPython(manifestPath: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    let output = '';
    const env = pysparkEnv();
    const child = spawn(pysparkPython(), [fileURLToPath(new URL('./dstream-runner.py', import.meta.url)), manifestPath], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

/** The PARITY line for one pipeline: identical, or the first batch that differs. */
function dstreamParityLine(p: Prepared): { ok: boolean; line: string } {
  const id = p.pipeline.id;
  const spark = p.spark!;
  if (p.engine.error) return { ok: false, line: `PARITY ${id}: the engine failed: ${p.engine.error}` };
  if (spark.error) return { ok: false, line: `PARITY ${id}: PySpark failed: ${spark.error}` };
  const key = (o: OutputLog) => `${o.batch}/${o.output}`;
  const engine = new Map(p.engine.outputs.map((o) => [key(o), o]));
  const py = new Map(spark.outputs.map((o) => [key(o), o]));
  const keys = [...new Set([...engine.keys(), ...py.keys()])].sort((a, b) => {
    const [ba, oa] = a.split('/').map(Number);
    const [bb, ob] = b.split('/').map(Number);
    return ba! - bb! || oa! - ob!;
  });
  for (const k of keys) {
    const e = engine.get(k);
    const s = py.get(k);
    const [batch, output] = k.split('/');
    if (!e || !s) return { ok: false, line: `PARITY ${id}: differs at batch ${batch}: output ${output} ran on ${e ? 'the engine' : 'PySpark'} only` };
    const d = compareBatch(e.rows, s.rows);
    if (d) return { ok: false, line: `PARITY ${id}: differs at batch ${batch} (output ${output}): ${d}` };
  }
  return { ok: true, line: `PARITY ${id}: identical (${p.pipeline.batches} batches, ${keys.length} outputs)` };
}

describe('DStream parity with PySpark', () => {
  const prepared: Prepared[] = [];
  let work: string;
  const results: boolean[] = [];

  beforeAll(async () => {
    const problem = pysparkProblem();
    if (problem) throw new Error(`parity: ${problem}`);
    work = mkdtempSync(join(tmpdir(), 'streamlab-dstream-parity-'));
    const conformance = dstreamConformancePipelines();
    console.log(`parity: DStream scenarios not expressible over queued batches: ${conformance.left.map((l) => `${l.id} (${l.why})`).join(', ')}`);
    const pipelines = [...(await lessonDStreamPipelines()), ...conformance.pipelines];
    for (const pipeline of pipelines) {
      // Two builds: one exported for PySpark, one run (a run leaves its graph stopped).
      const code = pythonBuild(await pipeline.build());
      const engine = await runEngine(pipeline, await pipeline.build());
      prepared.push({ pipeline, engine, code });
    }
    const out = join(work, 'result.json');
    const manifest = {
      batchSeconds: PYSPARK_BATCH_MS / 1000,
      batches: Math.max(...prepared.map((p) => p.pipeline.batches)),
      checkpoint: join(work, 'checkpoint'),
      out,
      pipelines: prepared.map((p) => ({ id: p.pipeline.id, code: p.code })),
    };
    const manifestPath = join(work, 'manifest.json');
    writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
    const py = await runPython(manifestPath);
    if (py.code !== 0) throw new Error(`parity: the PySpark run failed (exit ${py.code}):\n${py.output.slice(-4000)}`);
    const result = JSON.parse(readFileSync(out, 'utf8')) as { pipelines: Record<string, RunLog>; error?: string };
    if (result.error) throw new Error(`parity: a PySpark streaming job failed: ${result.error}`);
    for (const p of prepared) {
      const log = result.pipelines[p.pipeline.id]!;
      p.spark = { ...log, outputs: log.outputs.filter((o) => o.batch <= p.pipeline.batches) };
    }
  }, 1_800_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
    if (results.length > 0) console.log(`${results.filter(Boolean).length} passed, ${results.filter((r) => !r).length} failed`);
  });

  it('covers every lesson StreamingContext and the DStream scenarios that take batches', () => {
    expect(prepared.map((p) => [p.pipeline.id, p.pipeline.batches])).toEqual([
      ['02-dstream-temperature/ssc1', 10],
      ['conformance/ds-count-by-window', 6],
      ['conformance/ds-py-rbkw-none-invfunc', 12],
      ['conformance/ds-py-update-state-by-key', 5],
      ['conformance/ds-py-window-count', 7],
      ['conformance/ds-rbkw-inverse-key-removed', 4],
      ['conformance/ds-rbkw-key-removed', 4],
      ['conformance/ds-rbkw-larger-slide', 8],
      ['conformance/ds-update-state-by-key-initial', 6],
      ['conformance/ds-update-state-by-key', 6],
      ['conformance/ds-window-basic', 6],
      ['conformance/ds-window-larger', 8],
      ['conformance/ds-window-non-overlapping', 6],
      ['conformance/ds-window-tumbling', 6],
    ]);
  });

  it('sees PySpark produce output at the batches it should (rows per output), so identical means compared', () => {
    // batch:rows of each output, e.g. the temperature job's three sensors per batch, then an empty batch.
    const shape = prepared.map((p) => [p.pipeline.id, p.spark!.outputs.map((o) => `${o.batch}:${o.rows.length}`).join(' ')]);
    expect(shape).toEqual([
      // Per batch: the batch averages (3 sensors, then none), the one-minute window (3 sensors at batch 6
      // only), the sliding window (3 sensors until all of them left it at batch 9) and countByWindow.
      ['02-dstream-temperature/ssc1', '1:3 1:3 1:1 2:3 2:3 2:1 3:3 3:3 3:1 4:0 4:3 4:1 5:0 5:3 5:1 6:0 6:3 6:3 6:1 7:0 7:3 7:1 8:0 8:3 8:1 9:0 9:0 9:1 10:0 10:0 10:1'],
      ['conformance/ds-count-by-window', '1:1 2:1 3:1 4:1 5:1 6:0'],
      ['conformance/ds-py-rbkw-none-invfunc', '2:1 4:1 6:1 8:1 10:1 12:1'],
      ['conformance/ds-py-update-state-by-key', '1:1 2:1 3:1 4:1 5:1'],
      ['conformance/ds-py-window-count', '1:1 2:1 3:1 4:1 5:1 6:1 7:1'],
      ['conformance/ds-rbkw-inverse-key-removed', '1:1 2:1 3:1 4:0'],
      ['conformance/ds-rbkw-key-removed', '1:1 2:1 3:1 4:0'],
      ['conformance/ds-rbkw-larger-slide', '2:1 4:1 6:1 8:1'],
      ['conformance/ds-update-state-by-key-initial', '1:2 2:3 3:3 4:3 5:3 6:3'],
      ['conformance/ds-update-state-by-key', '1:1 2:2 3:3 4:3 5:3 6:3'],
      ['conformance/ds-window-basic', '1:1 2:2 3:2 4:2 5:2 6:2'],
      ['conformance/ds-window-larger', '2:2 4:4 6:4 8:2'],
      ['conformance/ds-window-non-overlapping', '3:2 6:2'],
      ['conformance/ds-window-tumbling', '2:2 4:2 6:2'],
    ]);
  });

  it('gives identical outputs, batch by batch, on the engine and on PySpark', () => {
    const lines = prepared.map(dstreamParityLine);
    for (const l of lines) {
      console.log(l.line);
      results.push(l.ok);
    }
    expect(lines.filter((l) => !l.ok).map((l) => l.line)).toEqual([]);
  });
});
