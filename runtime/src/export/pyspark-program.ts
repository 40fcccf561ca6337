/**
 * A captured program as a PySpark script: the pure half of the export, shared by the CLI, the tests and
 * the job process that runs learner programs for export in the sandbox.
 */
import type { JobModel } from '../jobs/ipc.js';
import type { CapturedProgram } from './capture.js';
import { dstreamCode, usesKafkaUtils } from './dstream-export.js';
import { planChain } from './plan-code.js';
import { pyIdent, pyStr, StubCollector, type Stub } from './python-text.js';
import { queryCode, staticWriteCode } from './structured-export.js';
import { DSTREAM_KAFKA_PYTHON, DSTREAM_KAFKA_SCALA, DSTREAM_KAFKA_SPARK_VERSION, dstreamKafkaSubmitLine, plainSubmitLine, SPARK_SCALA, SPARK_VERSION, sparkSubmitLine } from './versions.js';

/** An exported script. */
export interface PySparkExport {
  /** The Python source. */
  code: string;
  /** Functions left as stubs (empty when the script runs as is). */
  stubs: Stub[];
  /** The `spark-submit` line(s) that run it (two when its parts need different Sparks). */
  submit: string[];
}

/** Options of {@link exportPySpark}. */
export interface ExportOptions {
  /** Shown in the docstring, e.g. `lesson 03-structured-windows`. */
  title?: string;
  /** Saved models the program may load by name (`PipelineModel.load("model")`), decoded. */
  models?: readonly JobModel[];
}

/** Renders a captured program as a PySpark script. */
export function exportPySpark(program: CapturedProgram, options: ExportOptions = {}): PySparkExport {
  const stubs = new StubCollector();
  const named = new Map<string, string>();
  // A function whose plan another one builds on is rendered first, so that the other's chain calls it
  // (`events(spark).groupBy(...)`) and queries call the largest function that built their plan; a
  // sub-plan's chain is shorter than the plan's. The definitions keep the program's order.
  const defsOf: string[][] = [];
  const ordered = program.pipelines
    .map((p, i) => ({ p, i, lines: planChain(p.plan, { stubs: new StubCollector(), where: '' }).length }))
    .sort((a, b) => a.lines - b.lines);
  for (const { p, i } of ordered) {
    const name = pyIdent(p.name, 'pipeline');
    const chain = planChain(p.plan, { stubs, where: `${name}()`, named });
    defsOf[i] = ['', '', `def ${name}(spark):`, '    return (', ...chain.map((l) => `        ${l}`), '    )'];
    named.set(chain.join('\n'), `${name}(spark)`);
  }
  const defs = defsOf.flat();

  const body: string[] = [];
  const helpers: string[] = [];
  const used = new Set<string>(['spark']);
  const variables: string[] = [];
  // The batch layer first: main() made its writes before it started the queries that follow them.
  program.writes.forEach((w, i) => body.push('', ...staticWriteCode(w, i, { stubs, where: '', named }, used)));
  program.queries.forEach((q, i) => {
    const r = queryCode(q, i, { stubs, where: '', named }, used);
    if (r.helpers.length > 0) helpers.push('', '', ...r.helpers);
    body.push('', ...r.statement);
    variables.push(r.variable);
  });
  const dstream: string[] = [];
  program.dstreams.forEach((d, i) => dstream.push('', ...dstreamCode(d, i, stubs)));

  const out: string[] = [];
  out.push('"""');
  out.push(`${options.title ?? program.appName}: exported from Streamlab to PySpark.`);
  out.push('');
  out.push(...runsOn(program).flatMap((l) => l.split('\n')));
  if (program.flows > 0) {
    out.push('', `The program also runs ${program.flows === 1 ? 'a flow' : `${program.flows} flows`} (Pekko Streams), which is not Spark and is not exported.`);
  }
  if ([...stubs.imports.keys()].some((m) => m === 'pyspark.ml' || m.startsWith('pyspark.ml.'))) {
    out.push('', 'It loads saved Spark ML models by the paths the program gives (PipelineModel.load("model")),', 'relative to the working directory: run it next to the model folder, or mount the folder there', '(k8s/spark/ml-inference-sparkapplication.yaml). pyspark.ml needs numpy, and pyspark.ml.functions pandas.');
  }
  out.push('"""');
  if (stubs.stubs.length > 0) {
    out.push(`# STUBS: ${stubs.stubs.length} TypeScript function${stubs.stubs.length === 1 ? ' has' : 's have'} no generated PySpark equivalent and`);
    out.push('# raise NotImplementedError until written (search for "STUB"):');
    for (const s of stubs.stubs) out.push(`#   ${s.name}  (${s.where})`);
  }
  out.push('from pyspark.sql import SparkSession');
  out.push('from pyspark.sql import functions as F');
  if (program.dstreams.length > 0) {
    out.push('from pyspark.streaming import StreamingContext');
    if (program.dstreams.some((d) => d.nodes.some((n) => n.op === 'createDirectStream'))) out.push('from pyspark.streaming.kafka import KafkaUtils');
  }
  out.push(...stubs.importLines());
  out.push(...defs);
  out.push(...helpers);
  out.push(...stubs.render().flatMap((l) => (l === '' ? ['', ''] : [l])));
  out.push('', '');
  out.push(`spark = SparkSession.builder.appName(${pyStr(program.appName)}).getOrCreate()`);
  out.push(...body);
  out.push(...dstream);
  if (variables.length === 1) out.push('', `${variables[0]}.awaitTermination()`);
  else if (variables.length > 1) out.push('', 'spark.streams.awaitAnyTermination()');
  if (program.queries.length === 0 && program.dstreams.length === 0) out.push('', program.writes.length > 0 ? '# The program started no streaming query: its writes above are the whole job.' : '# The program started no streaming query.');
  return { code: `${out.join('\n')}\n`, stubs: stubs.stubs, submit: submitLines(program, 'job.py') };
}

/** The `spark-submit` lines that run a program's export saved as `script`. */
export function submitLines(program: CapturedProgram, script: string): string[] {
  const kafkaDStreams = program.dstreams.some(usesKafkaUtils);
  const structured = program.queries.length > 0;
  const lines: string[] = [];
  if (structured || (!kafkaDStreams && program.dstreams.length === 0)) lines.push(sparkSubmitLine(script));
  if (kafkaDStreams) lines.push(dstreamKafkaSubmitLine(script));
  else if (!structured && program.dstreams.length > 0) lines.push(plainSubmitLine(script));
  return lines;
}

/** The docstring lines that say which Spark runs the script, and how. */
function runsOn(program: CapturedProgram): string[] {
  const structured = program.queries.length > 0;
  const kafkaDStreams = program.dstreams.some(usesKafkaUtils);
  const lines: string[] = [];
  const spark35 = `Apache Spark ${SPARK_VERSION} (Scala ${SPARK_SCALA})`;
  const spark24 = `Apache Spark ${DSTREAM_KAFKA_SPARK_VERSION} (Scala ${DSTREAM_KAFKA_SCALA}, Python ${DSTREAM_KAFKA_PYTHON} or older)`;
  const removed = [
    'Its DStream part reads Kafka with KafkaUtils, the spark-streaming-kafka-0-8 integration. PySpark\'s',
    'KafkaUtils was removed in Spark 3.0 (the 0-10 integration that replaced it has no Python API), so',
    `no Spark 3 runs it as written: it needs Spark ${DSTREAM_KAFKA_SPARK_VERSION}, the last release with it. On Spark 3, rewrite`,
    'it with Structured Streaming (spark.readStream.format("kafka")), as the later lessons do.',
  ];
  if (structured && kafkaDStreams) {
    lines.push(`Its Structured Streaming queries run on ${spark35} with the Kafka connector and the PostgreSQL`, 'JDBC driver:', '', `    ${sparkSubmitLine('job.py')}`, '');
    lines.push(...removed, '', `No single Spark runs both parts; the DStream part alone runs on ${spark24}:`, '', `    ${dstreamKafkaSubmitLine('job.py')}`);
  } else if (kafkaDStreams) {
    lines.push(`Runs on ${spark24} with the Kafka 0.8 integration:`, '', `    ${dstreamKafkaSubmitLine('job.py')}`, '', ...removed.map((l) => l.replace('Its DStream part reads', 'This DStream job reads')));
  } else if (program.dstreams.length > 0 && !structured) {
    lines.push(`Runs on ${spark35}, which still has the DStream API (deprecated since Spark 3.4):`, '', `    ${plainSubmitLine('job.py')}`);
  } else {
    lines.push(`Runs on ${spark35} with the Kafka connector and the PostgreSQL JDBC driver:`, '', `    ${sparkSubmitLine('job.py')}`);
    if (program.dstreams.length > 0) lines.push('', 'Its DStream part uses the DStream API, deprecated since Spark 3.4 but still in Spark 3.5.');
  }
  return lines;
}

