/**
 * The batch layer of a lambda architecture on real Apache Spark: seeded DAX closes and COVID-19
 * counts are written as CSV files into a folder standing in for the data lake; the engine reads them
 * with `spark.read.csv` and a schema, keeps the latest report per country and date (`row_number`
 * over a window), joins the two series on date, and computes returns (`lag`), rolling means and a
 * rolling correlation (`avg`/`corr` over `rowsBetween`), and per-country statistics (`corr`,
 * `covar_samp`, `stddev`). The same DataFrames exported to PySpark (the export's own chain, reading
 * the same files) must give the same rows.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerLocalCsv } from '../../runtime/src/connectors/files/local-files.js';
import { generateLakeDays, lakeCsv } from '../../runtime/src/datagen/index.js';
import { functions as F, SparkSession, Window, type DataFrame } from '../../runtime/src/streamlab.js';
import { planChain } from '../../runtime/src/export/plan-code.js';
import { StubCollector } from '../../runtime/src/export/python-text.js';
import { plainRows, compareBatch, type Plain } from './canonical.js';
import { pysparkEnv, pysparkProblem, pysparkPython } from './pyspark-dist.js';

/** The batch views, as a learner builds them over the lake. */
function batchViews(spark: SparkSession, lake: string): Record<string, DataFrame> {
  const dax = spark.read.csv(`${lake}/dax`, { schema: 'date DATE, close DOUBLE', header: true });
  const reports = spark.read.csv(`${lake}/covid`, { schema: 'reported DATE, date DATE, country STRING, cases INT, deaths INT', header: true });
  // A later file may correct an earlier day: the latest report of each country and date wins.
  const latest = Window.partitionBy('country', 'date').orderBy(F.col('reported').desc());
  const counts = reports.withColumn('rn', F.row_number().over(latest)).filter('rn = 1').drop('rn', 'reported');
  const days = counts.join(dax, 'date', 'inner');
  const w = Window.partitionBy('country').orderBy('date');
  const daily = days
    .withColumn('dax_return', F.col('close').divide(F.lag('close').over(w)).minus(1))
    .withColumn('cases_change', F.col('cases').minus(F.lag('cases', 1, 0).over(w)))
    .withColumn('cases_avg5', F.avg('cases').over(w.rowsBetween(-4, Window.currentRow)))
    .withColumn('corr10', F.corr('close', 'cases').over(w.rowsBetween(-9, 0)))
    .withColumn('day', F.row_number().over(w))
    .withColumn('max_cases', F.max('cases').over(Window.partitionBy('country')));
  const summary = days.groupBy('country').agg(
    F.corr('close', 'cases').alias('corr'), F.covar_samp('close', 'deaths').alias('covar'), F.stddev('close').alias('sd'),
    F.var_pop('cases').alias('var'), F.count('*').alias('n'),
  );
  return { daily, summary };
}

const RUNNER = `
import calendar, datetime, json, sys
from pyspark.sql import SparkSession, Window
from pyspark.sql import functions as F
EPOCH = datetime.date(1970, 1, 1)
def plain(v):
    if isinstance(v, datetime.datetime):
        return calendar.timegm(v.timetuple()) * 1_000_000 + v.microsecond
    if isinstance(v, datetime.date):
        return (v - EPOCH).days
    return v
spark = (SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false")
         .config("spark.sql.session.timeZone", "UTC").config("spark.sql.shuffle.partitions", "3").getOrCreate())
spark.sparkContext.setLogLevel("ERROR")
out = {}
`;

function runPython(script: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    let output = '';
    const env = pysparkEnv();
    const child = spawn(pysparkPython(), [script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

describe('the lambda batch layer on Apache Spark', () => {
  let work: string;
  const engine: Record<string, Plain[]> = {};
  let spark: Record<string, Plain[]> = {};

  beforeAll(async () => {
    const problem = pysparkProblem();
    if (problem) throw new Error(`parity: ${problem}`);
    work = mkdtempSync(join(tmpdir(), 'streamlab-lambda-parity-'));
    const lake = join(work, 'lake');
    for (const day of generateLakeDays({ seed: 707, startDate: '2020-02-24', days: 45, countries: ['Germany', 'Italy', 'Spain'] })) {
      for (const [path, text] of Object.entries(lakeCsv(day))) {
        mkdirSync(dirname(join(lake, path)), { recursive: true });
        writeFileSync(join(lake, path), text);
      }
    }
    const session = SparkSession.builder.output(() => undefined).create();
    registerLocalCsv(session.formats);
    const views = batchViews(session, lake);
    const stubs = new StubCollector();
    let script = RUNNER;
    for (const [name, df] of Object.entries(views)) {
      engine[name] = plainRows(df.collectInternal(), df.schema);
      script += `df = (${planChain(df.plan, { stubs, where: name }).join('\n    ')})\n`;
      script += `out[${JSON.stringify(name)}] = {"columns": df.columns, "rows": [{k: plain(v) for k, v in r.asDict().items()} for r in df.collect()]}\n`;
    }
    expect(stubs.stubs).toEqual([]);
    script += `json.dump(out, open(${JSON.stringify(join(work, 'spark.json'))}, "w"))\n`;
    writeFileSync(join(work, 'views.py'), script);
    const r = await runPython(join(work, 'views.py'));
    if (r.code !== 0) throw new Error(`PySpark failed (${r.code}):\n${r.output.slice(-4000)}\n--- script ---\n${script}`);
    const got = JSON.parse(readFileSync(join(work, 'spark.json'), 'utf8')) as Record<string, { columns: string[]; rows: Plain[] }>;
    spark = Object.fromEntries(Object.entries(got).map(([k, v]) => [k, v.rows]));
    for (const [name, df] of Object.entries(views)) expect(got[name]!.columns, name).toEqual(df.columns);
  }, 600_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('gives the same daily view: latest reports joined with trading days, returns, rolling means and correlation', () => {
    expect(engine.daily!.length).toBeGreaterThan(60);
    expect(compareBatch(engine.daily!, spark.daily!)).toBeUndefined();
  });

  it('gives the same per-country statistics', () => {
    expect(engine.summary!.length).toBe(3);
    expect(compareBatch(engine.summary!, spark.summary!)).toBeUndefined();
  });
});
