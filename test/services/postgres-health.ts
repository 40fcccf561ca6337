import pg from 'pg';

/**
 * Proves a PostgreSQL server answers `select version()` within `capMs`.
 * @returns the server version (`server_version`, e.g. `18.4`).
 */
export async function checkPostgres(url: string, capMs = 20_000): Promise<string> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: capMs, query_timeout: capMs });
  // A server that drops the connection later must not crash the test process.
  client.on('error', () => undefined);
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      (async () => {
        await client.connect();
        await client.query('select version()');
        const { rows } = await client.query<{ server_version: string }>('show server_version');
        return rows[0]!.server_version.split(' ')[0]!;
      })(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${Math.round(capMs / 1000)} s`)), capMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
    await client.end().catch(() => undefined);
  }
}
