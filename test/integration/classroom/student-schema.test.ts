/**
 * The classroom overlay's per-student PostgreSQL schema, against the run's real PostgreSQL: the
 * URL that select-student.sh hands to a student's runtime opens every session in that student's
 * schema, so unqualified tables of different students never meet.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseUrl, freshName } from '../../services/inject.js';
import { repoRoot } from '../../unit/classroom/compose-file.js';

const selectStudent = join(repoRoot, 'k8s/overlays/classroom/select-student.sh');
const students = [freshName('ada'), freshName('grace')];
const dir = mkdtempSync(join(tmpdir(), 'streamlab-class-'));
const roster = join(dir, 'roster.csv');
let admin: pg.Client;

/** STREAMLAB_PG as pod `streamlab-N` sees it, from the script itself. */
function studentUrl(ordinal: number): string {
  return execFileSync('sh', [selectStudent, 'printenv', 'STREAMLAB_PG'], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH!, HOSTNAME: `streamlab-${ordinal}`, STREAMLAB_ROSTER: roster, STREAMLAB_PG: databaseUrl() },
  }).trim();
}

beforeAll(async () => {
  writeFileSync(roster, students.map((s, i) => `${s},token-${i}-0123456789`).join('\n'));
  admin = new pg.Client({ connectionString: databaseUrl() });
  await admin.connect();
  // What the create-schema init container does for each pod.
  for (const s of students) await admin.query(`create schema if not exists "${s}"`);
});

afterAll(async () => {
  for (const s of students) await admin?.query(`drop schema if exists "${s}" cascade`).catch(() => undefined);
  await admin?.end();
  rmSync(dir, { recursive: true, force: true });
});

describe('classroom student schemas', () => {
  it('each student session starts in the student schema, and unqualified tables stay apart', async () => {
    const clients = students.map((_, i) => new pg.Client({ connectionString: studentUrl(i) }));
    try {
      await Promise.all(clients.map((c) => c.connect()));
      for (let i = 0; i < clients.length; i += 1) {
        const shown = await clients[i]!.query<{ search_path: string }>('show search_path');
        expect(shown.rows[0]!.search_path).toBe(students[i]);
        // The same unqualified name, as two students' lessons would use it.
        await clients[i]!.query('create table report (sensor text primary key, avg double precision)');
        await clients[i]!.query('insert into report values ($1, $2)', [`sensor-${i}`, i + 0.5]);
      }
      const tables = await admin.query<{ table_schema: string }>(
        "select table_schema from information_schema.tables where table_name = 'report' and table_schema = any($1) order by table_schema",
        [students],
      );
      expect(tables.rows.map((r) => r.table_schema)).toEqual([...students].sort());
      for (let i = 0; i < clients.length; i += 1) {
        const rows = await clients[i]!.query<{ sensor: string; avg: number }>('select sensor, avg from report');
        expect(rows.rows).toEqual([{ sensor: `sensor-${i}`, avg: i + 0.5 }]);
      }
    } finally {
      await Promise.allSettled(clients.map((c) => c.end()));
    }
  });
});
