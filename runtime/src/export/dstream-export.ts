/**
 * A DStream program (the API calls a StreamingContext recorded, see `engine/dstream/dstream-plan.ts`)
 * as PySpark DStream code. Every call maps by name; the functions passed to them are TypeScript, so
 * each becomes a marked stub carrying its source.
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

function seconds(ms: unknown): string {
  return typeof ms === 'number' ? String(ms / 1000) : 'None';
}

/** Renders one StreamingContext's program; `index` numbers several contexts. */
export function dstreamCode(plan: DStreamPlan, index: number, stubs: StubCollector): string[] {
  const ssc = index === 0 ? 'ssc' : `ssc${index + 1}`;
  const v = (id: number) => `stream${index === 0 ? '' : `${index + 1}_`}${id}`;
  const out: string[] = [
    `${ssc} = StreamingContext(spark.sparkContext, ${seconds(plan.batchDurationMs)})`,
  ];
  if (plan.checkpointDir) out.push(`${ssc}.checkpoint(${pyStr(plan.checkpointDir)})`);
  for (const n of plan.nodes) out.push(...nodeCode(n, ssc, v, stubs));
  out.push(`${ssc}.start()`, `${ssc}.awaitTermination()`);
  return out;
}

function fnArgs(n: DStreamPlanNode, stubs: StubCollector): Record<string, string> {
  const names: Record<string, string> = {};
  for (const [param, source] of Object.entries(n.functions)) {
    if (!source) continue;
    names[param] = stubs.add({
      name: pyIdent(`${n.op}_${param}`, 'dstream_fn'),
      where: `${n.op} (DStream call ${n.id + 1})`,
      params: param === 'updateFunc' ? ['new_values', 'state'] : param === 'invFunc' || param === 'invReduceFunc' ? ['a', 'b'] : param === 'filterFunc' ? ['kv'] : (PARAMS[n.op] ?? ['x']),
      source,
    });
  }
  return names;
}

function nodeCode(n: DStreamPlanNode, ssc: string, v: (id: number) => string, stubs: StubCollector): string[] {
  const a = n.args;
  const fns = fnArgs(n, stubs);
  const fnList = Object.values(fns);
  const np = typeof a.numPartitions === 'number' ? [`numPartitions=${a.numPartitions}`] : [];
  const win = a.windowMs !== undefined ? [seconds(a.windowMs), ...(a.slideMs !== undefined && a.slideMs !== null ? [seconds(a.slideMs)] : [])] : [];
  const target = v(n.id);
  const on = n.inputs.map(v);
  switch (n.op) {
    case 'createDirectStream':
      return [`${target} = KafkaUtils.createDirectStream(${ssc}, ${pyValue(a.topics)}, ${pyValue(a.kafkaParams)})`];
    case 'socketTextStream':
      return [`${target} = ${ssc}.socketTextStream(${pyStr(String(a.hostname))}, ${String(a.port)})`];
    case 'queueStream': {
      const rdds = Array.isArray(a.rdds) ? (a.rdds as unknown[]).map((r) => `${ssc}.sparkContext.parallelize(${pyValue(r)})`) : [];
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
    case 'updateStateByKey':
      return [`${target} = ${on[0]}.updateStateByKey(${[...fnList, ...np].join(', ')})`];
    default:
      return [`${target} = ${on[0]}.${n.op}(${[...fnList, ...win, ...np].join(', ')})`];
  }
}
