/**
 * The PostgreSQL writers against real PostgreSQL: save modes, table creation from the schema,
 * multi-row inserts, the exactly-once upsert sink, and a server that goes down mid-run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { databaseUrl, freshName } from '../../services/inject.js';
import { parsePostgresUrl } from '../../../runtime/src/connectors/postgres/jdbc-url.js';
import { PgPools } from '../../../runtime/src/connectors/postgres/pg-pools.js';
import { writeTable } from '../../../runtime/src/connectors/postgres/table-writer.js';
import { PostgresUpsertSink } from '../../../runtime/src/connectors/postgres/upsert-sink.js';
import { PostgresWriteError } from '../../../runtime/src/connectors/postgres/pg-errors.js';
import { startEmbeddedPostgres } from '../../../runtime/src/connectors/postgres/embedded.js';

const cols = [
  { name: 'window_start', type: 'timestamp' },
  { name: 'node_name', type: 'string' },
  { name: 'avg_temp', type: 'double' },
  { name: 'n', type: 'bigint' },
];
const T0 = Date.UTC(2024, 0, 1) * 1000; // microseconds, as the engine holds timestamps
const MIN = 60_000_000;

describe('PostgreSQL writers', () => {
  const pools = new PgPools();
  let pool: pg.Pool;
  let client: pg.Client;

  beforeAll(async () => {
    pool = pools.get(parsePostgresUrl(databaseUrl()));
    client = new pg.Client({ connectionString: databaseUrl() });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
    await pools.close();
  });

  async function rows(table: string, order = 'window_start, node_name'): Promise<unknown[][]> {
    const r = await client.query({ text: `SELECT to_char(window_start AT TIME ZONE 'UTC', 'HH24:MI:SS.US'), node_name, avg_temp, n FROM ${table} ORDER BY ${order}`, rowMode: 'array' });
    return r.rows;
  }

  it('creates the table from the schema with the type mapping, and appends in multi-row statements', async () => {
    const table = freshName('locations');
    const data = Array.from({ length: 2500 }, (_, i) => [T0 + i * MIN + 7, `node-${i % 3}`, i / 2, i]);
    expect(await writeTable(pool, { table, columns: cols, rows: data, mode: 'append' }, 'test')).toBe(2500);
    expect(await writeTable(pool, { table, columns: cols, rows: data.slice(0, 2), mode: 'append' }, 'test')).toBe(2);
    const types = await client.query(
      `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position`,
      [table],
    );
    expect(types.rows.map((r) => [r.column_name, r.data_type])).toEqual([
      ['window_start', 'timestamp without time zone'],
      ['node_name', 'text'],
      ['avg_temp', 'double precision'],
      ['n', 'bigint'],
    ]);
    const count = await client.query(`SELECT count(*)::int AS c, sum(n)::bigint AS s FROM ${table}`);
    expect(count.rows[0]).toEqual({ c: 2502, s: String((2499 * 2500) / 2 + 1) });
    expect((await rows(table)).slice(0, 3)).toEqual([
      ['00:00:00.000007', 'node-0', 0, '0'],
      ['00:00:00.000007', 'node-0', 0, '0'],
      ['00:01:00.000007', 'node-1', 0.5, '1'],
    ]);
  });

  it('honours overwrite, ignore and errorifexists', async () => {
    const table = freshName('modes');
    await writeTable(pool, { table, columns: cols, rows: [[T0, 'a', 1, 1]], mode: 'errorifexists' }, 'test');
    await expect(writeTable(pool, { table, columns: cols, rows: [[T0, 'b', 2, 2]], mode: 'errorifexists' }, 'test')).rejects.toThrow(
      `Table or view '${table}' already exists. SaveMode: ErrorIfExists.`,
    );
    expect(await writeTable(pool, { table, columns: cols, rows: [[T0, 'c', 3, 3]], mode: 'ignore' }, 'test')).toBe(0);
    await writeTable(pool, { table, columns: cols, rows: [[T0, 'd', 4, 4], [T0, 'e', 5, 5]], mode: 'overwrite' }, 'test');
    expect(await rows(table)).toEqual([
      ['00:00:00.000000', 'd', 4, '4'],
      ['00:00:00.000000', 'e', 5, '5'],
    ]);
  });

  it('upserts by key exactly once per batch id, skipping replays', async () => {
    const table = freshName('report');
    const sink = new PostgresUpsertSink(pool, { table, primaryKey: 'window_start,node_name', queryId: freshName('q'), where: 'test' });
    expect(await sink.lastCommittedBatch()).toBe(-1);
    expect(await sink.addBatch(0, cols, [[T0, 'a', 20, 1], [T0, 'b', 30, 1]])).toEqual({ written: true, rows: 2 });
    // Update mode: key (T0, a) changes; the same key twice in one batch keeps the later row.
    expect(await sink.addBatch(1, cols, [[T0, 'a', 21, 2], [T0 + MIN, 'a', 10, 1], [T0 + MIN, 'a', 11, 2]])).toEqual({ written: true, rows: 2 });
    // A replay of batch 1 with different rows must not be applied.
    expect(await sink.addBatch(1, cols, [[T0, 'a', 99, 99]])).toEqual({ written: false, rows: 0 });
    expect(await sink.lastCommittedBatch()).toBe(1);
    expect(await rows(table)).toEqual([
      ['00:00:00.000000', 'a', 21, '2'],
      ['00:00:00.000000', 'b', 30, '1'],
      ['00:01:00.000000', 'a', 11, '2'],
    ]);
    // Another query writing the same batch ids is independent.
    const other = new PostgresUpsertSink(pool, { table, primaryKey: ['window_start', 'node_name'], queryId: freshName('q'), where: 'test' });
    expect(await other.addBatch(1, cols, [[T0, 'b', 31, 2]])).toEqual({ written: true, rows: 1 });
  });

  it('fails a batch clearly while PostgreSQL is down and replays it without duplicates after', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamlab-pg-down-'));
    rmSync(dir, { recursive: true });
    let server = await startEmbeddedPostgres({ dataDir: dir, persistent: true });
    const own = new PgPools();
    try {
      const config = parsePostgresUrl(server.url);
      const sink = new PostgresUpsertSink(own.get(config), { table: 'report', primaryKey: 'node_name', queryId: 'q1', where: `${config.host}:${config.port}` });
      const c2 = [cols[1]!, cols[3]!];
      expect(await sink.addBatch(0, c2, [['a', 1], ['b', 1]])).toEqual({ written: true, rows: 2 });
      await server.stop();
      const error = await sink.addBatch(1, c2, [['a', 2], ['c', 1]]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PostgresWriteError);
      expect((error as Error).message).toMatch(new RegExp(`^PostgreSQL is not reachable at 127\\.0\\.0\\.1:${config.port} while writing batch 1 to table report`));
      server = await startEmbeddedPostgres({ dataDir: dir, port: config.port, persistent: true });
      // The restarted query replays batch 0 (already committed) and batch 1 (failed).
      expect(await sink.addBatch(0, c2, [['a', 1], ['b', 1]])).toEqual({ written: false, rows: 0 });
      expect(await sink.addBatch(1, c2, [['a', 2], ['c', 1]])).toEqual({ written: true, rows: 2 });
      const r = await own.get(config).query({ text: 'SELECT node_name, n FROM report ORDER BY node_name', rowMode: 'array' });
      expect(r.rows).toEqual([['a', '2'], ['b', '1'], ['c', '1']]);
      const commits = await own.get(config).query({ text: 'SELECT batch_id FROM streamlab_commits WHERE query_id = $1 ORDER BY 1', values: ['q1'], rowMode: 'array' });
      expect(commits.rows).toEqual([['0'], ['1']]);
    } finally {
      await own.close();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
