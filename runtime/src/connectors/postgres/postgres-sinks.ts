/**
 * The PostgreSQL entry points the engine calls, keyed by format name:
 *
 *   writeStream.format("postgres")   streaming upsert sink, exactly-once by batch id
 *                                    options: url, table (or dbtable), primaryKey, user, password
 *   df.write.format("jdbc") / .jdbc  batch write with a save mode
 *                                    options: url, dbtable, user, password, truncate
 *
 * The runtime's configured database wins over the learner's URL and credentials (a learner's
 * `jdbc:postgresql://postgres:5432/streamlab` from a classroom job still lands in the runtime's
 * database, and no password needs to appear in learner code).
 */
import { parsePostgresUrl, type PgConnectionConfig } from './jdbc-url.js';
import { PgPools, describeTarget } from './pg-pools.js';
import { postgresSinkExport } from './postgres-export.js';
import { PostgresUpsertSink } from './upsert-sink.js';
import { parseSaveMode, writeTable } from './table-writer.js';
import { parseKeyList } from './sql.js';
import { ConnectorAnalysisError, option, sqlColumns, type BatchShape, type SchemaShape, type SinkContextShape } from '../schema-shape.js';

/** How the runtime reaches PostgreSQL. */
export interface PostgresConnection {
  /** `postgres://…` or `jdbc:postgresql://…`. */
  url: string;
}

/** Resolves the connection for a write: runtime first, else the learner's options. */
export function resolvePgConnection(runtime: PostgresConnection | undefined, options: Readonly<Record<string, string>>): PgConnectionConfig {
  if (runtime) return parsePostgresUrl(runtime.url);
  const url = option(options, 'url');
  if (!url) throw new ConnectorAnalysisError("Option 'url' is required.", 'JDBC_OPTIONS');
  const props: Record<string, string | undefined> = { user: option(options, 'user'), password: option(options, 'password') };
  return parsePostgresUrl(url, props);
}

function tableOption(options: Readonly<Record<string, string>>): string {
  const table = option(options, 'dbtable') ?? option(options, 'table');
  if (!table) throw new ConnectorAnalysisError("Option 'dbtable' is required.", 'JDBC_OPTIONS');
  return table;
}

/** Streaming sink for `format("postgres")`. */
export class PostgresStreamingSink {
  constructor(private readonly inner: PostgresUpsertSink) {}

  /** Writes the batch unless this query already committed its id. */
  async addBatch(batch: BatchShape): Promise<void> {
    await this.inner.addBatch(batch.batchId, sqlColumns(batch.schema), batch.rows);
  }
}

/** Creates the `format("postgres")` sink provider and the `jdbc` batch writer over shared pools. */
export function postgresConnectors(runtime: PostgresConnection | undefined, pools = new PgPools()) {
  return {
    pools,
    sinkProvider: {
      pyspark: postgresSinkExport,
      validate(ctx: SinkContextShape): void {
        tableOption(ctx.options);
        const key = option(ctx.options, 'primaryKey');
        if (key !== undefined) {
          for (const k of parseKeyList(key)) {
            if (!ctx.schema.fields.some((f) => f.name === k)) {
              throw new ConnectorAnalysisError(
                `primaryKey column '${k}' is not in the output schema (${ctx.schema.fields.map((f) => f.name).join(', ')})`,
                'JDBC_OPTIONS',
              );
            }
          }
        }
      },
      createSink(ctx: SinkContextShape): PostgresStreamingSink {
        const config = resolvePgConnection(runtime, ctx.options);
        const table = tableOption(ctx.options);
        // Commits are keyed on the query's id, which its checkpoint keeps across restarts.
        const queryId = option(ctx.options, 'queryId') ?? ctx.queryId ?? table;
        return new PostgresStreamingSink(
          new PostgresUpsertSink(pools.get(config), { table, primaryKey: option(ctx.options, 'primaryKey'), queryId, where: describeTarget(config) }),
        );
      },
    },
    /**
     * `df.write.format("jdbc").option("url", …).option("dbtable", …).mode(m).save()`: the engine's
     * DataFrameWriter passes the save mode as option `mode` and writes the rows as one batch.
     */
    jdbcSinkProvider: {
      pyspark: postgresSinkExport,
      validate(ctx: SinkContextShape): void {
        tableOption(ctx.options);
        parseSaveMode(option(ctx.options, 'mode'));
      },
      createSink(ctx: SinkContextShape) {
        const config = resolvePgConnection(runtime, ctx.options);
        const table = tableOption(ctx.options);
        const mode = parseSaveMode(option(ctx.options, 'mode'));
        const truncate = (option(ctx.options, 'truncate') ?? 'false').toLowerCase() === 'true';
        return {
          async addBatch(batch: BatchShape): Promise<void> {
            await writeTable(pools.get(config), { table, columns: sqlColumns(batch.schema), rows: batch.rows, mode, truncate }, describeTarget(config));
          },
        };
      },
    },
    /** `df.write.format("jdbc").mode(m).save()` and `df.write.jdbc(url, table, mode, properties)`. */
    async writeBatch(req: { options: Readonly<Record<string, string>>; mode?: string; schema: SchemaShape; rows: readonly (readonly unknown[])[] }): Promise<number> {
      const config = resolvePgConnection(runtime, req.options);
      const truncate = (option(req.options, 'truncate') ?? 'false').toLowerCase() === 'true';
      return writeTable(
        pools.get(config),
        { table: tableOption(req.options), columns: sqlColumns(req.schema), rows: req.rows, mode: parseSaveMode(req.mode), truncate },
        describeTarget(config),
      );
    },
  };
}
