import { describe, expect, it } from 'vitest';
import { parsePostgresUrl, redact, toPostgresUrl, JdbcUrlError } from '../../../runtime/src/connectors/postgres/jdbc-url.js';
import {
  createTableSql,
  insertSql,
  lastRowPerKey,
  parseKeyList,
  pgType,
  rowsPerStatement,
  tableIdent,
  upsertSql,
  SqlNameError,
} from '../../../runtime/src/connectors/postgres/sql.js';
import { toPgValue } from '../../../runtime/src/connectors/postgres/pg-values.js';
import { parseSaveMode } from '../../../runtime/src/connectors/postgres/table-writer.js';
import { toPgRow } from '../../../runtime/src/connectors/postgres/pg-values.js';
import { sqlColumns } from '../../../runtime/src/connectors/schema-shape.js';
import { ArrayType, BINARY, LONG, MapType, STRING, StructField, StructType, TIMESTAMP } from '../../../runtime/src/engine/types.js';

describe('PostgreSQL URLs', () => {
  it('parses the JDBC URL of the seed job and separate properties win', () => {
    expect(parsePostgresUrl('jdbc:postgresql://postgres:5432/streamlab', { user: 'spark', password: 's3cret' })).toEqual({
      host: 'postgres',
      port: 5432,
      database: 'streamlab',
      user: 'spark',
      password: 's3cret',
    });
    expect(parsePostgresUrl('jdbc:postgresql://db.example:6543/gps?user=u&password=p&sslmode=require')).toEqual({
      host: 'db.example',
      port: 6543,
      database: 'gps',
      user: 'u',
      password: 'p',
      sslmode: 'require',
    });
    expect(parsePostgresUrl('jdbc:postgresql://h1:1111,h2:2222/x')).toEqual({ host: 'h1', port: 1111, database: 'x' });
    expect(parsePostgresUrl('jdbc:postgresql:gps')).toEqual({ host: 'localhost', port: 5432, database: 'gps' });
    expect(parsePostgresUrl('jdbc:postgresql://[::1]:5433/x')).toEqual({ host: '::1', port: 5433, database: 'x' });
  });

  it('parses postgres:// URLs with credentials', () => {
    expect(parsePostgresUrl('postgres://postgres:pa%40ss@127.0.0.1:40555/postgres')).toEqual({
      host: '127.0.0.1',
      port: 40555,
      database: 'postgres',
      user: 'postgres',
      password: 'pa@ss',
    });
    expect(parsePostgresUrl('postgresql://localhost/db', { user: 'x' })).toEqual({ host: 'localhost', port: 5432, database: 'db', user: 'x' });
    expect(toPostgresUrl(parsePostgresUrl('postgres://a:b@h:1/d'))).toBe('postgres://a:b@h:1/d');
  });

  it('rejects other drivers with a message that hides the password', () => {
    expect(() => parsePostgresUrl('jdbc:mysql://h/db')).toThrow(new JdbcUrlError('No suitable driver for jdbc:mysql://h/db: only jdbc:postgresql URLs are supported'));
    expect(() => parsePostgresUrl('http://h/db')).toThrow(JdbcUrlError);
    expect(() => parsePostgresUrl('jdbc:postgresql://h:99999/db')).toThrow('Bad port');
    expect(redact('postgres://u:secret@h/db')).toBe('postgres://u:***@h/db');
    expect(redact('jdbc:postgresql://h/db?user=u&password=secret')).toBe('jdbc:postgresql://h/db?user=u&password=***');
  });
});

describe('schema to SQL', () => {
  const cols = [
    { name: 'window_start', type: 'timestamp' },
    { name: 'node_name', type: 'string' },
    { name: 'avgTemp', type: 'double' },
    { name: 'n', type: 'bigint' },
  ];

  it('maps Spark types to PostgreSQL types', () => {
    expect(['timestamp', 'double', 'string', 'long', 'bigint', 'int', 'integer', 'boolean', 'binary', 'date', 'float', 'smallint', 'decimal(10,2)', 'struct<start:timestamp,end:timestamp>'].map(pgType)).toEqual([
      'timestamp', 'double precision', 'text', 'bigint', 'bigint', 'integer', 'integer', 'boolean', 'bytea', 'date', 'real', 'smallint', 'numeric(10,2)', 'jsonb',
    ]);
    expect(() => pgType('interval')).toThrow(new SqlNameError("Can't get JDBC type for interval"));
  });

  it('creates tables with quoted columns and an optional primary key', () => {
    expect(createTableSql('locations', cols)).toBe(
      'CREATE TABLE locations ("window_start" timestamp, "node_name" text, "avgTemp" double precision, "n" bigint)',
    );
    expect(createTableSql('public.report', cols, { primaryKey: ['window_start', 'node_name'], ifNotExists: true })).toBe(
      'CREATE TABLE IF NOT EXISTS public.report ("window_start" timestamp NOT NULL, "node_name" text NOT NULL, "avgTemp" double precision, "n" bigint, PRIMARY KEY ("window_start", "node_name"))',
    );
    expect(() => createTableSql('t', cols, { primaryKey: ['nope'] })).toThrow("primaryKey column 'nope' is not in the output schema");
    expect(() => tableIdent('t; DROP TABLE x')).toThrow(SqlNameError);
    expect(tableIdent('"Odd Name"')).toBe('"Odd Name"');
  });

  it('builds multi-row inserts and upserts', () => {
    expect(insertSql('t', cols.slice(0, 2), 3)).toBe('INSERT INTO t ("window_start", "node_name") VALUES ($1, $2), ($3, $4), ($5, $6)');
    expect(upsertSql('t', cols, ['window_start', 'node_name'], 1)).toBe(
      'INSERT INTO t ("window_start", "node_name", "avgTemp", "n") VALUES ($1, $2, $3, $4) ON CONFLICT ("window_start", "node_name") DO UPDATE SET "avgTemp" = EXCLUDED."avgTemp", "n" = EXCLUDED."n"',
    );
    expect(upsertSql('t', cols.slice(0, 1), ['window_start'], 1)).toBe('INSERT INTO t ("window_start") VALUES ($1) ON CONFLICT ("window_start") DO NOTHING');
    expect(rowsPerStatement(4)).toBe(1000);
    expect(rowsPerStatement(100)).toBe(655);
    expect(parseKeyList(' window_start, node_name ,')).toEqual(['window_start', 'node_name']);
    expect(lastRowPerKey([['a', 1], ['b', 2], ['a', 3]], (r) => String(r[0]))).toEqual([['b', 2], ['a', 3]]);
  });

  it('converts engine values: microsecond timestamps, days, bytes, NUL in text', () => {
    expect(toPgValue('timestamp', 1_700_000_000_123_456)).toBe('2023-11-14T22:13:20.123456Z');
    expect(toPgValue('timestamp', -1)).toBe('1969-12-31T23:59:59.999999Z');
    expect(toPgValue('timestamp_ntz', 0)).toBe('1970-01-01T00:00:00.000000');
    expect(toPgValue('date', 19_000)).toBe('2022-01-08');
    expect(toPgValue('binary', new Uint8Array([1, 2]))).toEqual(Buffer.from([1, 2]));
    expect(toPgValue('string', 'a\u0000b')).toBe('a\uFFFDb');
    expect(toPgValue('struct<a:int,b:string>', [1, 'x'])).toBe('[1,"x"]');
    expect(toPgValue('double', null)).toBeNull();
  });

  it('parses save modes as DataFrameWriter.mode does', () => {
    expect(['Append', 'OVERWRITE', 'ignore', 'error', 'errorifexists', 'default', undefined].map(parseSaveMode)).toEqual([
      'append', 'overwrite', 'ignore', 'errorifexists', 'errorifexists', 'errorifexists', 'errorifexists',
    ]);
    expect(() => parseSaveMode('upsert')).toThrow("Unknown save mode: upsert. Accepted save modes are 'overwrite', 'append', 'ignore', 'error', 'errorifexists', 'default'.");
  });

  it('stores nested columns as JSON with field names, from the engine schema', () => {
    const window = new StructType([new StructField('start', TIMESTAMP), new StructField('end', TIMESTAMP)]);
    const schema = new StructType([
      new StructField('window', window),
      new StructField('tags', new ArrayType(STRING)),
      new StructField('counts', new MapType(STRING, LONG)),
      new StructField('raw', BINARY),
    ]);
    const cols = sqlColumns(schema);
    expect(cols.map((c) => [c.name, c.type, pgType(c.type)])).toEqual([
      ['window', 'struct<start:timestamp,end:timestamp>', 'jsonb'],
      ['tags', 'array<string>', 'jsonb'],
      ['counts', 'map<string,bigint>', 'jsonb'],
      ['raw', 'binary', 'bytea'],
    ]);
    const t0 = Date.UTC(2024, 0, 1) * 1000;
    expect(toPgRow(cols, [[t0, t0 + 60_000_000], ['a', null], new Map([['x', 2]]), new Uint8Array([7])])).toEqual([
      '{"start":"2024-01-01T00:00:00.000Z","end":"2024-01-01T00:01:00.000Z"}',
      '["a",null]',
      '{"x":2}',
      Buffer.from([7]),
    ]);
    expect(toPgRow(cols, [null, null, null, null])).toEqual([null, null, null, null]);
  });
});
