/**
 * A Structured Streaming query (plan + writer settings) as PySpark: the `writeStream` chain with
 * output mode, trigger, sink and options. Sinks PySpark has no format for become what a person
 * would write: PostgreSQL through `foreachBatch` with Spark's JDBC writer, the learner's own
 * `foreachBatch`/`foreach` functions as marked stubs.
 */
import type { Trigger } from '../engine/structured/streaming-query.js';
import type { QuerySpec, StaticWrite } from './capture.js';
import { planChain, type PlanContext } from './plan-code.js';
import { pyIdent, pyStr, type StubCollector } from './python-text.js';

/** The JDBC driver class Spark loads for PostgreSQL. */
export const POSTGRES_DRIVER = 'org.postgresql.Driver';

/** A trigger as PySpark keyword arguments, or undefined for the default trigger. */
export function triggerCode(t: Trigger): string | undefined {
  switch (t.kind) {
    case 'default': return undefined;
    case 'processingTime': return `.trigger(processingTime=${pyStr(millisText(t.intervalMs))})`;
    case 'once': return '.trigger(once=True)';
    case 'availableNow': return '.trigger(availableNow=True)';
    case 'continuous': return `.trigger(continuous=${pyStr(millisText(t.intervalMs))})`;
  }
}

function millisText(ms: number): string {
  if (ms % 60_000 === 0) return `${ms / 60_000} minute${ms === 60_000 ? '' : 's'}`;
  if (ms % 1000 === 0) return `${ms / 1000} second${ms === 1000 ? '' : 's'}`;
  return `${ms} milliseconds`;
}

/** A `jdbc:postgresql://` URL for a `postgres://` one (Spark's JDBC writer wants the former). */
export function jdbcUrl(url: string): string {
  if (url.startsWith('jdbc:')) return url;
  const m = /^postgres(?:ql)?:\/\/(?:([^:@/]+)(?::([^@/]*))?@)?([^/?]+)(\/[^?]*)?(\?.*)?$/.exec(url);
  if (!m) return url;
  const params = new URLSearchParams(m[5] ? m[5].slice(1) : '');
  if (m[1]) params.set('user', decodeURIComponent(m[1]));
  if (m[2]) params.set('password', decodeURIComponent(m[2]));
  const q = params.toString();
  return `jdbc:postgresql://${m[3]}${m[4] ?? '/'}${q ? `?${q}` : ''}`;
}

/** The rendered query: helper definitions it needs, then the statement that starts it. */
export interface QueryCode {
  /** Python definitions to place before the query (e.g. a foreachBatch JDBC writer). */
  helpers: string[];
  /** `name = (...)` statement lines. */
  statement: string[];
  /** The Python variable holding the started query. */
  variable: string;
}

/** Renders one query. `index` numbers unnamed queries; `used` keeps variable names unique. */
export function queryCode(q: QuerySpec, index: number, ctx: PlanContext & { stubs: StubCollector }, used: Set<string>): QueryCode {
  let variable = q.queryName ? pyIdent(q.queryName, `query${index + 1}`) : index === 0 ? 'query' : `query${index + 1}`;
  while (used.has(variable)) variable = `${variable}_`;
  used.add(variable);
  const where = q.queryName ? `query "${q.queryName}"` : `query ${index + 1}`;
  const helpers: string[] = [];
  const chain = planChain(q.plan, { ...ctx, where });
  const lines = [...chain, '.writeStream', `.outputMode(${pyStr(q.outputMode)})`];
  const options = { ...q.options };
  const fmt = q.format.toLowerCase();
  if (fmt === 'postgres' || fmt === 'jdbc') {
    const fn = `write_${variable}_to_postgres`;
    const url = options.url ? jdbcUrl(options.url) : 'jdbc:postgresql://localhost:5432/postgres';
    const table = options.dbtable ?? options.table ?? 'output';
    helpers.push(
      `def ${fn}(batch_df, batch_id):`,
      `    """Appends each micro-batch to PostgreSQL table ${table} with Spark's JDBC writer."""`,
      '    (',
      '        batch_df.write',
      '        .format("jdbc")',
      `        .option("url", ${pyStr(url)})`,
      `        .option("driver", ${pyStr(POSTGRES_DRIVER)})`,
      `        .option("dbtable", ${pyStr(table)})`,
      ...['user', 'password'].filter((k) => options[k] !== undefined).map((k) => `        .option(${pyStr(k)}, ${pyStr(options[k]!)})`),
      '        .mode("append")',
      '        .save()',
      '    )',
    );
    if (options.primaryKey) {
      helpers.splice(2, 0, `    # Streamlab upserts on (${options.primaryKey}) once per batch id; Spark's JDBC writer only appends.`);
    }
    for (const k of ['url', 'dbtable', 'table', 'user', 'password', 'primaryKey']) delete options[k];
    lines.push(`.foreachBatch(${fn})`);
  } else if (fmt === 'foreachbatch' && q.jdbcWrite) {
    // The function only writes the batch with the JDBC writer: the same write in Python.
    const w = q.jdbcWrite;
    const fn = `write_${variable}_to_postgres`;
    const props = Object.entries(w.properties).map(([k, v]) => `${pyStr(k)}: ${pyStr(v)}`).join(', ');
    helpers.push(
      `def ${fn}(batch_df, batch_id):`,
      `    """Writes each micro-batch to PostgreSQL table ${w.table} (mode ${w.mode}) with Spark's JDBC writer."""`,
      `    batch_df.write.jdbc(url=${pyStr(jdbcUrl(w.url))}, table=${pyStr(w.table)}, mode=${pyStr(w.mode)}, properties={${props}})`,
    );
    lines.push(`.foreachBatch(${fn})`);
  } else if (fmt === 'foreachbatch') {
    const fnName = q.batchFunction?.name ? pyIdent(q.batchFunction.name, 'process_batch') : 'process_batch';
    const name = ctx.stubs.add({ name: fnName, where: `foreachBatch of ${where}`, params: ['batch_df', 'batch_id'], source: String(q.batchFunction ?? '') });
    lines.push(`.foreachBatch(${name})`);
  } else if (fmt === 'foreach') {
    const w = q.foreachWriter;
    const source = typeof w === 'function' ? String(w) : describeWriter(w);
    const name = ctx.stubs.add({ name: 'process_row', where: `foreach of ${where}`, params: ['row'], source });
    lines.push(`.foreach(${name})`);
  } else {
    lines.push(`.format(${pyStr(q.format)})`);
  }
  for (const [k, v] of Object.entries(options)) lines.push(`.option(${pyStr(k)}, ${pyStr(v)})`);
  if (q.queryName) lines.push(`.queryName(${pyStr(q.queryName)})`);
  const trig = triggerCode(q.trigger);
  if (trig) lines.push(trig);
  lines.push(q.path !== undefined ? `.start(${pyStr(q.path)})` : '.start()');
  return { helpers, statement: [`${variable} = (`, ...lines.map((l) => `    ${l}`), ')'], variable };
}

/**
 * A static write (`df.write…save()`, `write.jdbc(…)`) as PySpark: the DataFrame's chain, then its
 * writer with the format, mode and options the code gave (a JDBC URL in Spark's `jdbc:` form).
 */
export function staticWriteCode(w: StaticWrite, index: number, ctx: PlanContext & { stubs: StubCollector }, used: Set<string>): string[] {
  let variable = w.format === 'jdbc' && w.options.dbtable ? pyIdent(w.options.dbtable, 'batch') : `batch_${index + 1}`;
  while (used.has(variable)) variable = `${variable}_${index + 1}`;
  used.add(variable);
  const chain = planChain(w.plan, { ...ctx, where: `the write of ${variable}` });
  const options = { ...w.options };
  if (w.format === 'jdbc' && options.url) options.url = jdbcUrl(options.url);
  const writer = [
    `${variable}.write`,
    `.format(${pyStr(w.format)})`,
    `.mode(${pyStr(w.mode === 'default' ? 'errorifexists' : w.mode)})`,
    ...Object.entries(options).map(([k, v]) => `.option(${pyStr(k)}, ${pyStr(v)})`),
    w.path !== undefined ? `.save(${pyStr(w.path)})` : '.save()',
  ];
  return [`${variable} = (`, ...chain.map((l) => `    ${l}`), ')', '(', ...writer.map((l) => `    ${l}`), ')'];
}

function describeWriter(w: unknown): string {
  if (!w || typeof w !== 'object') return String(w);
  return Object.entries(w as Record<string, unknown>).map(([k, v]) => `${k}: ${String(v)}`).join('\n');
}
