/**
 * Lesson 07's batch layer as `streamlab export` writes it, on real Apache Spark with a real
 * PostgreSQL: the lesson's lake (its CSV files) in a folder, the solution's batch view written by the
 * engine (`batchView(spark, until)` with the solution's truncating JDBC overwrite) into one table, and
 * by the exported program's batch-layer write, run by PySpark in the lake's folder with the PostgreSQL
 * JDBC driver, into another. Both tables must have the same columns with the same PostgreSQL types and
 * the same rows. (The speed layer's export is held to Spark in parity.test.ts.)
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerConnectors, type RegisteredConnectors } from '../../runtime/src/connectors/index.js';
import { registerLocalCsv } from '../../runtime/src/connectors/files/local-files.js';
import { lakeFiles } from '../../runtime/src/datagen/index.js';
import { FormatRegistry } from '../../runtime/src/engine/formats.js';
import { DataFrame, SparkSession } from '../../runtime/src/engine/structured/index.js';
import { compileProgram, evaluateProgram, exportProgramFiles } from '../../runtime/src/export/index.js';
import { loadLessons } from '../../runtime/src/lessons/load-lessons.js';
import { readLearnerFiles } from '../../runtime/src/lessons/submission-files.js';
import { databaseUrl, freshName } from '../services/inject.js';
import { pysparkEnv, pysparkProblem, pysparkPython } from './pyspark-dist.js';
import { fetchPostgresJdbc } from './postgres-jdbc.js';

const LESSONS = fileURLToPath(new URL('../../lessons', import.meta.url));
const LESSON = join(LESSONS, '07-lambda-architecture');
/** The solution's history: the batch view covers the lake up to this Sunday. */
const UNTIL = '2020-03-29';

function runPython(script: string, cwd: string, jars: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    let output = '';
    const env = pysparkEnv({ PYSPARK_SUBMIT_ARGS: `--jars ${jars.join(',')} --conf spark.sql.session.timeZone=UTC pyspark-shell` });
    const child = spawn(pysparkPython(), [script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

describe('lesson 07\'s batch layer exported to Apache Spark with PostgreSQL (JDBC)', () => {
  let db: pg.Client;
  let connectors: RegisteredConnectors;
  let work: string;
  let exported = '';
  const engineTable = freshName('l07_batch_engine');
  const sparkTable = freshName('l07_batch_spark');

  beforeAll(async () => {
    const problem = pysparkProblem();
    if (problem) throw new Error(`parity: ${problem}`);
    const jdbcJar = await fetchPostgresJdbc();
    work = mkdtempSync(join(tmpdir(), 'streamlab-l07-parity-'));
    const lake = join(work, 'lake');
    const lesson = (await loadLessons(LESSONS)).find((l) => l.id === '07-lambda-architecture')!;
    for (const [path, text] of Object.entries(lakeFiles(lesson.lake!))) {
      mkdirSync(dirname(join(lake, path)), { recursive: true });
      writeFileSync(join(lake, path), text);
    }
    db = new pg.Client({ connectionString: databaseUrl() });
    await db.connect();
    const pgUrl = new URL(databaseUrl());
    const jdbcUrl = `jdbc:postgresql://${pgUrl.host}${pgUrl.pathname}`;
    const props = { user: decodeURIComponent(pgUrl.username), password: decodeURIComponent(pgUrl.password), driver: 'org.postgresql.Driver' };

    // The engine: the solution's batch view over the lake, written as its writeBatchView writes it.
    const formats = FormatRegistry.withBuiltIns();
    connectors = registerConnectors(formats, {});
    registerLocalCsv(formats, lake);
    const files = (await readLearnerFiles(LESSON)).filter((f) => f.path !== 'starter.ts');
    const solution = evaluateProgram(await compileProgram(files, 'solution.ts')) as { batchView(spark: SparkSession, until: string): DataFrame };
    const spark = SparkSession.builder.formats(formats).output(() => undefined).create();
    try {
      await solution.batchView(spark, UNTIL).write.option('truncate', 'true').jdbc(jdbcUrl, engineTable, 'overwrite', props);
    } finally {
      await spark.stop();
    }

    // Spark: the exported program's batch layer (what it writes before it starts the speed layer),
    // pointed at this run's database and table, run in the lake's folder.
    exported = (await exportProgramFiles(files, 'solution.ts')).code;
    const batchLayer = exported.slice(0, exported.indexOf('\nquery = ('));
    const script = batchLayer
      .replace('.option("url", "jdbc:postgresql://localhost:5432/streamlab")\n    .option("dbtable", "batch_view")', `.option("url", "${jdbcUrl}")\n    .option("dbtable", "${sparkTable}")`)
      .replace('.option("user", "streamlab")\n    .option("password", "streamlab")', `.option("user", "${props.user}")\n    .option("password", "${props.password}")`);
    if (script === batchLayer) throw new Error(`parity: the export's batch-layer write is not where the test looks for it:\n${batchLayer}`);
    const path = join(work, 'batch_layer.py');
    writeFileSync(path, script);
    const py = await runPython(path, lake, [jdbcJar]);
    if (py.code !== 0) throw new Error(`parity: the exported batch layer failed on Spark (exit ${py.code}):\n${py.output.slice(-4000)}`);
  }, 540_000);

  afterAll(async () => {
    await connectors?.close();
    await db?.end();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('exports the batch layer as a read of the lake and a truncating JDBC overwrite, before the speed layer starts', () => {
    expect(exported).toMatch(/\nbatch_view = \(\n {4}spark\.read\n {4}\.format\("csv"\)\n {4}\.schema\("reported DATE, date DATE, country STRING, cases INT, deaths INT"\)\n/);
    expect(exported).toContain('    batch_view.write\n    .format("jdbc")\n    .mode("overwrite")\n    .option("truncate", "true")\n');
    expect(exported.indexOf('batch_view.write')).toBeLessThan(exported.indexOf('\nquery = ('));
  });

  it('creates the table with the same column types as Spark\'s JDBC writer', async () => {
    const columns = async (table: string) => (await db.query(
      'SELECT column_name, data_type FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position', [table],
    )).rows.map((r) => [r.column_name, r.data_type]);
    const spark = await columns(sparkTable);
    expect(spark).toEqual([['week', 'date'], ['country', 'text'], ['cases', 'bigint'], ['deaths', 'bigint']]);
    expect(await columns(engineTable)).toEqual(spark);
  });

  it('writes the same weeks and sums', async () => {
    const rows = async (table: string) => (await db.query(`SELECT to_char(week, 'YYYY-MM-DD') AS week, country, cases::text, deaths::text FROM ${table} ORDER BY week, country`)).rows;
    const spark = await rows(sparkTable);
    // Four weeks of history, three countries.
    expect(spark.map((r) => r.week)).toEqual(['2020-03-02', '2020-03-09', '2020-03-16', '2020-03-23'].flatMap((w) => [w, w, w]));
    expect(await rows(engineTable)).toEqual(spark);
  });
});
