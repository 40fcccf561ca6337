/**
 * Checks for lesson 06: CSV machine readings go to `kaspar-inputs` batch by batch on a manual clock;
 * the learner's job must answer each one on `kaspar-outputs`, keyed by its id.
 *
 * Inputs: ten rows whose predictions real Spark 3.5.7 computed with the lesson's model
 * (`test/unit/fixtures/ml/spark-predictions.json`, written by `train.py --fixtures`), and rows drawn
 * from a seed that changes every grading run (`STREAMLAB_CHECK_SEED` replays one), with new ids and
 * bad rows of each kind. The seed also picks the ten rows' ids and order and how many rows (and bad
 * rows) each batch has, so no answer, id or count can be written down in advance. Expected answers for drawn rows come from the lesson's solution run on the
 * same rows in its own sandbox (its PipelineModel is the engine's, which the unit and parity tiers hold
 * equal to Spark's). The learner's code runs in the sandbox; the lesson's model is handed to it.
 */
import { readFileSync } from 'node:fs';
import { SeededRandom, machineReading } from '../../runtime/src/datagen/index.js';
import { fail, faultLines, lessonChecks, type Fault, type PlanSummary, type Program, type Sandbox } from '../../runtime/src/lessons/check-harness.js';

const { check, submission, solution, seed: SEED, memo } = lessonChecks(import.meta.dirname);
const WORLD = { start: '2026-11-21T10:00:00Z', topics: { 'kaspar-inputs': 1, 'kaspar-outputs': 1 }, models: ['model'] };
const BAD_ANSWER = 'unreadable features';
type Row = { id: number; line: string; bad?: string };
type Output = { key: string | null; value: string | null };

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
/** Where the ids of Spark's ten rows start this run (they arrive in an order of their own): no id or count is the same twice. */
const FIXED_BASE = 100 + rnd.int(0, 8800);
const fixedId = (probe: number) => FIXED_BASE + probe;
const FIXED: Row[] = rnd.shuffle(SPARK.map((s) => ({ id: fixedId(s.id), line: [fixedId(s.id), ...s.raw_features_values.map(num)].join(',') })));
const GOOD_BATCHES: Row[][] = [FIXED, drawnRows(rnd, 10_000 + rnd.int(0, 5000), rnd.int(9, 14), 0), drawnRows(rnd, 30_000 + rnd.int(0, 5000), rnd.int(6, 10), 0)];
const MIXED_BATCHES: Row[][] = [drawnRows(rnd, 50_000 + rnd.int(0, 5000), rnd.int(8, 12), rnd.int(2, 4)), drawnRows(rnd, 70_000 + rnd.int(0, 5000), rnd.int(8, 12), rnd.int(2, 4))];

interface Answer { prediction: number; probability: number[] }

/** Plays the batches into kaspar-inputs, 1 s apart, through the query `start` gives; the outputs after each batch. */
async function play(s: Sandbox, batches: Row[][], start: () => Promise<{ processAllAvailable(): Promise<number> }>, read: () => Promise<Output[]>): Promise<Output[][]> {
  const query = await start();
  const perBatch: Output[][] = [];
  let seen = 0;
  for (const batch of batches) {
    await s.advanceClock(1000);
    await s.addData('kaspar-inputs', batch.map((r) => ({ key: String(r.id), value: r.line })));
    await query.processAllAvailable();
    const all = await read();
    perBatch.push(all.slice(seen));
    seen = all.length;
  }
  return perBatch;
}

/** The outputs of the program's `startInference(spark)` after each batch. */
function startJob(program: Program, batches: Row[][], name: string): Promise<Output[][]> {
  return memo(`${program.label} ${name}`, () => program.run(WORLD, (s) => play(s, batches, () => s.query('startInference', s.spark),
    async () => (await s.records('kaspar-outputs')).map((r) => ({ key: r.key, value: r.value })))));
}

/** Spark's answers for the fixed rows; the lesson's solution's for the rows drawn this run; by id. */
function expectedAnswers(): Promise<Map<number, Answer>> {
  return memo('expected answers', async () => {
    const expected = new Map<number, Answer>();
    SPARK.forEach((s) => expected.set(fixedId(s.id), { prediction: s.prediction, probability: s.probability_values }));
    for (const out of (await startJob(solution, [...GOOD_BATCHES, ...MIXED_BATCHES], 'all')).flat()) {
      const json = JSON.parse(out.value ?? 'null') as { id?: number; prediction?: number; probability?: number[] } | null;
      if (json && typeof json.id === 'number' && typeof json.prediction === 'number' && Array.isArray(json.probability) && !expected.has(json.id)) {
        expected.set(json.id, { prediction: json.prediction, probability: json.probability });
      }
    }
    return expected;
  });
}

/** Checks one output against its input; returns its fault when it is wrong. */
function wrongAnswer(row: Row, out: Output, tolerance: number, expected: Map<number, Answer>): Fault | undefined {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(out.value ?? '') as Record<string, unknown>;
  } catch {
    return { fault: 'the value is not JSON', detail: `the output for input ${row.id} is ${out.value}` };
  }
  if (out.key !== String(row.id)) {
    return { fault: out.key === null ? 'key null instead of the input\'s id' : 'a key that is not the input\'s id', detail: `the output ${out.value} has key ${out.key}, expected the input's id "${row.id}"` };
  }
  if (row.bad) {
    // The two fields in either order: JSON objects are unordered.
    const answered = json !== null && typeof json === 'object' && !Array.isArray(json) && Object.keys(json).sort().join() === 'error,id' && json.id === row.id && json.error === BAD_ANSWER;
    return answered ? undefined : { fault: `a bad row not answered {"id":…,"error":"${BAD_ANSWER}"}`, detail: `input ${row.id} ("${row.line}", ${row.bad}) should be answered {"id":${row.id},"error":"${BAD_ANSWER}"}, got ${out.value}` };
  }
  const want = expected.get(row.id);
  if (!want) return { fault: 'no expected answer (the lesson\'s solution gave none)', detail: `input ${row.id} ("${row.line}")` };
  const p = json.probability;
  if (json.id !== row.id || json.prediction !== want.prediction || !Array.isArray(p) || p.length !== want.probability.length
    || p.some((x, k) => typeof x !== 'number' || Math.abs(x - want.probability[k]!) > tolerance * Math.max(Math.abs(want.probability[k]!), 1e-300))) {
    return { fault: 'not the id, prediction and probabilities Spark computes', detail: `input ${row.id} ("${row.line}") should be answered ${JSON.stringify({ id: row.id, prediction: want.prediction, probability: want.probability })}, got ${out.value}` };
  }
  return undefined;
}

async function checkBatches(batches: Row[][], outputs: Output[][], tolerance: number): Promise<void> {
  const expected = await expectedAnswers();
  const problems: Fault[] = [];
  batches.forEach((batch, b) => {
    const outs = outputs[b] ?? [];
    for (const row of batch) {
      const mine = outs.filter((o) => o.key === String(row.id) || (o.value ?? '').includes(`"id":${row.id},`) || (o.value ?? '').includes(`"id":${row.id}}`));
      if (mine.length === 0) problems.push({ fault: 'an input that got no output', detail: `batch ${b}: input ${row.id} ("${row.line}")` });
      else if (mine.length > 1) problems.push({ fault: 'an input answered more than once', detail: `batch ${b}: input ${row.id} got ${mine.length} outputs: ${mine.map((o) => o.value).join(' | ')}` });
      else {
        const w = wrongAnswer(row, mine[0]!, tolerance, expected);
        if (w) problems.push({ fault: w.fault, detail: `batch ${b}: ${w.detail}` });
      }
    }
    const ids = new Set(batch.map((r) => String(r.id)));
    for (const o of outs) if (!ids.has(o.key ?? '') && !batch.some((r) => (o.value ?? '').includes(`"id":${r.id}`))) problems.push({ fault: 'an output for no input of its batch', detail: `batch ${b}: key ${o.key}, ${o.value}` });
  });
  if (problems.length > 0) {
    fail(`${problems.length} of the answers ${problems.length === 1 ? 'is' : 'are'} wrong (seed ${SEED}):\n${faultLines(problems, 'answers').join('\n')}`);
  }
}

const ONLY_COUNTS = 'This check counts your records and reads their keys; what each record says is checked by answers-every-input and answers-bad-rows.';

const appliesModel = (p: PlanSummary): boolean => p.kind === 'ModelTransform' || p.children.some(appliesModel);

check('answers-every-input', 'publishes one JSON record per input to kaspar-outputs, keyed by its id, with the prediction and probabilities Spark computes', async () => {
  await checkBatches(GOOD_BATCHES, await startJob(submission, GOOD_BATCHES, 'good'), 1e-15);
});

check('answers-bad-rows', 'answers a bad row (an empty field, not a number, too few fields) with {"id", "error": "unreadable features"} and keeps going', async () => {
  await checkBatches(MIXED_BATCHES, await startJob(submission, MIXED_BATCHES, 'mixed'), 1e-15);
});

// One record per input, keyed by its id, and none for a batch that brought nothing: what each record
// says is the business of answers-every-input and answers-bad-rows, which compare every value with
// Spark's answer, so a job that answers each input with anything at all passes this check only.
check('nothing-extra', 'writes nothing for an input that never arrived, and nothing twice', async () => {
  const batches = [GOOD_BATCHES[1]!, [], MIXED_BATCHES[0]!];
  const outputs = await startJob(submission, batches, 'gap');
  const counts = outputs.map((o) => o.length);
  const inputs = batches.map((b) => b.length);
  if (counts.join() !== inputs.join()) fail(`Your job wrote ${counts.join(', ')} outputs in the three batches, which had ${inputs.join(', ')} inputs (seed ${SEED}). ${ONLY_COUNTS}`);
  const keys = outputs.flat().map((o) => o.key ?? 'null').sort();
  const ids = batches.flat().map((r) => String(r.id)).sort();
  if (keys.join() !== ids.join()) fail(`The keys of your outputs are ${keys.join(', ')}; the inputs' ids are ${ids.join(', ')} (seed ${SEED}). ${ONLY_COUNTS}`);
});

check('udf-variant', 'the UDF variant gives the model\'s predictions and probabilities (to 1e-9) without applying the model', async () => {
  const outputs = await submission.run(WORLD, async (s) => {
    const df = await s.dataFrame('inferencesWithUdf', s.spark);
    if (appliesModel(await df.plan())) fail('inferencesWithUdf applies the PipelineModel instead of computing the probabilities in a UDF.');
    const stream = await s.startStream(df, 'append');
    return play(s, MIXED_BATCHES, async () => stream, async () => (await stream.batches()).batches.flatMap((b) => b.rows.map((r) => ({
      key: r.key === null || r.key === undefined ? null : String(r.key), value: r.value === null || r.value === undefined ? null : String(r.value),
    }))));
  });
  await checkBatches(MIXED_BATCHES, outputs, 1e-9);
});
