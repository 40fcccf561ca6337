/**
 * The file source and the file sink on real Apache Spark: the same program (JSON files arriving in a
 * folder, read two at a time into a JSON file sink; a restart after one file changed and one was
 * added; the same folder newest first, one file a batch, into a CSV sink; a static read of the sink's
 * folder) runs on PySpark 3.5.7 and on the engine over a workspace folder each. The source logs
 * (`sources/0/<n>`), the offsets, the sinks' `_spark_metadata` entries and part files, the rows read
 * back and the errors of misuse must be the same, paths taken from the folder.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { learnerCheckpointResolver } from '../../runtime/src/checkpoint/learner-checkpoints.js';
import { workspaceArea } from '../../runtime/src/connectors/files/workspace.js';
import { registerFileFormats } from '../../runtime/src/engine/files/index.js';
import { SparkSession, type DataFrame } from '../../runtime/src/streamlab.js';
import { pysparkEnv, pysparkProblem, pysparkPython } from './pyspark-dist.js';

/** The input files, each with its modification time in seconds, in the order the program writes them. */
const FIRST: Array<[string, string, number]> = [
  ['in/b.json', '{"n":2,"s":"b","t":"2024-01-01T10:00:00Z","x":1.5}\n', 200],
  ['in/a.json', '{"n":1,"s":"a, \\"q\\""}\n{"n":11}\nnot json\n', 100],
  ['in/c.json', '{"n":3,"s":"","x":1e7}\n', 300],
  ['in/_hidden.json', '{"n":9}\n', 50],
  ['in/.hidden.json', '{"n":8}\n', 60],
];
const SECOND: Array<[string, string, number]> = [
  ['in/a.json', '{"n":100}\n', 400],
  ['in/d.json', '{"n":4}\n', 350],
];
const SCHEMA = 'n INT, s STRING, t TIMESTAMP, x DOUBLE';

function put(ws: string, [path, text, second]: [string, string, number]): void {
  const full = join(ws, path);
  mkdirSync(join(full, '..'), { recursive: true });
  writeFileSync(full, text);
  utimesSync(full, second, second);
}

const SCRIPT = `
import json, os, sys
from pyspark.sql import SparkSession
ws, files = sys.argv[1], json.loads(sys.argv[2])
spark = (SparkSession.builder.master("local[1]").config("spark.ui.enabled", "false")
         .config("spark.sql.session.timeZone", "UTC").config("spark.sql.shuffle.partitions", "1").getOrCreate())
spark.sparkContext.setLogLevel("OFF")
def put(path, text, second):
    f = os.path.join(ws, path)
    os.makedirs(os.path.dirname(f), exist_ok=True)
    open(f, "w").write(text)
    os.utime(f, (second, second))
P = lambda p: ws + p
schema = ${JSON.stringify(SCHEMA)}
def run(df, fmt, out, cp):
    q = df.writeStream.format(fmt).option("path", P(out)).option("checkpointLocation", P(cp)).start()
    q.processAllAvailable()
    q.stop()
for f in files["first"]: put(*f)
run(spark.readStream.schema(schema).option("maxFilesPerTrigger", 2).json(P("/in")), "json", "/out_json", "/cp1")
for f in files["second"]: put(*f)
run(spark.readStream.schema(schema).option("maxFilesPerTrigger", 2).json(P("/in")), "json", "/out_json", "/cp1")
run(spark.readStream.schema(schema).option("maxFilesPerTrigger", 1).option("latestFirst", "true").json(P("/in")), "csv", "/out_csv", "/cp3")
back = spark.read.json(P("/out_json"))
errors = {}
def err(name, f):
    try:
        f()
        errors[name] = None
    except Exception as e:
        errors[name] = str(e).split("\\n")[0].replace(ws, "")
src = spark.readStream.schema(schema).json(P("/in"))
err("noSchema", lambda: spark.readStream.json(P("/in")))
err("missing", lambda: spark.readStream.schema(schema).json(P("/missing")))
err("noPath", lambda: spark.readStream.format("text").load())
err("complete", lambda: src.groupBy("n").count().writeStream.format("csv").option("path", P("/o")).option("checkpointLocation", P("/c")).outputMode("complete").start())
err("noCheckpoint", lambda: src.writeStream.format("json").start(P("/o")))
err("sinkNoPath", lambda: src.writeStream.format("json").option("checkpointLocation", P("/c")).start())
back.write.json(P("/static"))
err("exists", lambda: back.write.json(P("/static")))
back.write.mode("append").csv(P("/static"))
back.write.mode("ignore").json(P("/static"))
json.dump({"dtypes": back.dtypes, "rows": [list(r) for r in back.collect()], "errors": errors}, open(os.path.join(ws, "..", "spark.json"), "w"))
`;

function runPython(args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    let output = '';
    const child = spawn(pysparkPython(), args, { env: pysparkEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

/** The engine's side of the program, over the workspace `ws`. */
async function engineSide(ws: string): Promise<{ dtypes: string[][]; rows: unknown[][]; errors: Record<string, string | null> }> {
  const spark = SparkSession.builder.output(() => undefined).config('spark.sql.session.timeZone', 'UTC').checkpointResolver(learnerCheckpointResolver(ws)).create();
  registerFileFormats(spark.formats, workspaceArea(ws, { writable: true }));
  const run = async (df: DataFrame, fmt: string, out: string, cp: string) => {
    const q = df.writeStream.format(fmt).option('path', out).option('checkpointLocation', cp).start();
    await q.processAllAvailable();
    await q.stop();
  };
  for (const f of FIRST) put(ws, f);
  await run(spark.readStream.schema(SCHEMA).option('maxFilesPerTrigger', 2).json('/in'), 'json', '/out_json', '/cp1');
  for (const f of SECOND) put(ws, f);
  await run(spark.readStream.schema(SCHEMA).option('maxFilesPerTrigger', 2).json('/in'), 'json', '/out_json', '/cp1');
  await run(spark.readStream.schema(SCHEMA).option('maxFilesPerTrigger', 1).option('latestFirst', 'true').json('/in'), 'csv', '/out_csv', '/cp3');
  const back = spark.read.json('/out_json');
  const errors: Record<string, string | null> = {};
  const err = (name: string, f: () => unknown) => {
    try {
      f();
      errors[name] = null;
    } catch (e) {
      errors[name] = (e as Error).message;
    }
  };
  const src = spark.readStream.schema(SCHEMA).json('/in');
  err('noSchema', () => spark.readStream.json('/in'));
  err('missing', () => spark.readStream.schema(SCHEMA).json('/missing'));
  err('noPath', () => spark.readStream.format('text').load());
  err('complete', () => src.groupBy('n').count().writeStream.format('csv').option('path', '/o').option('checkpointLocation', '/c').outputMode('complete').start());
  err('noCheckpoint', () => src.writeStream.format('json').start('/o'));
  err('sinkNoPath', () => src.writeStream.format('json').option('checkpointLocation', '/c').start());
  await back.write.json('/static');
  try {
    await back.write.json('/static');
    errors.exists = null;
  } catch (e) {
    errors.exists = (e as Error).message;
  }
  await back.write.mode('append').csv('/static');
  await back.write.mode('ignore').json('/static');
  const rows = back.collect().map((r) => back.columns.map((c) => r[c] ?? null));
  await spark.stop();
  return { dtypes: back.dtypes, rows, errors };
}

const numbered = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((n) => /^\d+$/.test(n)).sort((a, b) => Number(a) - Number(b)) : []);

/** What the program left in a workspace, with the workspace's own path taken out of it. */
function summary(ws: string): unknown {
  const strip = (text: string) => text.split(`file://${ws}/`).join('file:///');
  const checkpoint = (cp: string) => ({
    sourceLog: numbered(join(ws, cp, 'sources', '0')).map((n) => strip(readFileSync(join(ws, cp, 'sources', '0', n), 'utf8'))),
    offsets: numbered(join(ws, cp, 'offsets')).map((n) => readFileSync(join(ws, cp, 'offsets', n), 'utf8').trim().split('\n').slice(2)),
    commits: numbered(join(ws, cp, 'commits')),
  });
  const sink = (out: string) => numbered(join(ws, out, '_spark_metadata')).map((n) => {
    const [version, ...entries] = readFileSync(join(ws, out, '_spark_metadata', n), 'utf8').split('\n');
    return {
      version,
      files: entries.map((line) => {
        const e = JSON.parse(line) as Record<string, unknown>;
        const path = strip(e.path as string);
        const file = join(ws, path.slice('file:///'.length));
        return {
          keys: Object.keys(e),
          name: /^file:\/\/\/[a-z_]+\/part-00000-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-c000\.(json|csv)$/.test(path) ? 'part-00000-<uuid>-c000' : path,
          sizeIsTheFile: e.size === statSync(file).size,
          rest: [e.isDir, e.blockReplication, e.blockSize, e.action],
          // Spark orders a batch's files by size before reading them; the rows of a batch are compared as a set.
          lines: readFileSync(file, 'utf8').split('\n').sort(),
        };
      }),
    };
  });
  // A static write: part files and _SUCCESS, no metadata log; the rows of all its files as a set.
  const staticDir = join(ws, 'static');
  const staticWrite = readdirSync(staticDir).filter((n) => !n.startsWith('.')).map((n) => n.replace(/^part-00000-[0-9a-f-]{36}-c000\./, 'part-00000-<uuid>-c000.')).sort();
  const staticLines = readdirSync(staticDir).filter((n) => n.startsWith('part-')).flatMap((n) => readFileSync(join(staticDir, n), 'utf8').split('\n')).sort();
  return { cp1: checkpoint('cp1'), cp3: checkpoint('cp3'), outJson: sink('out_json'), outCsv: sink('out_csv'), staticWrite, staticLines };
}

const sortRows = (rows: unknown[][]) => [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describe('file source and sink on Apache Spark', () => {
  let work: string;
  let spark: { dtypes: string[][]; rows: unknown[][]; errors: Record<string, string | null> };
  let engine: Awaited<ReturnType<typeof engineSide>>;

  beforeAll(async () => {
    const problem = pysparkProblem();
    if (problem) throw new Error(`parity: ${problem}`);
    work = mkdtempSync(join(tmpdir(), 'streamlab-file-parity-'));
    mkdirSync(join(work, 'spark', 'ws'), { recursive: true });
    mkdirSync(join(work, 'engine'), { recursive: true });
    writeFileSync(join(work, 'files.py'), SCRIPT);
    const r = await runPython([join(work, 'files.py'), join(work, 'spark', 'ws'), JSON.stringify({ first: FIRST, second: SECOND })]);
    if (r.code !== 0) throw new Error(`PySpark failed (${r.code}):\n${r.output.slice(-4000)}`);
    spark = JSON.parse(readFileSync(join(work, 'spark', 'spark.json'), 'utf8'));
    engine = await engineSide(join(work, 'engine'));
  }, 600_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('logs the same files per batch in sources/0, oldest first or newest first, each file once', () => {
    const s = summary(join(work, 'spark', 'ws')) as { cp1: unknown; cp3: unknown };
    const e = summary(join(work, 'engine')) as { cp1: unknown; cp3: unknown };
    expect(e.cp1).toEqual(s.cp1);
    expect(e.cp3).toEqual(s.cp3);
    // The restart read d.json only: a.json had changed, but it had been read.
    expect((s.cp1 as { sourceLog: string[] }).sourceLog).toHaveLength(3);
    expect((s.cp3 as { sourceLog: string[] }).sourceLog).toHaveLength(4);
  });

  it('writes the same part files and _spark_metadata entries', () => {
    const s = summary(join(work, 'spark', 'ws')) as { outJson: unknown; outCsv: unknown };
    const e = summary(join(work, 'engine')) as { outJson: unknown; outCsv: unknown };
    expect(e.outJson).toEqual(s.outJson);
    expect(e.outCsv).toEqual(s.outCsv);
    expect([(s.outJson as unknown[]).length, (s.outCsv as unknown[]).length]).toEqual([3, 4]);
  });

  it('writes a static DataFrame into the same files, honouring the save modes', () => {
    const s = summary(join(work, 'spark', 'ws')) as { staticWrite: string[]; staticLines: string[] };
    const e = summary(join(work, 'engine')) as { staticWrite: string[]; staticLines: string[] };
    expect(e.staticWrite).toEqual(s.staticWrite);
    expect(e.staticLines).toEqual(s.staticLines);
    expect(s.staticWrite.filter((n) => n.startsWith('part-'))).toHaveLength(2);
  });

  it("reads the sink's folder back with the same inferred schema and rows", () => {
    expect(engine.dtypes).toEqual(spark.dtypes);
    expect(sortRows(engine.rows)).toEqual(sortRows(spark.rows));
    expect(spark.rows).toHaveLength(6);
  });

  it('refuses misuse with the same messages', () => {
    expect(engine.errors).toEqual(spark.errors);
    expect(Object.values(spark.errors).filter((m) => m === null)).toEqual([]);
  });
});
