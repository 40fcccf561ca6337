/**
 * A check reads the tables the learner's code wrote; the learner's code decides what those tables are.
 * A submission of lesson 05 swaps `locations` for a view over a function of its own that, whenever it
 * is read, tries to read a server file, run a program, import a file, create an extension, read a
 * superuser-only catalogue and write a forged row into another schema's `locations`, then reports what
 * it was allowed. Graded through `streamlab grade --file` and through the websocket's `check.run`, the
 * check's read must run with the learner's rights only: every attempt is refused, no file appears, the
 * other table stays empty.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKS_DATABASE } from '../../../runtime/src/lessons/check-database.js';
import type { GradeResult } from '../../../runtime/src/lessons/grade-types.js';
import { resolveConfig } from '../../../runtime/src/config.js';
import { PROTOCOL_VERSION, type ServerMessageOf } from '../../../runtime/src/protocol/index.js';
import { startRuntimeServer } from '../../../runtime/src/server/runtime-server.js';
import { databaseUrl, kafkaBootstrap } from '../../services/inject.js';
import { TestClient } from '../server/ws-client.js';
import { runStreamlab } from '../../services/streamlab-cli.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const lesson = join(root, 'lessons', '05-locations-micro-batch-vs-flow');
const work = mkdtempSync(join(tmpdir(), 'streamlab-check-reads-'));
const marker = join(work, 'marker');
const victim = `victim_${randomBytes(4).toString('hex')}`;

/** The function the view calls: each attempt in its own block, the outcomes raised as one message. */
function probeSql(): string {
  const attempt = (name: string, statement: string) =>
    `BEGIN ${statement}; o := o || '${name}: allowed; '; EXCEPTION WHEN OTHERS THEN o := o || '${name}: ' || SQLERRM || '; '; END;`;
  return [
    "CREATE FUNCTION probe() RETURNS boolean LANGUAGE plpgsql AS $f$ DECLARE o text := ''; BEGIN",
    attempt('read a file', "PERFORM pg_read_file('/etc/hostname')"),
    attempt('run a program', `EXECUTE 'COPY (SELECT 1) TO PROGRAM ''touch ${marker}/copy'''`),
    attempt('import a file', "PERFORM lo_import('/etc/hostname')"),
    attempt('create an extension', "EXECUTE 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements'"),
    attempt('read pg_authid', 'PERFORM count(*) FROM pg_authid'),
    attempt('forge a row', `INSERT INTO ${victim}.locations VALUES (666)`),
    "RAISE EXCEPTION 'probe %', o; END $f$",
  ].join(' ');
}

/** Lesson 05's solution whose append job, after each batch, makes `locations` the probing view. */
function hostileSubmission(): string {
  const solution = readFileSync(join(lesson, 'solution.ts'), 'utf8');
  const write = 'await batch.write.jdbc(PG_URL, "locations", "append", PG_PROPERTIES);';
  expect(solution).toContain(write);
  const swap = [
    'DO $d$ BEGIN IF to_regclass(\'locations_real\') IS NULL THEN',
    'ALTER TABLE locations RENAME TO locations_real;',
    `${probeSql().replace(/\$f\$/g, '$p$')};`,
    'CREATE VIEW locations AS SELECT * FROM locations_real WHERE probe();',
    'END IF; END $d$',
  ].join(' ');
  return solution.replace(write, () => `${write}\n      await SlickSession.forConfig("slick-postgres").db.run(sqlu\`${swap.replace(/`/g, '\\`')}\`);`);
}

const streamlab = (args: string[]) => runStreamlab(args, work);

async function inChecksDatabase<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const url = new URL(databaseUrl());
  url.pathname = `/${CHECKS_DATABASE}`;
  const c = new pg.Client({ connectionString: url.href });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  mkdirSync(marker);
  // Writable by anyone, so the PostgreSQL server (whatever OS user it runs as) could leave a file if it were allowed to.
  chmodSync(work, 0o755);
  chmodSync(marker, 0o777);
  writeFileSync(join(work, 'hostile.ts'), hostileSubmission());
  const server = new pg.Client({ connectionString: databaseUrl() });
  await server.connect();
  try {
    if ((await server.query('SELECT 1 FROM pg_database WHERE datname = $1', [CHECKS_DATABASE])).rowCount === 0) {
      await server.query(`CREATE DATABASE ${CHECKS_DATABASE}`).catch((e: { code?: string }) => {
        if (e.code !== '42P04' && e.code !== '23505') throw e;
      });
    }
  } finally {
    await server.end();
  }
  // Another schema's table a check could read: the administrator's, granted to no one.
  await inChecksDatabase((c) => c.query(`CREATE SCHEMA ${victim}; CREATE TABLE ${victim}.locations ("driverId" integer)`));
});

afterAll(async () => {
  await inChecksDatabase((c) => c.query(`DROP SCHEMA IF EXISTS ${victim} CASCADE`)).catch(() => undefined);
  rmSync(work, { recursive: true, force: true });
});

const REFUSED = () => [
  'read a file: permission denied for function pg_read_file',
  'run a program: permission denied to COPY to or from an external program',
  'import a file: permission denied for function lo_import',
  'create an extension: permission denied to create extension "pg_stat_statements"',
  'read pg_authid: permission denied for table pg_authid',
  `forge a row: permission denied for schema ${victim}`,
].join('; ');

/** What the probe reported in a failed check's message. */
const probed = (message: string | null | undefined) => /probe (.*?); ?$/m.exec(message ?? '')?.[1];

async function nothingLeaked(): Promise<void> {
  expect(existsSync(join(marker, 'copy'))).toBe(false);
  expect(await inChecksDatabase(async (c) => (await c.query(`SELECT count(*)::int AS n FROM ${victim}.locations`)).rows[0].n)).toBe(0);
}

describe("a check's read of the learner's tables", () => {
  it('runs with the learner\'s rights under `streamlab grade`: the view\'s function is refused everything, leaves no file and forges no row', async () => {
    const report = join(work, 'grade.json');
    const r = await streamlab(['grade', '--lesson', '05', '--file', join(work, 'hostile.ts'), '--pg', databaseUrl(), '--json', report]);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    const result = JSON.parse(readFileSync(report, 'utf8')) as GradeResult;
    const append = result.tests.find((t) => t.id === 'append-rows');
    expect(append?.status).toBe('failed');
    expect(probed(append?.message), append?.message ?? '').toBe(REFUSED());
    await nothingLeaked();
  });

  it('runs with the learner\'s rights under Check in the workbench (`check.run`)', async () => {
    const token = 'check-reads-token-0123456789abcdef';
    const server = await startRuntimeServer({ config: resolveConfig({ port: 0, token, lessonsDir: join(root, 'lessons') }), services: { kafka: kafkaBootstrap(), pg: databaseUrl() } });
    const client = await TestClient.connect(`ws://127.0.0.1:${server.port}/ws?token=${token}`);
    try {
      await client.hello(undefined, [PROTOCOL_VERSION]);
      const reply = await client.request({ kind: 'check.run', lessonId: '05-locations-micro-batch-vs-flow', files: [{ path: 'solution.ts', content: hostileSubmission() }] });
      if (reply.kind !== 'check.run.ok') throw new Error(JSON.stringify(reply));
      const result = await client.waitFor((m) => m.kind === 'check.result' && m.checkId === reply.checkId) as ServerMessageOf<'check.result'>;
      const append = result.tests.find((t) => t.id === 'append-rows');
      expect(append?.status).toBe('failed');
      expect(probed(append?.message), append?.message ?? '').toBe(REFUSED());
      await nothingLeaked();
    } finally {
      await client.close();
      await server.close();
    }
  });
});
