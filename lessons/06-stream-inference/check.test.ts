/**
 * Checks for lesson 06: CSV machine readings go to `kaspar-inputs` batch by batch on a manual clock;
 * the learner's job must answer each one on `kaspar-outputs`, keyed by its id.
 *
 * Inputs: ten rows whose predictions real Spark 3.5.7 computed with the lesson's model
 * (`test/unit/fixtures/ml/spark-predictions.json`, written by `train.py --fixtures`), and rows drawn
 * from a seed that changes every grading run (`STREAMLAB_CHECK_SEED` replays one), with new ids and
 * bad rows of each kind. Expected answers for drawn rows come from the engine's own PipelineModel,
 * which the unit and parity tiers hold equal to Spark's.
 */
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ml, type DataFrame, type SparkSession, type StreamingQuery } from 'streamlab';
import { nodeModelFiles } from '../../runtime/src/connectors/ml/node-model-files.js';
import { readSavedModel } from '../../runtime/src/connectors/ml/saved-model-reader.js';
import { SeededRandom, machineReading } from '../../runtime/src/datagen/index.js';
import { clearSavedModels, provideSavedModel } from '../../runtime/src/engine/ml/saved-model.js';
import { visitPlan } from '../../runtime/src/engine/plan.js';
import { compileSubmission, createCheckHost, type CheckHost, type CompiledSubmission } from '../../runtime/src/lessons/check-host.js';

interface Submission {
  inferences(spark: SparkSession): DataFrame;
  inferencesWithUdf(spark: SparkSession): DataFrame;
  startInference(spark: SparkSession): StreamingQuery;
}

const SEED = Number(process.env.STREAMLAB_CHECK_SEED ?? randomInt(1, 2 ** 31 - 1));
const BAD_ANSWER = 'unreadable features';
type Row = { id: number; line: string; bad?: string };

/** Ten rows with what Spark computed for them (probe ids 0–9 of train.py). */
const SPARK = (JSON.parse(readFileSync(new URL('../../test/unit/fixtures/ml/spark-predictions.json', import.meta.url), 'utf8')) as {
  multinomial: { id: number; raw_features_values: number[]; probability_values: number[]; prediction: number }[];
}).multinomial.slice(0, 10);
const num = (x: number): string => (Number.isInteger(x) ? x.toFixed(1) : String(x));

/** Rows drawn from the seed: new ids, readings like the producer's, and `bad` broken rows of each kind. */
function drawnRows(rnd: SeededRandom, firstId: number, count: number, bad: number): Row[] {
  const rows: Row[] = [];
  const kinds = ['empty field', 'not a number', 'too few fields'];
  const badAt = new Set<number>();
  while (badAt.size < bad) badAt.add(rnd.int(0, count - 1));
  let id = firstId;
  for (let i = 0; i < count; i++) {
    id += rnd.int(1, 9);
    const fields = machineReading(rnd).map(num);
    if (!badAt.has(i)) {
      rows.push({ id, line: [id, ...fields].join(',') });
      continue;
    }
    const kind = kinds[(i + SEED) % 3]!;
    if (kind === 'empty field') fields[rnd.int(0, 3)] = '';
    else if (kind === 'not a number') fields[rnd.int(0, 3)] = rnd.pick(['n/a', 'ERR', 'hot', '--']);
    else fields.splice(rnd.int(1, 3));
    rows.push({ id, line: [id, ...fields].join(','), bad: kind });
  }
  return rows;
}

const rnd = new SeededRandom(SEED);
const FIXED: Row[] = SPARK.map((s) => ({ id: 9000 + s.id, line: [9000 + s.id, ...s.raw_features_values.map(num)].join(',') }));
const GOOD_BATCHES: Row[][] = [FIXED, drawnRows(rnd, 10_000 + rnd.int(0, 5000), 12, 0), drawnRows(rnd, 30_000 + rnd.int(0, 5000), 8, 0)];
const MIXED_BATCHES: Row[][] = [drawnRows(rnd, 50_000 + rnd.int(0, 5000), 10, 3), drawnRows(rnd, 70_000 + rnd.int(0, 5000), 10, 3)];

interface Answer { prediction: number; probability: number[] }
const expected = new Map<number, Answer>();

let submission: CompiledSubmission;
let host: CheckHost | undefined;

beforeAll(async () => {
  provideSavedModel('model', await readSavedModel(nodeModelFiles(), new URL('./model', import.meta.url).pathname));
  submission = await compileSubmission(import.meta.dirname, process.env);
  // Spark's own numbers for the fixed rows; the engine's model (held equal to Spark's) for drawn ones.
  SPARK.forEach((s) => expected.set(9000 + s.id, { prediction: s.prediction, probability: s.probability_values }));
  const reference = await createCheckHost(submission, { startMs: Date.parse('2026-11-21T10:00:00Z'), topics: {} });
  const drawn = [...GOOD_BATCHES.slice(1), ...MIXED_BATCHES].flat().filter((r) => !r.bad);
  const df = reference.spark.createDataFrame(drawn.map((r) => r.line.split(',').map(Number)), 'id INT, temperature DOUBLE, vibration DOUBLE, pressure DOUBLE, rpm DOUBLE');
  for (const r of ml.PipelineModel.load('model').transform(df).collect()) {
    expected.set(r.id as number, { prediction: r.prediction as number, probability: (r.probability as ml.linalg.Vector).toArray() });
  }
  await reference.close();
});

afterAll(() => clearSavedModels());

afterEach(async () => {
  await host?.close();
  host = undefined;
});

/** Plays the batches into kaspar-inputs, 1 s apart; returns the outputs written after each batch. */
async function play(batches: Row[][], start: (s: Submission, spark: SparkSession) => StreamingQuery): Promise<{ key: string | null; value: string | null }[][]> {
  host = await createCheckHost(submission, { startMs: Date.parse('2026-11-21T10:00:00Z'), topics: { 'kaspar-inputs': 1, 'kaspar-outputs': 1 } });
  const query = start(host.load<Submission>(), host.spark);
  const perBatch: { key: string | null; value: string | null }[][] = [];
  let seen = 0;
  for (const batch of batches) {
    host.clock.advance(1000);
    await host.kafka.produceAll('kaspar-inputs', batch.map((r) => ({ key: String(r.id), value: r.line })));
    try {
      await query.processAllAvailable();
    } catch (e) {
      throw new Error(`The query stopped on batch ${perBatch.length} (seed ${SEED}): ${e instanceof Error ? e.message : String(e)}`);
    }
    const all = await host.kafka.records('kaspar-outputs');
    perBatch.push(all.slice(seen).map((r) => ({ key: r.key, value: r.value })));
    seen = all.length;
  }
  return perBatch;
}

const startJob = (s: Submission, spark: SparkSession) => s.startInference(spark);

/** Checks one output against its input; returns a sentence when it is wrong. */
function wrongAnswer(row: Row, out: { key: string | null; value: string | null }, tolerance: number): string | undefined {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(out.value ?? '') as Record<string, unknown>;
  } catch {
    return `the output for input ${row.id} is not JSON: ${out.value}`;
  }
  if (out.key !== String(row.id)) return `the output ${out.value} has key ${out.key}, expected the input's id "${row.id}"`;
  if (row.bad) {
    return JSON.stringify(json) === JSON.stringify({ id: row.id, error: BAD_ANSWER }) ? undefined
      : `input ${row.id} ("${row.line}", ${row.bad}) should be answered {"id":${row.id},"error":"${BAD_ANSWER}"}, got ${out.value}`;
  }
  const want = expected.get(row.id)!;
  const p = json.probability;
  if (json.id !== row.id || json.prediction !== want.prediction || !Array.isArray(p) || p.length !== want.probability.length
    || p.some((x, k) => typeof x !== 'number' || Math.abs(x - want.probability[k]!) > tolerance * Math.max(Math.abs(want.probability[k]!), 1e-300))) {
    return `input ${row.id} ("${row.line}") should be answered ${JSON.stringify({ id: row.id, prediction: want.prediction, probability: want.probability })}, got ${out.value}`;
  }
  return undefined;
}

function checkBatches(batches: Row[][], outputs: { key: string | null; value: string | null }[][], tolerance: number): void {
  batches.forEach((batch, b) => {
    const outs = outputs[b] ?? [];
    const problems: string[] = [];
    for (const row of batch) {
      const mine = outs.filter((o) => o.key === String(row.id) || (o.value ?? '').includes(`"id":${row.id},`) || (o.value ?? '').includes(`"id":${row.id}}`));
      if (mine.length === 0) problems.push(`input ${row.id} ("${row.line}") got no output`);
      else if (mine.length > 1) problems.push(`input ${row.id} got ${mine.length} outputs: ${mine.map((o) => o.value).join(' | ')}`);
      else {
        const w = wrongAnswer(row, mine[0]!, tolerance);
        if (w) problems.push(w);
      }
    }
    const ids = new Set(batch.map((r) => String(r.id)));
    for (const o of outs) if (!ids.has(o.key ?? '') && !batch.some((r) => (o.value ?? '').includes(`"id":${r.id}`))) problems.push(`an output for no input of this batch: key ${o.key}, ${o.value}`);
    expect(problems, `batch ${b} (seed ${SEED})`).toEqual([]);
  });
}

describe('lesson 06: machine-learning inference on a stream', () => {
  it('publishes one JSON record per input to kaspar-outputs, keyed by its id, with the prediction and probabilities Spark computes', async () => {
    checkBatches(GOOD_BATCHES, await play(GOOD_BATCHES, startJob), 1e-15);
  });

  it('answers a bad row (an empty field, not a number, too few fields) with {"id", "error": "unreadable features"} and keeps going', async () => {
    checkBatches(MIXED_BATCHES, await play(MIXED_BATCHES, startJob), 1e-15);
  });

  it('writes nothing for an input that never arrived, and nothing twice', async () => {
    const batches = [GOOD_BATCHES[1]!, [], MIXED_BATCHES[0]!];
    const outputs = await play(batches, startJob);
    expect(outputs.map((o) => o.length), `outputs per batch (seed ${SEED})`).toEqual(batches.map((b) => b.length));
    expect(outputs.flat().map((o) => o.key).sort(), `keys of all outputs (seed ${SEED})`).toEqual(batches.flat().map((r) => String(r.id)).sort());
  });

  it('the UDF variant gives the model\'s predictions and probabilities (to 1e-9) without applying the model', async () => {
    let usesModel = false;
    const outputs = await play(MIXED_BATCHES, (s, spark) => {
      const df = s.inferencesWithUdf(spark);
      visitPlan(df.plan, (p) => {
        if (p.kind === 'ModelTransform') usesModel = true;
      });
      return df.writeStream.format('kafka').option('topic', 'kaspar-outputs').option('checkpointLocation', '/tmp/checkpoints/kaspar-udf').start();
    });
    expect(usesModel, 'inferencesWithUdf applies the PipelineModel instead of computing the probabilities in a UDF').toBe(false);
    checkBatches(MIXED_BATCHES, outputs, 1e-9);
  });
});
