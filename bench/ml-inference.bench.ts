/**
 * Inference throughput: lesson 06's saved PipelineModel (VectorAssembler → StandardScalerModel →
 * multinomial LogisticRegressionModel) applied by the engine and by real PySpark 3.5.7 to the same
 * rows, in the same run, as rows per second and their ratio.
 *
 *   node --import tsx bench/ml-inference.bench.ts [rows] [rounds]
 *
 * Both read the same CSV lines (machine readings from the lesson's seeded generator) already parsed
 * into typed columns, and both compute every output column: the engine collects the transformed
 * rows; Spark (local[2], after a warm-up round) writes them to its `noop` sink. Model loading and
 * JVM start are outside the timings. Both sum the predictions, which must agree.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeModelFiles } from '../runtime/src/connectors/ml/node-model-files.js';
import { readSavedModel } from '../runtime/src/connectors/ml/saved-model-reader.js';
import { machineReading, SeededRandom } from '../runtime/src/datagen/index.js';
import { provideSavedModel } from '../runtime/src/engine/ml/saved-model.js';
import { ml, MemoryStream, SparkSession } from '../runtime/src/streamlab.js';
import { pysparkProblem, pysparkPython } from '../test/parity/pyspark-dist.js';

const ROWS = Number(process.argv[2] ?? 200_000);
const ROUNDS = Number(process.argv[3] ?? 3);
const MODEL = fileURLToPath(new URL('../lessons/06-stream-inference/model', import.meta.url));
const SCHEMA = 'id INT, temperature DOUBLE, vibration DOUBLE, pressure DOUBLE, rpm DOUBLE';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function rows(): number[][] {
  const rnd = new SeededRandom(2026);
  return Array.from({ length: ROWS }, (_, i) => [i, ...machineReading(rnd)]);
}

async function engine(data: number[][]): Promise<{ batch: number[]; stream: number[]; sum: number }> {
  provideSavedModel('model', await readSavedModel(nodeModelFiles(), MODEL));
  const spark = SparkSession.builder.output(() => {}).create();
  const model = ml.PipelineModel.load('model');
  const batch: number[] = [];
  const stream: number[] = [];
  let sum = 0;
  for (let r = 0; r < ROUNDS + 1; r++) {
    const df = model.transform(spark.createDataFrame(data, SCHEMA));
    const t0 = performance.now();
    const out = df.collectInternal();
    const s = (performance.now() - t0) / 1000;
    const predIndex = df.schema.fieldNames().indexOf('prediction');
    sum = out.reduce((a, row) => a + (row[predIndex] as number), 0);
    if (r > 0) batch.push(s);

    // The same rows as a stream: micro-batches of 10,000 through the model to a sink that counts them.
    const input = new MemoryStream(SCHEMA, spark);
    let seen = 0;
    const q = model.transform(input.toDF()).writeStream.foreachBatch((b) => { seen += b.count(); }).start();
    for (let i = 0; i < data.length; i += 10_000) input.addData(...data.slice(i, i + 10_000));
    const t1 = performance.now();
    await q.processAllAvailable();
    const s2 = (performance.now() - t1) / 1000;
    await q.stop();
    if (seen !== data.length) throw new Error(`the stream saw ${seen} rows of ${data.length}`);
    if (r > 0) stream.push(s2);
  }
  return { batch, stream, sum };
}

function pyspark(data: number[][]): { seconds: number[]; sum: number } {
  const problem = pysparkProblem();
  if (problem) throw new Error(`bench: ${problem}`);
  const dir = mkdtempSync(join(tmpdir(), 'streamlab-ml-bench-'));
  try {
    writeFileSync(join(dir, 'rows.csv'), `${data.map((r) => r.join(',')).join('\n')}\n`);
    writeFileSync(join(dir, 'bench.py'), `
import json, sys, time
from pyspark.sql import SparkSession, functions as F
from pyspark.ml import PipelineModel
spark = (SparkSession.builder.master("local[2]").appName("ml-bench").config("spark.ui.enabled", "false")
         .config("spark.ui.showConsoleProgress", "false").config("spark.driver.host", "127.0.0.1").getOrCreate())
spark.sparkContext.setLogLevel("ERROR")
model = PipelineModel.load(sys.argv[2])
rows = spark.read.schema("${SCHEMA}").csv(sys.argv[1]).cache()
rows.count()
out = model.transform(rows)
seconds = []
for r in range(${ROUNDS} + 1):
    t0 = time.perf_counter()
    out.write.format("noop").mode("overwrite").save()
    if r > 0:
        seconds.append(time.perf_counter() - t0)
total = out.agg(F.sum("prediction")).first()[0]
print(json.dumps({"seconds": seconds, "sum": total}))
spark.stop()
`);
    const r = spawnSync(pysparkPython(), [join(dir, 'bench.py'), join(dir, 'rows.csv'), MODEL], {
      encoding: 'utf8', env: { ...process.env, SPARK_LOCAL_IP: '127.0.0.1', PYSPARK_PYTHON: pysparkPython() }, maxBuffer: 64 * 1024 * 1024,
    });
    if (r.status !== 0) throw new Error(`PySpark failed (exit ${r.status}):\n${(r.stderr ?? '').slice(-3000)}`);
    return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { seconds: number[]; sum: number };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const data = rows();
const e = await engine(data);
const s = pyspark(data);
const rate = (sec: number) => Math.round(ROWS / sec);
console.log(`ml-inference: ${ROWS} rows, ${ROUNDS} rounds (medians), lesson 06 model`);
console.log(`  engine, batch DataFrame:       ${rate(median(e.batch)).toLocaleString('en')} rows/s`);
console.log(`  engine, stream of 10k batches: ${rate(median(e.stream)).toLocaleString('en')} rows/s`);
console.log(`  PySpark 3.5.7 local[2]:        ${rate(median(s.seconds)).toLocaleString('en')} rows/s`);
console.log(`  engine / PySpark: ${(median(s.seconds) / median(e.batch)).toFixed(2)} (batch), ${(median(s.seconds) / median(e.stream)).toFixed(2)} (stream)`);
console.log(`  sum of predictions: engine ${e.sum}, PySpark ${s.sum}${e.sum === s.sum ? ' (equal)' : ' (DIFFERENT)'}`);
if (e.sum !== s.sum) process.exit(1);
