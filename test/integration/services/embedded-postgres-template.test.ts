/**
 * The embedded PostgreSQL gives each new data directory a copy of one initialised cluster instead of
 * running initdb every start: the copies are separate databases that answer at once, the one cluster
 * they come from is never started itself, and a kept data directory starts again with its data.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../../../runtime/src/connectors/postgres/embedded.js';

const started: EmbeddedPostgresHandle[] = [];
const dirs: string[] = [];

afterAll(async () => {
  for (const s of started) await s.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function query<T extends object>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

const systemId = async (url: string) => (await query<{ id: string }>(url, 'select system_identifier::text as id from pg_control_system()'))[0]!.id;

describe('new embedded PostgreSQL data directories', () => {
  it('are copies of one initialised cluster, each a database of its own', async () => {
    const a = await startEmbeddedPostgres();
    started.push(a);
    const b = await startEmbeddedPostgres();
    started.push(b);
    // initdb gives every cluster a new system identifier: equal ones mean both were copied from one.
    expect(await systemId(a.url)).toBe(await systemId(b.url));
    await query(a.url, 'create table only_in_a (x int)');
    expect(await query(a.url, "select count(*)::int as n from pg_tables where tablename = 'only_in_a'")).toEqual([{ n: 1 }]);
    expect(await query(b.url, "select count(*)::int as n from pg_tables where tablename = 'only_in_a'")).toEqual([{ n: 0 }]);
  });

  it('keep what was written when the data directory is kept and started again', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'streamlab-pg-template-test-'));
    dirs.push(parent);
    // As root the postgres user must reach the directory (as `streamlab start` arranges with reachableDataDir).
    chmodSync(parent, 0o755);
    const dataDir = join(parent, 'pg');
    const first = await startEmbeddedPostgres({ dataDir, persistent: true });
    await query(first.url, 'create table kept (x int); insert into kept values (42)');
    await first.stop();
    const again = await startEmbeddedPostgres({ dataDir, persistent: true });
    started.push(again);
    expect(await query(again.url, 'select x from kept')).toEqual([{ x: 42 }]);
  });
});
