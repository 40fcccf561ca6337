/**
 * How the PySpark export writes a query into `format("postgres")` (or `format("jdbc")`): PySpark has
 * no streaming JDBC sink, so each micro-batch is appended with Spark's JDBC writer from a
 * `foreachBatch` function, as a person would write it. Pure text; no connection is made.
 */
import type { PySparkText, SinkExportCode, SinkExportQuery } from '../../engine/sinks/sink.js';

/** The JDBC driver class Spark loads for PostgreSQL. */
export const POSTGRES_DRIVER = 'org.postgresql.Driver';

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

/** The options the `foreachBatch` writer takes over; the rest stay `.option(...)`s of the query. */
const CONSUMED = ['url', 'dbtable', 'table', 'user', 'password', 'primaryKey'];

/** The PostgreSQL sink as a `foreachBatch` function appending each batch with Spark's JDBC writer. */
export function postgresSinkExport(query: SinkExportQuery, py: PySparkText): SinkExportCode {
  const { options } = query;
  const fn = `write_${query.variable}_to_postgres`;
  const url = options.url ? jdbcUrl(options.url) : 'jdbc:postgresql://localhost:5432/postgres';
  const table = options.dbtable ?? options.table ?? 'output';
  const helpers = [
    `def ${fn}(batch_df, batch_id):`,
    `    """Appends each micro-batch to PostgreSQL table ${table} with Spark's JDBC writer."""`,
    ...(options.primaryKey ? [`    # Streamlab upserts on (${options.primaryKey}) once per batch id; Spark's JDBC writer only appends.`] : []),
    '    (',
    '        batch_df.write',
    '        .format("jdbc")',
    `        .option("url", ${py.str(url)})`,
    `        .option("driver", ${py.str(POSTGRES_DRIVER)})`,
    `        .option("dbtable", ${py.str(table)})`,
    ...['user', 'password'].filter((k) => options[k] !== undefined).map((k) => `        .option(${py.str(k)}, ${py.str(options[k]!)})`),
    '        .mode("append")',
    '        .save()',
    '    )',
  ];
  const rest = Object.fromEntries(Object.entries(options).filter(([k]) => !CONSUMED.includes(k)));
  return { helpers, writer: `.foreachBatch(${fn})`, options: rest };
}
