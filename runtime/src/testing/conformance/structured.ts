/**
 * Runs one Structured Streaming conformance scenario (`"api": "structured"`) through the public API.
 *
 *   build:  a session on a ManualClock at 0 with the scenario's confs; sources → per-source `derived`
 *           (withColumn + expr), `watermark`, `afterWatermark` (selectExpr), `select` → `union` →
 *           `derived`, `watermark`, `afterWatermark` → `where` → `dropDuplicates` (or
 *           `dropDuplicatesWithinWatermark`) → `join` with a static DataFrame → groupBy/agg (a global
 *           `agg` when there is no groupBy) → select and orderBy (orderBy before select when its
 *           columns only exist before) → `having` → writeStream with the sink and trigger
 *   steps:  as in FORMAT.md; `addData` starts the query when needed; `restart` stops and starts again
 *           on the same checkpoint; `processBatch` waits for the trigger loop to go idle (processing-
 *           time, once) or runs one trigger (default); an action that fails is remembered for the next
 *           `expectError`, and an unexpected failure fails the scenario
 *   output: rows are projected to `outputColumns` (by position when the counts match, otherwise by
 *           name, looking into struct columns such as `window.start`); timestamps render as Spark's
 *           strings
 */
import { ManualClock } from '../../engine/clock.js';
import type { Row } from '../../engine/expressions/compile.js';
import { kafkaBatchSourceProvider } from '../../engine/kafka/kafka-batch-source.js';
import { InMemoryKafkaTopics } from '../../engine/kafka/partition-reader.js';
import { kafkaSinkProvider, type KafkaOutputRecord } from '../../engine/kafka/kafka-sink.js';
import { kafkaSourceProvider } from '../../engine/kafka/kafka-source.js';
import type { MemorySink } from '../../engine/sinks/memory-sink.js';
import { intervalMicros } from '../../engine/time.js';
import { parseDataType, StructField, StructType, type DataType } from '../../engine/types.js';
import { renderRows } from '../render.js';
import { functions as F, type Column, type DataFrame, MemoryStream, SparkSession, type StreamingQuery } from '../../streamlab.js';
import { compareRows, type Scenario, type ScenarioResult } from './scenario.js';

type Json = any;

interface Built {
  session: SparkSession;
  clock: ManualClock;
  streams: Map<string, MemoryStream>;
  df: DataFrame;
  batch: boolean;
  console: string[];
  foreach: Map<number, Row[]>;
  foreachSchema: StructType | null;
  kafkaOut: KafkaOutputRecord[];
}

function toSchema(fields: { name: string; type: string }[]): StructType {
  return new StructType(fields.map((f) => new StructField(f.name, parseDataType(f.type))));
}

function inputValue(v: unknown, t: DataType): unknown {
  if (v === null) return null;
  if (t.kind === 'atomic' && (t.name === 'timestamp' || t.name === 'timestamp_ntz') && typeof v === 'number') return new Date(v * 1000);
  return v;
}

function inputRow(r: unknown, schema: StructType): unknown[] {
  const arr = Array.isArray(r) ? r : [r];
  return schema.fields.map((f, i) => inputValue(arr[i], f.dataType));
}

function applyStages(df: DataFrame, q: Json): DataFrame {
  let out = df;
  for (const d of q.derived ?? []) out = out.withColumn(d.name, F.expr(d.expr));
  if (q.watermark) out = out.withWatermark(q.watermark.column, q.watermark.delay);
  if (q.afterWatermark) out = out.selectExpr(...q.afterWatermark);
  return out;
}

/** One source's own stages before the union: `applyStages` and its `select`. */
function applySourceStages(df: DataFrame, q: Json): DataFrame {
  const out = applyStages(df, q);
  return q.select ? out.selectExpr(...q.select) : out;
}

/** `where`, `dropDuplicates` and `join`, in that order, after the watermark stages. */
function applyRowStages(df: DataFrame, q: Json, session: SparkSession): DataFrame {
  let out = df;
  if (q.where) out = out.where(q.where);
  if (q.dropDuplicates) {
    const cols: string[] | undefined = q.dropDuplicates.columns ?? undefined;
    out = q.dropDuplicates.withinWatermark ? out.dropDuplicatesWithinWatermark(cols) : out.dropDuplicates(cols);
  }
  if (q.join) {
    const schema = toSchema(q.join.static.schema);
    const right = session.createDataFrame(q.join.static.rows.map((r: unknown) => inputRow(r, schema)), schema);
    out = out.join(right, q.join.on, q.join.how ?? 'inner');
  }
  return out;
}

/** A column name as is; anything else (e.g. `value % 2`) as a SQL expression. */
/** A scenario column: a plain (dotted) name stays a name, anything else is a SQL expression. */
export function nameOrExpr(c: string): Column | string {
  return c === '*' || /^[A-Za-z_][\w.]*$/.test(c) ? c : F.expr(c);
}

/** A scenario `groupBy` entry: a column, or a `window` / `sessionWindow` spec. */
export function groupColumn(g: Json): Column | string {
  if (typeof g === 'string') return nameOrExpr(g);
  if (g.window) {
    const w = g.window;
    return F.window(w.column, w.duration, w.slide ?? null, w.start ?? null).alias(g.as ?? 'window');
  }
  if (g.sessionWindow) return F.session_window(g.sessionWindow.column, g.sessionWindow.gap).alias(g.as ?? 'session_window');
  throw new Error(`unknown groupBy entry ${JSON.stringify(g)}`);
}

/** A scenario aggregation `{fn, column, as}` as a Column. */
export function aggColumn(a: Json): Column {
  const c = nameOrExpr(a.column ?? '*');
  const fns: Record<string, (x: Column | string) => Column> = {
    count: F.count, sum: F.sum, avg: F.avg, mean: F.avg, min: F.min, max: F.max, first: (x) => F.first(x), last: (x) => F.last(x),
    collect_list: F.collect_list, collect_set: F.collect_set, approx_count_distinct: F.approx_count_distinct, countDistinct: (x) => F.countDistinct(x), count_distinct: (x) => F.countDistinct(x),
  };
  // Any other aggregate function by its SQL name, as the PySpark runner builds every one but count.
  const f = fns[a.fn] ?? (() => F.expr(`${a.fn}(${a.column ?? '*'})`));
  const col = f(c);
  return a.as ? col.alias(a.as) : col;
}

function orderColumns(order: Json[]): Column[] {
  return order.map((o) => (o.desc ? F.col(o.column).desc() : F.col(o.column).asc()));
}

function build(scenario: Scenario, variant: Json): Built {
  const q = variant;
  const clock = new ManualClock(0);
  const console: string[] = [];
  const builder = SparkSession.builder.appName(scenario.id).clock(clock).output((t) => console.push(t));
  for (const [k, v] of Object.entries((scenario.confs as Record<string, string>) ?? {})) builder.config(k, v);
  const session = builder.create();
  const streams = new Map<string, MemoryStream>();
  const kafkaOut: KafkaOutputRecord[] = [];
  const topics = new InMemoryKafkaTopics();
  session.formats
    .registerSink('kafka', kafkaSinkProvider(() => (records) => {
      kafkaOut.push(...records);
    }))
    .registerSource('kafka', kafkaSourceProvider(() => topics, { onNewData: (l) => topics.onProduce(l) }))
    .registerBatchSource('kafka', kafkaBatchSourceProvider(() => topics));
  const sourceDf = (s: Json, name: string): DataFrame => {
    if (s.kind === 'memory') {
      const ms = new MemoryStream(toSchema(s.schema), session);
      streams.set(name, ms);
      return ms.toDF();
    }
    if (s.kind === 'rate') {
      const reader = session.readStream.format('rate');
      for (const [k, v] of Object.entries(s.options ?? {})) reader.option(k, v as string);
      return reader.load();
    }
    if (s.kind === 'static') {
      const schema = toSchema(s.schema);
      return session.createDataFrame(s.rows.map((r: unknown) => inputRow(r, schema)), schema);
    }
    if (s.kind === 'kafka') {
      // All Kafka sources of a scenario read one in-memory cluster; they differ by their options.
      for (const [t, spec] of Object.entries(s.topics as Record<string, { partitions: Record<string, unknown[]> }>)) {
        const parts = Object.keys(spec.partitions).map(Number);
        if ((topics.records(t).length === 0)) {
          topics.createTopic(t, Math.max(...parts) + 1);
          for (const p of parts) for (const v of spec.partitions[String(p)]) topics.produce(t, p, v === null ? null : String(v));
        }
      }
      const reader = session.readStream.format('kafka').option('kafka.bootstrap.servers', 'in-memory');
      for (const [k, v] of Object.entries(s.options ?? {})) reader.option(k, v as string);
      return reader.load();
    }
    throw new Error(`unknown source kind ${s.kind}`);
  };
  let df: DataFrame;
  if (q.sources) {
    const per = new Map<string, DataFrame>();
    for (const s of q.sources) per.set(s.name, applySourceStages(sourceDf(s, s.name), q.perSource?.[s.name] ?? {}));
    const names: string[] = q.union ?? [...per.keys()];
    df = names.map((n) => per.get(n)!).reduce((a, b) => a.union(b));
    df = applyStages(df, q);
  } else {
    df = applyStages(sourceDf(q.source, 'default'), q);
  }
  df = applyRowStages(df, q, session);
  if (q.groupBy) df = df.groupBy(...q.groupBy.map(groupColumn)).agg(...(q.aggregations ?? []).map(aggColumn));
  else if (q.aggregations?.length) df = df.agg(...q.aggregations.map(aggColumn));
  if (q.select && q.orderBy) {
    try {
      df = df.selectExpr(...q.select).orderBy(...orderColumns(q.orderBy));
    } catch {
      df = df.orderBy(...orderColumns(q.orderBy)).selectExpr(...q.select);
    }
  } else if (q.select) df = df.selectExpr(...q.select);
  else if (q.orderBy) df = df.orderBy(...orderColumns(q.orderBy));
  if (q.having) df = df.where(q.having);
  return { session, clock, streams, df, batch: q.execution === 'batch', console, foreach: new Map(), foreachSchema: null, kafkaOut };
}

/** Projects engine rows to the scenario's output columns and JSON-comparable values. */
function project(rows: readonly Row[], schema: StructType, outputColumns: string[] | undefined): unknown[][] {
  return renderRows(rows, schema, outputColumns);
}

function errorMatches(e: unknown, spec: Json): string | null {
  const msg = e instanceof Error ? `${e.message}${e.cause instanceof Error ? ` ${e.cause.message}` : ''}` : String(e);
  const hay = spec.caseInsensitive ? msg.toLowerCase() : msg;
  for (const c of spec.contains ?? []) {
    if (!hay.includes(spec.caseInsensitive ? c.toLowerCase() : c)) return `error "${msg}" does not contain "${c}"`;
  }
  return null;
}

/** Runs a structured scenario; resolves with the first difference instead of throwing. */
export async function runStructuredScenario(scenario: Scenario): Promise<ScenarioResult> {
  try {
    const message = await run(scenario);
    return message === null ? { ok: true } : { ok: false, message };
  } catch (e) {
    return { ok: false, message: `unexpected error: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}` };
  }
}

async function run(scenario: Scenario): Promise<string | null> {
  const query = scenario.query as Json;
  const variants: Json[] = query.cases ? query.cases.map((c: Json) => ({ ...query, ...c, cases: undefined })) : [query];
  let currentCase = 0;
  // A query that fails to build (e.g. a bad window duration) fails "at definition": every later
  // action reports that error, and an expectError step can match it.
  let definitionError: unknown = null;
  let definitionErrorMatched = false;
  const tryBuild = (v: Json): Built => {
    try {
      definitionError = null;
      definitionErrorMatched = false;
      return build(scenario, v);
    } catch (e) {
      definitionError = e;
      return null as unknown as Built;
    }
  };
  let b = tryBuild(variants[0]);
  let q: StreamingQuery | null = null;
  let memorySink: MemorySink | null = null;
  let lastError: unknown = null;
  let expectErrorNext: Json = null;
  let collected: Row[] | null = null;
  let seenBatch = -1;
  let batchCount = 0;
  const checkpoint = `checkpoint-${scenario.id}`;
  const variant = () => variants[currentCase];
  const triggerOf = (t: Json) => {
    const k = t?.kind ?? 'default';
    if (k === 'processingTime') return { processingTime: typeof t.interval === 'string' ? intervalMicros(t.interval) / 1000 : t.interval };
    if (k === 'once') return { once: true };
    if (k === 'availableNow') return { availableNow: true };
    return null;
  };
  let trigger = variant().trigger;

  const start = () => {
    const v = variant();
    const name = `out_${scenario.id.replace(/[^A-Za-z0-9]/g, '_')}`;
    let w = b.df.writeStream.outputMode(v.outputMode ?? 'append').option('checkpointLocation', checkpoint);
    const sinkKind = v.sink?.kind ?? 'memory';
    if (sinkKind === 'foreachBatch') {
      w = w.foreachBatch((df, id) => {
        b.foreachSchema = df.schema;
        b.foreach.set(id, df.collectInternal());
      });
    } else {
      w = w.format(sinkKind).queryName(name);
      for (const [k, val] of Object.entries(v.sink?.options ?? {})) w = w.option(k, val as string);
    }
    const t = triggerOf(trigger);
    if (t) w = w.trigger(t);
    q = w.start();
    q.onBatch(() => {
      batchCount++;
    });
    memorySink = b.session.memorySinks.get(name) ?? null;
  };

  // Runs an action; a failure is kept for the next expectError (or fails the scenario).
  const act = async (f: () => unknown): Promise<string | null> => {
    try {
      if (definitionError) throw definitionError;
      await f();
      return null;
    } catch (e) {
      if (expectErrorNext) {
        const m = errorMatches(e, expectErrorNext);
        expectErrorNext = null;
        return m;
      }
      lastError = e;
      return null;
    }
  };
  const ensureStarted = async () => {
    if (!q && !b.batch) start();
  };
  /** The rows a sink received, by batch: the memory sink, or what foreachBatch collected. */
  const sinkView = (): Pick<MemorySink, 'allRows' | 'batchRows' | 'batchIds' | 'schema'> | null => {
    if (memorySink) return memorySink;
    if (b.foreach.size === 0 && !b.foreachSchema) return null;
    const ids = () => [...b.foreach.keys()].sort((x, y) => x - y);
    const complete = variant().outputMode === 'complete';
    return {
      schema: b.foreachSchema,
      batchIds: ids,
      batchRows: (id: number) => [...(b.foreach.get(id) ?? [])],
      allRows: () => (complete ? [...(b.foreach.get(ids().pop() ?? -1) ?? [])] : ids().flatMap((id) => b.foreach.get(id)!)),
    };
  };
  const sinkRows = (): { rows: Row[]; schema: StructType } => {
    if (b.batch) return { rows: collected ?? [], schema: b.df.schema };
    const s = sinkView();
    return { rows: s?.allRows() ?? [], schema: s?.schema ?? b.df.schema };
  };

  for (const [stepIndex, step] of (scenario.steps as Json[]).entries()) {
    const where = `step ${stepIndex} ${JSON.stringify(step).slice(0, 80)}`;
    if (step.case !== undefined && step.case !== currentCase) {
      if (q) await (q as StreamingQuery).stop().catch(() => undefined);
      currentCase = step.case;
      b = tryBuild(variant());
      q = null;
      memorySink = null;
      lastError = null;
      trigger = variant().trigger;
    }
    if (step.startQuery) {
      if (step.startQuery.trigger) trigger = step.startQuery.trigger;
      const m = await act(async () => {
        // Starting again on the same checkpoint is a restart (Spark's StartStream after StopStream).
        if (q && (q as StreamingQuery).isActive) await (q as StreamingQuery).stop();
        start();
      });
      if (m) return `${where}: ${m}`;
    }
    if (step.addData !== undefined) {
      const m = await act(async () => {
        const data = step.addData;
        if (Array.isArray(data)) {
          const ms = [...b.streams.values()][0];
          ms.addData(data.map((r: unknown) => inputRow(r, ms.schema)));
        } else {
          for (const [name, rows] of Object.entries(data as Record<string, unknown[]>)) {
            const ms = b.streams.get(name)!;
            ms.addData(rows.map((r) => inputRow(r, ms.schema)));
          }
        }
        await ensureStarted();
      });
      if (m) return `${where}: ${m}`;
    }
    if (step.processAllAvailable) {
      const m = await act(async () => {
        await ensureStarted();
        // A processing-time trigger on the manual clock only runs when the clock reaches a tick.
        if ((trigger?.kind ?? 'default') === 'processingTime') await q!.awaitIdle();
        else await q!.processAllAvailable();
      });
      if (m) return `${where}: ${m}`;
    }
    if (step.processBatch) {
      const m = await act(async () => {
        await ensureStarted();
        const k = trigger?.kind ?? 'default';
        if (k === 'default') await q!.runOnce();
        else await q!.awaitIdle();
      });
      if (m) return `${where}: ${m}`;
    }
    if (step.advanceClock) {
      b.clock.advance(intervalMicros(step.advanceClock) / 1000);
      // Like Spark's AdvanceManualClock: wait until the trigger loop waits for the next tick again.
      const m = await act(async () => {
        if (q && (q as StreamingQuery).isActive) await (q as StreamingQuery).awaitIdle();
      });
      if (m) return `${where}: ${m}`;
    }
    if (step.restart) {
      const m = await act(async () => {
        if (q) await q.stop();
        if (step.clearSink) {
          memorySink?.clear();
          b.foreach.clear();
          b.console.length = 0;
          seenBatch = -1;
        }
        start();
      });
      if (m) return `${where}: ${m}`;
    }
    if (step.awaitTermination) {
      const m = await act(() => q?.awaitTermination());
      if (m) return `${where}: ${m}`;
    }
    if (step.collect) {
      const m = await act(() => {
        collected = b.df.collectInternal();
      });
      if (m) return `${where}: ${m}`;
    }
    if (step.expectError && definitionError && !lastError) {
      const m = errorMatches(definitionError, step.expectError);
      if (m) return `${where}: ${m}`;
      definitionErrorMatched = true;
      continue;
    }
    if (step.expectError) {
      if (lastError) {
        const m = errorMatches(lastError, step.expectError);
        // An action that failed because the query did not build has now had its error checked.
        if (lastError === definitionError) definitionErrorMatched = true;
        lastError = null;
        if (m) return `${where}: ${m}`;
      } else {
        expectErrorNext = step.expectError;
      }
    }
    if (lastError && !step.expectError) {
      const next = (scenario.steps as Json[])[stepIndex + 1];
      if (!next?.expectError) {
        const e = lastError as Error;
        return `${where}: unexpected error: ${e?.name}: ${e?.message}`;
      }
    }
    if (step.expect) {
      const sink = sinkView();
      const { rows: all, schema } = sinkRows();
      let rows: Row[];
      if (b.batch || step.mode === 'allRowsSoFar') rows = all;
      else if (step.mode === 'newRowsOfThisBatch') {
        const last = q ? ((q as StreamingQuery).lastProgress?.batchId ?? Math.max(-1, ...(sink?.batchIds() ?? []))) : -1;
        rows = sink ? sink.batchRows(last) : [];
      } else {
        // Spark's memory sink keeps only the latest batch in complete mode (CheckNewAnswer sees that one).
        let ids = (sink?.batchIds() ?? []).filter((id) => id > seenBatch);
        if (variant().outputMode === 'complete') ids = ids.slice(-1);
        rows = ids.flatMap((id) => sink!.batchRows(id));
      }
      const ids = sink?.batchIds() ?? [];
      if (ids.length > 0) seenBatch = Math.max(seenBatch, ...ids);
      const actual = project(rows, schema, variant().outputColumns);
      const m = compareRows(actual, step.expect, step.ordered === true);
      if (m) return `${where}: ${m}`;
    }
    if (step.expectStateRows !== undefined) {
      const n = q ? (q as StreamingQuery).stateRowCount(0) : 0;
      if (n !== step.expectStateRows) return `${where}: expected ${step.expectStateRows} state rows but got ${n}`;
    }
    if (step.expectDroppedByWatermark !== undefined) {
      const p = [...((q as StreamingQuery | null)?.recentProgress ?? [])].reverse().find((x) => x.numInputRows > 0);
      const n = p?.stateOperators[0]?.numRowsDroppedByWatermark ?? 0;
      if (n !== step.expectDroppedByWatermark) return `${where}: expected ${step.expectDroppedByWatermark} rows dropped by watermark but got ${n}`;
    }
    if (step.expectWatermark !== undefined) {
      const wm = (q as StreamingQuery | null)?.lastProgress?.eventTime?.watermark ?? '1970-01-01T00:00:00.000Z';
      if (wm !== step.expectWatermark) return `${where}: expected watermark ${step.expectWatermark} but got ${wm}`;
    }
    if (step.expectEventTimeStats) {
      const p = [...((q as StreamingQuery | null)?.recentProgress ?? [])].reverse().find((x) => x.numInputRows > 0);
      const et = p?.eventTime ?? {};
      for (const k of ['min', 'max', 'avg', 'watermark'] as const) {
        const want = step.expectEventTimeStats[k];
        if (want === undefined) continue;
        const got = et[k] === undefined ? null : Date.parse(et[k]) / 1000;
        if (got !== want) return `${where}: expected event time ${k} ${want} s but got ${got}`;
      }
    }
    if (step.expectForeachBatch) {
      const { batchId, rows } = step.expectForeachBatch;
      const got = b.foreach.get(batchId);
      if (!got) return `${where}: foreachBatch was not called for batch ${batchId}`;
      const m = compareRows(project(got, b.foreachSchema!, variant().outputColumns), rows, false);
      if (m) return `${where}: batch ${batchId}: ${m}`;
    }
    if (step.expectConsole !== undefined) {
      const text = b.console.join('');
      if (text !== step.expectConsole) return `${where}: console text differs:\n--- expected\n${step.expectConsole}\n--- got\n${text}`;
    }
    if (step.expectBatchCount !== undefined && batchCount !== step.expectBatchCount) {
      return `${where}: expected ${step.expectBatchCount} batches but ${batchCount} ran`;
    }
  }
  if (definitionError && !definitionErrorMatched) return `unexpected error at definition: ${(definitionError as Error).message}`;
  if (expectErrorNext) return `expected an error containing ${JSON.stringify(expectErrorNext.contains)} but nothing failed`;
  if (q) await (q as StreamingQuery).stop();
  return null;
}
