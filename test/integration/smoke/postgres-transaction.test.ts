/**
 * Smoke test of the run's real PostgreSQL through `pg`: DDL, inserts and reads in a transaction,
 * isolation between two connections, and a rollback that really discards.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseUrl, freshName } from '../../services/inject.js';

let a: pg.Client;
let b: pg.Client;

beforeAll(async () => {
  a = new pg.Client({ connectionString: databaseUrl() });
  b = new pg.Client({ connectionString: databaseUrl() });
  await Promise.all([a.connect(), b.connect()]);
});

afterAll(async () => {
  await Promise.allSettled([a?.end(), b?.end()]);
});

async function rows(client: pg.Client, table: string): Promise<[number, string][]> {
  const result = await client.query<{ id: number; word: string }>(`select id, word from ${table} order by id`);
  return result.rows.map((r) => [r.id, r.word]);
}

describe('postgres smoke', () => {
  it('answers as a real PostgreSQL server with separate backends per connection', async () => {
    const version = await a.query<{ v: string }>('select version() as v');
    expect(version.rows[0]!.v).toMatch(/^PostgreSQL \d+\.\d+/);
    const [pidA, pidB] = await Promise.all([a, b].map(async (c) => (await c.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid));
    expect(pidA).not.toBe(pidB);
  });

  it('creates, inserts and selects in a committed transaction', async () => {
    const table = freshName('smoke_words');
    await a.query('begin');
    await a.query(`create table ${table} (id int primary key, word text not null)`);
    await a.query(`insert into ${table} (id, word) values ($1, $2), ($3, $4), ($5, $6)`, [1, 'one', 2, 'two', 3, 'three']);
    expect(await rows(a, table)).toEqual([[1, 'one'], [2, 'two'], [3, 'three']]);
    // Uncommitted DDL is invisible to the other connection: the table does not exist for it yet.
    await expect(b.query(`select count(*) from ${table}`)).rejects.toThrow(`relation "${table}" does not exist`);
    await a.query('commit');
    expect(await rows(b, table)).toEqual([[1, 'one'], [2, 'two'], [3, 'three']]);
    await a.query(`drop table ${table}`);
  });

  it('rolls back: rows inserted in an aborted transaction are gone, for everyone', async () => {
    const table = freshName('smoke_rollback');
    await a.query(`create table ${table} (id int primary key, word text not null)`);
    await a.query(`insert into ${table} values (1, 'kept')`);

    await a.query('begin');
    await a.query(`insert into ${table} values (2, 'discarded'), (3, 'discarded')`);
    await a.query(`update ${table} set word = 'changed' where id = 1`);
    expect(await rows(a, table)).toEqual([[1, 'changed'], [2, 'discarded'], [3, 'discarded']]);
    expect(await rows(b, table)).toEqual([[1, 'kept']]);
    await a.query('rollback');

    expect(await rows(a, table)).toEqual([[1, 'kept']]);
    expect(await rows(b, table)).toEqual([[1, 'kept']]);
    // A constraint violation aborts the whole transaction, including the statements before it.
    await a.query('begin');
    await a.query(`insert into ${table} values (4, 'before the error')`);
    await expect(a.query(`insert into ${table} values (1, 'duplicate')`)).rejects.toThrow(/duplicate key value violates unique constraint/);
    await a.query('rollback');
    expect(await rows(b, table)).toEqual([[1, 'kept']]);
    await a.query(`drop table ${table}`);
  });
});
