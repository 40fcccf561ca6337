/**
 * The PostgreSQL executor behind the flow API's `SlickSession`: statements built with `sqlu`/`sql` run
 * on the runtime's database (whatever configuration name the code gives), through a `pg` pool, with
 * their `$n` parameters bound by the driver. Errors name the database, as the other writers do.
 */
import type { SqlExecutor, SqlExecutorFactory } from '../../engine/flow/slick/sql-executor.js';
import { parsePostgresUrl } from './jdbc-url.js';
import { describeTarget, PgPools } from './pg-pools.js';

/** Sessions on the runtime's PostgreSQL at `url`. */
export function pgSqlExecutorFactory(url: string): SqlExecutorFactory {
  const config = parsePostgresUrl(url);
  return (): SqlExecutor => {
    const pools = new PgPools();
    return {
      async run(statement) {
        try {
          const result = await pools.get(config).query({ text: statement.text, values: [...statement.values] });
          return { rowCount: result.rowCount ?? result.rows.length, rows: result.rows as Record<string, unknown>[] };
        } catch (e) {
          const err = e as { code?: string; message?: string };
          if (err.code === 'ECONNREFUSED' || err.code === 'ENOTFOUND') throw new Error(`PostgreSQL is not reachable at ${describeTarget(config)}`, { cause: e });
          throw e;
        }
      },
      close: () => pools.close(),
    };
  };
}
