/**
 * The seam between flows and a database: the engine builds statements, the host (the runtime's job
 * process, a test) installs an executor that runs them on PostgreSQL.
 */

/** A statement with `$1`-style parameters. */
export interface SqlStatement {
  readonly text: string;
  readonly values: readonly unknown[];
}

/** What running a statement returns. */
export interface SqlResult {
  /** Rows inserted, updated or deleted (or returned). */
  readonly rowCount: number;
  readonly rows: readonly Record<string, unknown>[];
}

/** Runs statements; one per SlickSession. */
export interface SqlExecutor {
  run(statement: SqlStatement): Promise<SqlResult>;
  close(): Promise<void>;
}

/** Makes an executor for a session named in code (`SlickSession.forConfig("slick-postgres")`). */
export type SqlExecutorFactory = (configName: string) => SqlExecutor;

let installed: SqlExecutorFactory | null = null;

/** Installs the database flows use (`null` removes it). */
export function setSqlExecutorFactory(factory: SqlExecutorFactory | null): void {
  installed = factory;
}

/** The installed factory, or a clear error. */
export function sqlExecutorFactory(): SqlExecutorFactory {
  if (!installed) throw new Error('No database is available to this pipeline: SlickSession needs the runtime\'s PostgreSQL');
  return installed;
}
