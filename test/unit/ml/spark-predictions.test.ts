/**
 * The engine's PipelineModel against real Spark: the lesson 06 model (multinomial) and a binary model
 * with a threshold, both trained and saved by PySpark 3.5.7 (`lessons/06-stream-inference/train.py`),
 * loaded here from their folders, and applied to the rows for which that script recorded what Spark
 * computed (`test/unit/fixtures/ml/spark-predictions.json`, regenerated with `train.py --fixtures`).
 *
 * Assembled and scaled vectors must print exactly as Spark printed them, raw predictions must be the
 * same doubles (the engine sums as Spark's Java BLAS does, fused multiply-adds included), and
 * probabilities may differ from Spark's by a few units in the last place only (1e-15 relative: the
 * JVM's `Math.exp` is a JIT intrinsic, not a specified function), and every prediction is the same.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ml, SparkSession } from 'streamlab';
import { nodeModelFiles } from '../../../runtime/src/connectors/ml/node-model-files.js';
import { readSavedModel } from '../../../runtime/src/connectors/ml/saved-model-reader.js';
import { clearSavedModels, provideSavedModel } from '../../../runtime/src/engine/ml/saved-model.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const LESSON_MODEL = `${root}lessons/06-stream-inference/model`;
const BINARY_MODEL = `${root}test/unit/fixtures/ml/binary-model`;

interface SparkRow {
  id: number;
  raw_features: string | null;
  features: string | null;
  rawPrediction: string | null;
  rawPrediction_values: (number | 'NaN')[] | null;
  probability: string | null;
  probability_values: (number | 'NaN')[] | null;
  prediction: number | null;
}
const expected = JSON.parse(readFileSync(`${root}test/unit/fixtures/ml/spark-predictions.json`, 'utf8')) as Record<'multinomial' | 'binary' | 'binary_keep', SparkRow[]>;

/** The same probe rows train.py gave Spark (ids 0–39 from its seeded formula are in the fixture's raw_features). */
function probeRows(rows: SparkRow[]): [number, number | null, number | null, number | null, number | null][] {
  return rows.map((r) => {
    if (r.id === 44) return [44, 71.5, null, 99.0, 1450.0];
    const values = JSON.parse(JSON.stringify(expectedValues(r)));
    return [r.id, values[0], values[1], values[2], values[3]];
  });
}

function expectedValues(r: SparkRow): number[] {
  return (r as unknown as { raw_features_values: number[] }).raw_features_values;
}

function close(actual: number, want: number | 'NaN', tolerance: number): boolean {
  if (want === 'NaN') return Number.isNaN(actual);
  if (actual === want) return true;
  return Math.abs(actual - want) <= tolerance * Math.abs(want);
}

const PROBABILITY_TOLERANCE = 1e-15;
let spark: SparkSession;

beforeAll(async () => {
  provideSavedModel('model', await readSavedModel(nodeModelFiles(), LESSON_MODEL));
  provideSavedModel('binary-model', await readSavedModel(nodeModelFiles(), BINARY_MODEL));
  spark = SparkSession.builder.output(() => {}).create();
});

afterAll(() => clearSavedModels());

function compare(model: ml.PipelineModel, rows: SparkRow[]): void {
  const df = spark.createDataFrame(probeRows(rows), 'id INT, temperature DOUBLE, vibration DOUBLE, pressure DOUBLE, rpm DOUBLE');
  const got = model.transform(df).collect();
  expect(got.map((r) => r.id)).toEqual(rows.map((r) => r.id));
  got.forEach((r, i) => {
    const want = rows[i];
    // Python prints NaN as `nan`; the JVM (and Streamlab, which shows what Spark shows) as `NaN`.
    const jvm = (s: string | null) => s?.replace(/\bnan\b/g, 'NaN');
    expect(String(r.raw_features), `raw_features of ${want.id}`).toBe(jvm(want.raw_features));
    expect(String(r.features), `features of ${want.id}`).toBe(jvm(want.features));
    const raw = (r.rawPrediction as ml.linalg.Vector).toArray();
    const prob = (r.probability as ml.linalg.Vector).toArray();
    expect(raw.every((x, k) => close(x, want.rawPrediction_values![k], 0)), `rawPrediction of ${want.id}: ${String(r.rawPrediction)} vs Spark ${want.rawPrediction}`).toBe(true);
    expect(prob.every((x, k) => close(x, want.probability_values![k], PROBABILITY_TOLERANCE)), `probability of ${want.id}: ${String(r.probability)} vs Spark ${want.probability}`).toBe(true);
    expect(r.prediction, `prediction of ${want.id}`).toBe(want.prediction);
  });
}

describe('PipelineModel.load + transform give what Spark 3.5.7 gave', () => {
  it('loads the lesson model with its stages, params and data', () => {
    const model = ml.PipelineModel.load('model');
    expect(model.stages.map((s) => s.className)).toEqual(['VectorAssembler', 'StandardScalerModel', 'LogisticRegressionModel']);
    const lr = model.stages[2] as ml.classification.LogisticRegressionModel;
    expect([lr.numClasses, lr.numFeatures, lr.isMultinomial]).toEqual([3, 4, true]);
    expect((model.stages[0] as ml.feature.VectorAssembler).getHandleInvalid()).toBe('error');
    expect((model.stages[0] as ml.feature.VectorAssembler).getInputCols()).toEqual(['temperature', 'vibration', 'pressure', 'rpm']);
  });

  it('multinomial: assembles (dense and sparse), scales and predicts every probe row as Spark did', () => {
    compare(ml.PipelineModel.load('model'), expected.multinomial);
  });

  it('binary with threshold 0.3: same margins, probabilities and thresholded predictions as Spark', () => {
    const model = ml.PipelineModel.load('binary-model');
    expect((model.stages[2] as ml.classification.LogisticRegressionModel).getThreshold()).toBe(0.3);
    compare(model, expected.binary);
    // The threshold matters on these rows: some have probability between 0.3 and 0.5.
    expect(expected.binary.some((r) => r.prediction === 1 && (r.probability_values![1] as number) < 0.5)).toBe(true);
  });

  it('handleInvalid "keep" turns a missing value into NaN and NaN probabilities, as Spark does', () => {
    const model = ml.PipelineModel.load('binary-model');
    (model.stages[0] as ml.feature.VectorAssembler).setHandleInvalid('keep');
    compare(model, expected.binary_keep);
  });
});
