/**
 * The DStream programs the parity tier runs on the engine and on real PySpark: the shared DStream
 * conformance scenarios (`test/conformance/public/ds-*`) and every lesson solution that starts a
 * StreamingContext. Each is fed a list of batches: the scenario's `inputBatches`, or for a lesson the
 * Kafka records of its topic, batch by batch. On the engine a lesson reads them with its own
 * `KafkaUtils.createDirectStream` (from in-memory topics, each batch's records arriving during that
 * batch); PySpark 3.5 has no KafkaUtils, so there the same batches come from `queueStream`, one RDD
 * per batch, as they do for the scenarios.
 *
 * The functions a program passes are TypeScript; the PySpark side runs their Python twins, written
 * here by hand and looked up by the function's source (a lesson) or its scenario notation.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ManualClock } from '../../runtime/src/engine/clock.js';
import { InMemoryCheckpointStore } from '../../runtime/src/engine/dstream/checkpoint-store.js';
import type { DStream } from '../../runtime/src/engine/dstream/dstream.js';
import type { DStreamPlanNode } from '../../runtime/src/engine/dstream/dstream-plan.js';
import { Milliseconds } from '../../runtime/src/engine/dstream/duration.js';
import { resetDefaultMemoryTopics } from '../../runtime/src/engine/dstream/memory-topics.js';
import { SparkContext } from '../../runtime/src/engine/dstream/spark-context.js';
import { StreamingContext } from '../../runtime/src/engine/dstream/streaming-context.js';
import { SparkSession } from '../../runtime/src/engine/structured/session.js';
import { captureProgram, captureStarts, compileProgram, evaluateProgram, ProgramTimers } from '../../runtime/src/export/index.js';
import { readLearnerFiles } from '../../runtime/src/lessons/submission-files.js';
import { provideLessonModels } from './lesson-models.js';
import { applyDStreamOp, type DStreamScenario, type DStreamScenarioOp } from '../../runtime/src/testing/conformance/dstream.js';
import { conformanceDir } from './conformance-pipelines.js';
import { temperatureReadings } from './pipelines.js';

/** A DStream program built on the engine, not yet started, with what its PySpark twin needs. */
export interface DStreamProgram {
  ssc: StreamingContext;
  clock: ManualClock;
  /** Called before batch `k` (1-based) runs, at the end of the previous batch: feeds its input. */
  beforeBatch(k: number, zeroMs: number): void;
  /** Per input node id of the plan: the batches PySpark's queueStream serves in its place. */
  queued: Map<number, unknown[][]>;
  /** The Python callable for a function argument of a plan node, or undefined if there is none. */
  python(node: DStreamPlanNode, param: string): string | undefined;
}

/** One DStream pipeline of the tier. */
export interface DStreamParityPipeline {
  id: string;
  /** How many batches both engines run. */
  batches: number;
  build(): Promise<DStreamProgram>;
}

// Scenario JSON is loosely typed by design (see FORMAT.md).
type Json = any;

/**
 * Python for the scenario function notation (FORMAT.md): operator names, and each arrow function the
 * public scenarios use. A new scenario with a new function fails with a message naming it.
 */
const SCENARIO_TWINS: Record<string, string> = {
  '+': '(lambda a, b: a + b)',
  '-': '(lambda a, b: a - b)',
  'operator.add': '(lambda a, b: a + b)',
  'operator.sub': '(lambda a, b: a - b)',
  'x -> (x, 1)': '(lambda x: (x, 1))',
  'kv -> kv[1] > 0': '(lambda kv: kv[1] > 0)',
  '(values, state) -> sum(values) + (state ?? 0)': '(lambda values, state: sum(values) + (state if state is not None else 0))',
  '(vs, s) -> (s || []).concat(vs)': '(lambda vs, s: (s or []) + list(vs))',
};

/**
 * Python for the lesson solutions' functions, by their source as the engine records it (whitespace
 * collapsed). A lesson whose code changes fails with a message naming the function to translate.
 */
const LESSON_TWINS: Record<string, string> = {
  '([, value]) => JSON.parse(value)': '(lambda kv: json.loads(kv[1]))',
  '(r) => [r.node_name, [r.temperature, 1]]': '(lambda r: (r["node_name"], (r["temperature"], 1)))',
  '([sum1, n1], [sum2, n2]) => [sum1 + sum2, n1 + n2]': '(lambda a, b: (a[0] + b[0], a[1] + b[1]))',
  '([sum, n]) => sum / n': '(lambda v: v[0] / v[1])',
  '([sum1, n1], [sum2, n2]) => [sum1 - sum2, n1 - n2]': '(lambda a, b: (a[0] - b[0], a[1] - b[1]))',
  '([, [, n]]) => n > 0': '(lambda kv: kv[1][1] > 0)',
  // Math.round rounds half up; Python's round() rounds half to even.
  '([sum, n]) => Math.round(sum / n * 100) / 100': '(lambda v: __import__("math").floor(v[0] / v[1] * 100 + 0.5) / 100)',
};

/** Engine parameter name → the scenario op key holding that function. */
function scenarioFunction(op: DStreamScenarioOp, param: string): string | null | undefined {
  const direct = op[param];
  if (typeof direct === 'string') return direct;
  if (param === 'f' || param === 'func' || param === 'reduceFunc') return op.func ?? op.fn;
  if (param === 'invReduceFunc') return op.invFunc;
  return undefined;
}

function twin(table: Record<string, string>, source: string, where: string): string {
  const key = source.replace(/\s+/g, ' ').trim();
  const found = table[key];
  if (!found) throw new Error(`DStream parity: no Python twin for ${JSON.stringify(key)} (${where}); add one to test/parity/dstream-pipelines.ts`);
  return found;
}

/** Why a scenario cannot be fed batch by batch, or undefined when it can. */
function unsupported(s: Json): string | undefined {
  if (s.api !== 'dstream') return 'Structured API';
  const inputs = s.steps.filter((st: Json) => 'inputBatches' in st);
  if (inputs.length === 0) return 'no input batches (definition errors only)';
  if (s.steps.some((st: Json) => 'expectError' in st)) return 'expects an error';
  if (inputs.some((st: Json) => st.inputBatches.some((b: unknown) => b === null))) return 'a batch with no RDD (queueStream always has one)';
  return undefined;
}

function scenarioPipeline(s: DStreamScenario): DStreamParityPipeline {
  const q = s.query;
  const batches = s.steps.flatMap((st) => ('inputBatches' in st ? st.inputBatches : [])) as unknown[][];
  const run = s.steps.reduce((n, st) => n + ('runBatches' in st ? st.runBatches : 0), 0);
  // PySpark's test harness parallelizes each batch into 1 partition; Scala's TestSuiteBase uses 2.
  const numPartitions = q.input.numPartitions ?? (q.input.kind === 'queueStream' ? 1 : 2);
  return {
    id: `conformance/${s.id}`,
    batches: run,
    async build() {
      const clock = new ManualClock(0);
      const sc = new SparkContext({ master: 'local[2]' });
      const ssc = new StreamingContext(sc, Milliseconds(q.batchIntervalMs), { clock, semantics: 'pyspark', checkpointStore: new InMemoryCheckpointStore(), stdout: () => undefined });
      if (q.checkpoint) ssc.checkpoint(`checkpoint-${s.id}`);
      let stream: DStream<unknown> = ssc.queueStream(batches.map((b) => sc.parallelize(b, numPartitions)));
      for (const op of q.pipeline) stream = applyDStreamOp(stream, op, sc);
      stream.foreachRDD(() => undefined);
      return {
        ssc,
        clock,
        beforeBatch: () => undefined,
        queued: new Map(),
        python(node, param) {
          const op = q.pipeline[node.id - 1];
          if (!op) return undefined;
          const text = scenarioFunction(op, param);
          if (text === null || text === undefined) return undefined;
          return twin(SCENARIO_TWINS, text, `${s.id}, ${op.op} ${param}`);
        },
      };
    },
  };
}

/** The public DStream scenarios that can run over queued batches, and the others with the reason. */
export function dstreamConformancePipelines(): { pipelines: DStreamParityPipeline[]; left: { id: string; why: string }[] } {
  const pipelines: DStreamParityPipeline[] = [];
  const left: { id: string; why: string }[] = [];
  for (const file of readdirSync(conformanceDir()).filter((f) => f.startsWith('ds-') && f.endsWith('.json')).sort()) {
    const s = JSON.parse(readFileSync(join(conformanceDir(), file), 'utf8'));
    const why = unsupported(s);
    if (why) left.push({ id: s.id, why });
    else pipelines.push(scenarioPipeline(s as DStreamScenario));
  }
  return { pipelines, left };
}

/** One Kafka record of a lesson's input. */
interface KafkaInput {
  key: string | null;
  value: string;
}

/**
 * The batches each lesson topic is fed, in arrival order: the parity sensor readings (one of them
 * measured in an earlier interval than it arrives in) in batches of 5, 5 and 4, then an empty batch.
 */
const LESSON_BATCHES: Record<string, KafkaInput[][]> = {
  // Then quiet batches, so the one-minute windows close and every sensor leaves the sliding window.
  'sensors.temperature': [temperatureReadings.slice(0, 5), temperatureReadings.slice(5, 10), temperatureReadings.slice(10), [], [], [], [], [], [], []].map((b) =>
    b.map((value) => ({ key: (JSON.parse(value) as { node_name: string }).node_name, value })),
  ),
};

const T0 = Date.parse('2026-11-21T10:00:00Z');

function lessonsRoot(): string {
  return fileURLToPath(new URL('../../lessons/', import.meta.url));
}

/** Runs a lesson solution's `main()` far enough to build its StreamingContexts, on a manual clock. */
async function lessonContexts(code: string, dir: string): Promise<{ contexts: StreamingContext[]; clock: ManualClock }> {
  const clock = new ManualClock(T0);
  const previous = SparkSession.getActiveSession();
  SparkSession.builder.appName(`parity-${dir}`).clock(clock).create();
  // main() may print a table every few seconds: its timers stop once its contexts are built.
  const timers = new ProgramTimers();
  try {
    const started = await captureStarts(async () => {
      const exports = evaluateProgram(code, timers);
      if (typeof exports.main === 'function') await (exports.main as () => unknown)();
    });
    return { contexts: started.contexts, clock };
  } finally {
    timers.cancelAll();
    SparkSession.setActive(previous);
  }
}

/** Every lesson solution's StreamingContext, as a pipeline fed from its Kafka topics. */
export async function lessonDStreamPipelines(): Promise<DStreamParityPipeline[]> {
  const out: DStreamParityPipeline[] = [];
  const dirs = readdirSync(lessonsRoot()).filter((d) => /^\d\d-/.test(d)).sort();
  for (const dir of dirs) {
    await provideLessonModels(lessonsRoot(), dir);
    const files = (await readLearnerFiles(join(lessonsRoot(), dir))).filter((f) => f.path !== 'starter.ts');
    const code = await compileProgram(files, 'solution.ts');
    // The exporter's capture, which also knows the Kafka format that Structured queries load.
    const program = await captureProgram(code);
    program.dstreams.forEach((described, index) => {
      const inputs = described.nodes.filter((n) => n.op === 'createDirectStream');
      const topicsOf = (n: DStreamPlanNode) => n.args.topics as string[];
      for (const n of inputs) {
        for (const topic of topicsOf(n)) {
          if (!LESSON_BATCHES[topic]) throw new Error(`DStream parity: no input batches for topic "${topic}" read by ${dir}; add them to test/parity/dstream-pipelines.ts`);
        }
      }
      const batches = Math.max(0, ...inputs.flatMap((n) => topicsOf(n).map((t) => LESSON_BATCHES[t]!.length)));
      out.push({
        id: `${dir}/ssc${index + 1}`,
        batches,
        async build() {
          // A fresh build on fresh in-memory topics, so every run starts from nothing.
          const topics = resetDefaultMemoryTopics();
          const { contexts, clock } = await lessonContexts(code, dir);
          const ssc = contexts[index]!;
          const plan = ssc.describe();
          const queued = new Map<number, unknown[][]>();
          for (const node of plan.nodes.filter((x) => x.op === 'createDirectStream')) {
            const byBatch: unknown[][] = [];
            for (const topic of topicsOf(node)) {
              LESSON_BATCHES[topic]!.forEach((b, i) => (byBatch[i] ??= []).push(...b.map((r) => [r.key, r.value])));
            }
            queued.set(node.id, byBatch);
          }
          const fed = new Set<string>(plan.nodes.filter((x) => x.op === 'createDirectStream').flatMap(topicsOf));
          return {
            ssc,
            clock,
            beforeBatch(k, zeroMs) {
              const arrival = zeroMs + (k - 1) * ssc.batchDurationMs + 1;
              for (const topic of fed) for (const r of LESSON_BATCHES[topic]![k - 1] ?? []) topics.produce(topic, r.value, { key: r.key, arrivalMs: arrival });
            },
            queued,
            python(node, param) {
              const source = node.functions[param];
              return source === undefined ? undefined : twin(LESSON_TWINS, source, `${dir}, ${node.op} ${param}`);
            },
          };
        },
      });
    });
  }
  return out;
}
