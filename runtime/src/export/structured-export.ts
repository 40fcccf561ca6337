/**
 * A Structured Streaming query (plan + writer settings) as PySpark: the `writeStream` chain with
 * output mode, trigger, sink and options. A sink PySpark has no format for becomes what a person
 * would write, as its provider's `pyspark` hook says (PostgreSQL through `foreachBatch` with Spark's
 * JDBC writer, the learner's own `foreachBatch`/`foreach` functions as marked stubs); a
 * `foreachBatch` function that only writes the batch over JDBC becomes that write.
 */
import type { Trigger } from '../engine/structured/streaming-query.js';
import type { QuerySpec, StaticWrite } from './capture.js';
import { jdbcUrl } from '../connectors/postgres/postgres-export.js';
import type { PySparkText } from '../engine/sinks/sink.js';
import { planChain, type PlanContext } from './plan-code.js';
import { pyIdent, pyStr, type StubCollector } from './python-text.js';

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
  let options: Readonly<Record<string, string>> = q.options;
  if (q.jdbcWrite) {
    // The foreachBatch function only writes the batch with the JDBC writer: the same write in Python.
    const w = q.jdbcWrite;
    const fn = `write_${variable}_to_postgres`;
    const props = Object.entries(w.properties).map(([k, v]) => `${pyStr(k)}: ${pyStr(v)}`).join(', ');
    helpers.push(
      `def ${fn}(batch_df, batch_id):`,
      `    """Writes each micro-batch to PostgreSQL table ${w.table} (mode ${w.mode}) with Spark's JDBC writer."""`,
      `    batch_df.write.jdbc(url=${pyStr(jdbcUrl(w.url))}, table=${pyStr(w.table)}, mode=${pyStr(w.mode)}, properties={${props}})`,
    );
    lines.push(`.foreachBatch(${fn})`);
  } else if (q.sinkExport) {
    // A sink PySpark has no format for writes itself as a person would (its provider's hook).
    const text: PySparkText = { str: pyStr, ident: pyIdent, stub: (stub) => ctx.stubs.add(stub) };
    const code = q.sinkExport({ variable, where, options: q.options, callback: q.format.toLowerCase() === 'foreachbatch' ? q.batchFunction : q.foreachWriter }, text);
    helpers.push(...(code.helpers ?? []));
    lines.push(code.writer);
    options = code.options ?? q.options;
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
