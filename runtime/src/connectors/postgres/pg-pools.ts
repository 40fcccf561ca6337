/**
 * One `pg` pool per connection target, shared by the writers of a runtime and closed with it.
 */
import pg from 'pg';
import { toPostgresUrl, type PgConnectionConfig } from './jdbc-url.js';

/** Pools keyed by connection; `close()` ends them all. */
export class PgPools {
  private readonly pools = new Map<string, pg.Pool>();

  /** The pool for a connection, created on first use. */
  get(config: PgConnectionConfig): pg.Pool {
    const key = toPostgresUrl(config);
    let pool = this.pools.get(key);
    if (!pool) {
      pool = new pg.Pool({
        host: config.host,
        port: config.port,
        database: config.database,
        user: config.user,
        password: config.password,
        ssl: config.sslmode && config.sslmode !== 'disable' ? { rejectUnauthorized: config.sslmode === 'verify-full' } : undefined,
        ...(config.currentSchema ? { options: `-c search_path=${config.currentSchema}` } : {}),
        max: 4,
        connectionTimeoutMillis: 10_000,
        idleTimeoutMillis: 10_000,
      });
      // An idle client losing its server (PostgreSQL restarted) must not crash the process;
      // the next query fails with a clear error instead.
      pool.on('error', () => undefined);
      this.pools.set(key, pool);
    }
    return pool;
  }

  /** Ends every pool. */
  async close(): Promise<void> {
    const all = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(all.map((p) => p.end().catch(() => undefined)));
  }
}

/** `host:port` for messages. */
export function describeTarget(config: PgConnectionConfig): string {
  return `${config.host}:${config.port}/${config.database}`;
}
