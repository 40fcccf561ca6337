/**
 * Lesson 05's Spark half on real Apache Spark with a real PostgreSQL: the same drivers' fixes on one
 * Kafka topic go through the engine (the lesson's solution: `fixes(spark)` and its foreachBatch
 * `write.jdbc` append) into one table, and through the program `streamlab export --lesson 05` writes,
 * run by PySpark with the PostgreSQL JDBC driver, into another. Both tables must have the same columns
 * with the same PostgreSQL types, and the same rows. Both read with Trigger.AvailableNow and
 * maxOffsetsPerTrigger, so several micro-batches are appended.
 */
import { FormatRegistry } from '../../runtime/src/engine/formats.js';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseUrl, freshName, freshTopic, kafkaBootstrap } from '../services/inject.js';
import { registerConnectors, type RegisteredConnectors } from '../../runtime/src/connectors/index.js';
import { ManualClock } from '../../runtime/src/engine/clock.js';
import { planNode, type LogicalPlan } from '../../runtime/src/engine/plans/plan.js';
import { DataFrame, SparkSession } from '../../runtime/src/engine/structured/index.js';
import { compileProgram, evaluateProgram, exportProgramFiles } from '../../runtime/src/export/index.js';
import { generateDriverFixes } from '../../runtime/src/datagen/index.js';
import { readLearnerFiles } from '../../runtime/src/lessons/submission-files.js';
import { connectorJars, pysparkEnv, pysparkProblem, pysparkPython } from './pyspark-dist.js';
import { fetchPostgresJdbc } from './postgres-jdbc.js';
import { createTopicReady } from '../services/create-topic.js';

/** The formats this file's sessions know. */
const formats = FormatRegistry.withBuiltIns();

const LESSON = fileURLToPath(new URL('../../lessons/05-locations-micro-batch-vs-flow', import.meta.url));
const PER_TRIGGER = 23;
const FIXES = generateDriverFixes({ seed: 505, drivers: 9, count: 100, intervalMs: 250 }).map((f) => f.fix);

/** The Kafka source of a plan pointed at this run's topic, `n` offsets per trigger. */
function onTopic(plan: LogicalPlan, bootstrap: string, topic: string, n: number): LogicalPlan {
  if (plan.kind === 'StreamingRelation') {
    return planNode({ ...plan, options: { ...plan.options, 'kafka.bootstrap.servers': bootstrap, subscribe: topic, startingOffsets: 'earliest', maxOffsetsPerTrigger: String(n) } });
  }
  return planNode({ ...plan, child: onTopic((plan as { child: LogicalPlan }).child, bootstrap, topic, n) } as LogicalPlan);
}

function runPython(script: string, jars: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    let output = '';
    const env = pysparkEnv({ PYSPARK_SUBMIT_ARGS: `--jars ${jars.join(',')} pyspark-shell` });
    const child = spawn(pysparkPython(), [script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

describe('lesson 05 on Apache Spark with PostgreSQL (JDBC)', () => {
  let db: pg.Client;
  let connectors: RegisteredConnectors;
  let work: string;
  const engineTable = freshName('l05_engine');
  const sparkTable = freshName('l05_spark');
  let engineBatches = 0;
  let exported = '';

  beforeAll(async () => {
    const problem = pysparkProblem();
    if (problem) throw new Error(`parity: ${problem}`);
    const jdbcJar = await fetchPostgresJdbc();
    work = mkdtempSync(join(tmpdir(), 'streamlab-l05-parity-'));
    db = new pg.Client({ connectionString: databaseUrl() });
    await db.connect();
    const bootstrap = kafkaBootstrap();
    const topic = freshTopic('l05-parity');
    const kafka = new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await createTopicReady(admin, topic, 1);
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: FIXES.map((f) => ({ key: f.driverId, value: JSON.stringify(f) })) });
    await producer.disconnect();

    // The engine: the solution's fixes(spark), appended batch by batch as its foreachBatch does.
    const pgUrl = new URL(databaseUrl());
    const jdbcUrl = `jdbc:postgresql://${pgUrl.host}${pgUrl.pathname}`;
    const props = { user: decodeURIComponent(pgUrl.username), password: decodeURIComponent(pgUrl.password), driver: 'org.postgresql.Driver' };
    connectors = registerConnectors(formats, { kafka: { brokers: [bootstrap], clientId: 'l05-parity' } });
    const files = (await readLearnerFiles(LESSON)).filter((f) => f.path !== 'starter.ts');
    const solution = evaluateProgram(await compileProgram(files, 'solution.ts')) as { fixes(spark: SparkSession): DataFrame };
    const spark = SparkSession.builder.formats(formats).clock(new ManualClock(0)).create();
    try {
      const plan = onTopic(solution.fixes(spark).plan, bootstrap, topic, PER_TRIGGER);
      const query = new DataFrame(spark, plan).writeStream.trigger({ availableNow: true }).foreachBatch(async (batch: DataFrame) => {
        engineBatches++;
        await batch.write.jdbc(jdbcUrl, engineTable, 'append', props);
      }).start();
      await query.awaitTermination();
    } finally {
      await spark.stop();
    }

    // Spark: the exported program, pointed at this run's topic, table and database, until the topic is read.
    exported = (await exportProgramFiles(files, 'solution.ts')).code;
    const script = exported
      .replace('.option("kafka.bootstrap.servers", "localhost:9092")', `.option("kafka.bootstrap.servers", "${bootstrap}")`)
      .replace('.option("subscribe", "locations")', `.option("subscribe", "${topic}")\n        .option("maxOffsetsPerTrigger", "${PER_TRIGGER}")`)
      .replace(/url="jdbc:postgresql:\/\/localhost:5432\/streamlab"/, `url="${jdbcUrl}"`)
      .replace('table="locations"', `table="${sparkTable}"`)
      .replace(/"user": "streamlab", "password": "streamlab"/, `"user": "${props.user}", "password": "${props.password}"`)
      .replace(/\.option\("checkpointLocation", "[^"]*"\)/, `.option("checkpointLocation", "${join(work, 'checkpoint')}")`)
      .replace('.trigger(processingTime="1 second")', '.trigger(availableNow=True)');
    const path = join(work, 'locations.py');
    writeFileSync(path, script);
    const py = await runPython(path, [...connectorJars(), jdbcJar]);
    if (py.code !== 0) throw new Error(`parity: the exported program failed on Spark (exit ${py.code}):\n${py.output.slice(-4000)}`);
  }, 540_000);

  afterAll(async () => {
    await connectors?.close();
    await db?.end();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('exports the foreachBatch append as Spark\'s own JDBC write (no stub)', () => {
    expect(exported).toContain('batch_df.write.jdbc(url="jdbc:postgresql://localhost:5432/streamlab", table="locations", mode="append"');
    expect(exported).not.toContain('NotImplementedError');
    expect(engineBatches).toBe(Math.ceil(FIXES.length / PER_TRIGGER));
  });

  it('creates the table with the same column types as Spark\'s JDBC writer', async () => {
    const columns = async (table: string) => (await db.query(
      'SELECT column_name, data_type FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position', [table],
    )).rows.map((r) => [r.column_name, r.data_type]);
    const spark = await columns(sparkTable);
    expect(spark).toEqual([['driverId', 'integer'], ['lat', 'real'], ['lng', 'real'], ['time', 'timestamp without time zone']]);
    expect(await columns(engineTable)).toEqual(spark);
  });

  it('writes the same rows, each fix once', async () => {
    const rows = async (table: string) => (await db.query(
      `SELECT "driverId", lat::text AS lat, lng::text AS lng, to_char(time, 'YYYY-MM-DD HH24:MI:SS.US') AS time FROM ${table} ORDER BY time, "driverId"`,
    )).rows;
    const spark = await rows(sparkTable);
    expect(spark).toHaveLength(FIXES.length);
    expect(spark.map((r) => r.time)).toEqual(FIXES.map((f) => f.time));
    expect(await rows(engineTable)).toEqual(spark);
  });
});
