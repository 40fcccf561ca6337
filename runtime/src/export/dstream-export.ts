/**
 * A DStream program (the API calls a StreamingContext recorded, see `engine/dstream/dstream-plan.ts`)
 * as PySpark DStream code. Every call maps by name; the functions passed to them are TypeScript, so
 * each becomes a marked stub carrying its source, unless the caller supplies its Python.
 *
 * `KafkaUtils.createDirectStream` is the Spark 2.4 integration (spark-streaming-kafka-0-8, see
 * `versions.ts`): its consumer knows `auto.offset.reset` only as `smallest`/`largest` and treats any
 * other value as `largest`, so the newer names `earliest`/`latest` are written in the old form.
 */
import type { DStreamPlan, DStreamPlanNode } from '../engine/dstream/dstream-plan.js';
import { pyIdent, pyStr, pyValue, type StubCollector } from './python-text.js';

/** Python parameters for the functions each operation takes. */
const PARAMS: Record<string, string[]> = {
  map: ['x'], flatMap: ['x'], filter: ['x'], mapPartitions: ['iterator'], mapPartitionsWithIndex: ['index', 'iterator'],
  mapValues: ['v'], flatMapValues: ['v'], transform: ['rdd'], transformWith: ['rdd_a', 'rdd_b'], reduce: ['a', 'b'],
  reduceByKey: ['a', 'b'], reduceByWindow: ['a', 'b'], reduceByKeyAndWindow: ['a', 'b'], updateStateByKey: ['new_values', 'state'],
  foreachRDD: ['rdd'], combineByKey: ['x'],
};

/** The 0-8 consumer's names for the reset policies. */
const KAFKA08_RESET: Record<string, string> = { earliest: 'smallest', latest: 'largest' };

function seconds(ms: unknown): string {
  return typeof ms === 'number' ? String(ms / 1000) : 'None';
}

/** Whether a DStream program reads Kafka through `KafkaUtils` (and so needs Spark 2.4). */
export function usesKafkaUtils(plan: DStreamPlan): boolean {
  return plan.nodes.some((n) => n.op === 'createDirectStream');
}

/** Options of {@link dstreamStatements}. */
export interface DStreamCodeOptions {
  /** The Python for a function argument (an expression naming a callable), or undefined for a stub. */
  functionCode?: (node: DStreamPlanNode, param: string) => string | undefined;
}

/** Renders one StreamingContext's program; `index` numbers several contexts. */
export function dstreamCode(plan: DStreamPlan, index: number, stubs: StubCollector): string[] {
  const ssc = index === 0 ? 'ssc' : `ssc${index + 1}`;
  const v = (id: number) => `stream${index === 0 ? '' : `${index + 1}_`}${id}`;
  const out: string[] = [
    `${ssc} = StreamingContext(spark.sparkContext, ${seconds(plan.batchDurationMs)})`,
  ];
  if (plan.checkpointDir) out.push(`${ssc}.checkpoint(${pyStr(plan.checkpointDir)})`);
  out.push(...dstreamStatements(plan, ssc, v, stubs));
  out.push(`${ssc}.start()`, `${ssc}.awaitTermination()`);
  return out;
}

/**
 * The program's API calls as Python statements on an existing context `ssc`, one stream variable
 * per call (`stream(id)` names them), without creating, checkpointing or starting the context.
 */
export function dstreamStatements(plan: DStreamPlan, ssc: string, stream: (id: number) => string, stubs: StubCollector, options: DStreamCodeOptions = {}): string[] {
  return plan.nodes.flatMap((n) => nodeCode(n, ssc, stream, stubs, options));
}

function fnArgs(n: DStreamPlanNode, stubs: StubCollector, options: DStreamCodeOptions): Record<string, string> {
  const names: Record<string, string> = {};
  for (const [param, source] of Object.entries(n.functions)) {
    if (!source) continue;
    const given = options.functionCode?.(n, param);
    if (given !== undefined) {
      names[param] = given;
      continue;
    }
    names[param] = stubs.add({
      name: pyIdent(`${n.op}_${param}`, 'dstream_fn'),
      where: `${n.op} (DStream call ${n.id + 1})`,
      params: param === 'updateFunc' ? ['new_values', 'state'] : param === 'invFunc' || param === 'invReduceFunc' ? ['a', 'b'] : param === 'filterFunc' ? ['kv'] : (PARAMS[n.op] ?? ['x']),
      source,
    });
  }
  return names;
}

function nodeCode(n: DStreamPlanNode, ssc: string, v: (id: number) => string, stubs: StubCollector, options: DStreamCodeOptions): string[] {
  const a = n.args;
  const fns = fnArgs(n, stubs, options);
  const fnList = Object.values(fns);
  const np = typeof a.numPartitions === 'number' ? [`numPartitions=${a.numPartitions}`] : [];
  const win = a.windowMs !== undefined ? [seconds(a.windowMs), ...(a.slideMs !== undefined && a.slideMs !== null ? [seconds(a.slideMs)] : [])] : [];
  const target = v(n.id);
  const on = n.inputs.map(v);
  switch (n.op) {
    case 'createDirectStream':
      return [`${target} = KafkaUtils.createDirectStream(${ssc}, ${pyValue(a.topics)}, ${pyValue(kafka08Params(a.kafkaParams))})`];
    case 'socketTextStream':
      return [`${target} = ${ssc}.socketTextStream(${pyStr(String(a.hostname))}, ${String(a.port)})`];
    case 'queueStream': {
      const slices = Array.isArray(a.partitions) ? (a.partitions as unknown[]) : [];
      const rdds = Array.isArray(a.rdds) ? (a.rdds as unknown[]).map((r, i) => `${ssc}.sparkContext.parallelize(${pyValue(r)}${typeof slices[i] === 'number' ? `, ${String(slices[i])}` : ''})`) : [];
      const extra = [...(a.oneAtATime === false ? ['oneAtATime=False'] : []), ...(Array.isArray(a.default) ? [`default=${ssc}.sparkContext.parallelize(${pyValue(a.default)})`] : [])];
      return [`${target} = ${ssc}.queueStream([${rdds.join(', ')}]${extra.map((x) => `, ${x}`).join('')})`];
    }
    case 'inputStream':
      return [`# A custom input (${String(a.name)}) has no PySpark DStream equivalent; replace it with a supported source.`, `${target} = ${ssc}.queueStream([])`];
    case 'union':
      return [on.length === 2 ? `${target} = ${on[0]}.union(${on[1]})` : `${target} = ${ssc}.union(${on.join(', ')})`];
    case 'pprint': case 'print':
      return [`${on[0]}.pprint(${a.num !== undefined ? String(a.num) : ''})`];
    case 'foreachRDD':
      return [`${on[0]}.foreachRDD(${fnList.join(', ')})`];
    case 'join': case 'leftOuterJoin': case 'rightOuterJoin': case 'fullOuterJoin': case 'cogroup': case 'transformWith':
      return [`${target} = ${on[0]}.${n.op}(${[on[1], ...fnList, ...np].filter(Boolean).join(', ')})`];
    case 'reduceByKeyAndWindow': case 'reduceByWindow': {
      // PySpark's order: func, invFunc (None without one), windowDuration, slideDuration, then keywords.
      const func = fns.func ?? fns.reduceFunc;
      const inv = fns.invFunc ?? fns.invReduceFunc ?? 'None';
      const rest = [...np, ...(fns.filterFunc ? [`filterFunc=${fns.filterFunc}`] : [])];
      return [`${target} = ${on[0]}.${n.op}(${[func, inv, ...win, ...rest].join(', ')})`];
    }
    case 'updateStateByKey': {
      const initial = Array.isArray(a.initial) ? [`initialRDD=${ssc}.sparkContext.parallelize(${pyValue(a.initial)})`] : [];
      return [`${target} = ${on[0]}.updateStateByKey(${[...fnList, ...np, ...initial].join(', ')})`];
    }
    default:
      return [`${target} = ${on[0]}.${n.op}(${[...fnList, ...win, ...np].join(', ')})`];
  }
}

/** Kafka parameters as the 0-8 consumer reads them (`auto.offset.reset` in its own words). */
function kafka08Params(params: unknown): unknown {
  if (typeof params !== 'object' || params === null) return params;
  const out: Record<string, unknown> = { ...(params as Record<string, unknown>) };
  const reset = out['auto.offset.reset'];
  if (typeof reset === 'string' && KAFKA08_RESET[reset.toLowerCase()]) out['auto.offset.reset'] = KAFKA08_RESET[reset.toLowerCase()];
  return out;
}
