/**
 * Hostile submissions: what a student who wants a grade without solving anything, or the runtime's
 * secrets, would hand in. Each tries its attack and, where the attack would need to succeed to earn
 * points, falls back to the lesson's starter: if the attack did nothing, it scores 0.
 *
 * `marker` is a folder outside every sandbox; an attack that manages to write or run anything leaves a
 * file there.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const lessonFile = (lesson: string, file: string) => readFileSync(fileURLToPath(new URL(`../../lessons/${lesson}/${file}`, import.meta.url)), 'utf8');

/** One hostile submission. */
export interface Hostile {
  /** Short name (also the student's name in `--dir`). */
  name: string;
  lesson: string;
  /** The submission's source. */
  content: string;
  /** What every (or the first) failing check says, when the attack itself is what fails it. */
  message?: RegExp;
  /** Whether it attacks in `main()` too, so the PySpark export runs the attack. */
  inMain?: boolean;
}

export const L01 = '01-kafka-basics';
export const L02 = '02-dstream-temperature';
export const L03 = '03-structured-windows';
export const L04 = '04-report-topic-and-output-modes';
export const L05 = '05-locations-micro-batch-vs-flow';
export const L07 = '07-lambda-architecture';

/**
 * Statements a lesson-05 submission may try on the database its checks give it, by name. Each needs a
 * right the check's role does not have; `marker` is where one that worked would leave a file.
 */
export function databaseAttacks(marker: string): [string, string][] {
  return [
    ['become superuser', 'ALTER ROLE CURRENT_USER SUPERUSER'],
    ['become the administrator', 'SET ROLE postgres'],
    ['create a role', 'CREATE ROLE intruder LOGIN SUPERUSER'],
    ['read a server file', "SELECT pg_read_file('/etc/passwd')"],
    ['list a server folder', "SELECT pg_ls_dir('.')"],
    ['import a server file', "SELECT lo_import('/etc/passwd')"],
    ['COPY TO PROGRAM', `COPY (SELECT 1) TO PROGRAM 'touch ${marker}/copy-to-program'`],
    ['COPY FROM PROGRAM', "CREATE TABLE loot (line text); COPY loot FROM PROGRAM 'id'"],
    ['COPY TO a server file', `COPY (SELECT 1) TO '${marker}/copy-to-file'`],
    ['read password hashes', 'SELECT rolname, rolpassword FROM pg_authid'],
    ['read the server settings', 'SHOW data_directory'],
    ['create a schema', 'CREATE SCHEMA elsewhere'],
    ['write to public', 'CREATE TABLE public.loot (line text)'],
  ];
}

/** `code` before the lesson's starter, as the submission's first lines. */
const before = (lesson: string, code: string) => `${code}\n${lessonFile(lesson, 'starter.ts')}`;

/** `source` with an await that never resolves as the first line of each function `signatures` names. */
function hangAtStart(source: string, signatures: string[]): string {
  for (const signature of signatures) {
    if (!source.includes(signature)) throw new Error(`the lesson's solution has no \`${signature}\` to make hang`);
    source = source.replace(signature, `${signature}\n  await new Promise(() => {});`);
  }
  return source;
}

/**
 * The hostile submissions, writing their traces into `marker`; `loopLimitMs` is the sandbox's loop
 * limit the grades run with (what the endless loop's message names).
 */
export function hostileSubmissions(marker: string, loopLimitMs: number): Hostile[] {
  const mark = (what: string) => JSON.stringify(`${marker}/${what}`);
  const anyProcess = 'const p = process as any;';
  return [
    {
      name: 'l05-forged-report',
      lesson: L05,
      content: before(L05, `${anyProcess}
const forged = JSON.stringify({ checks: [], errors: [], numPassedTests: 6, numFailedTests: 0, testResults: [] });
for (const path of ["result.json", "../result.json", "../report.json", ${mark('l05-forged-report')}]) {
  try { p.getBuiltinModule("node:fs").writeFileSync(path, forged); } catch { /* refused */ }
}
try { p.kill(p.ppid, "SIGKILL"); } catch { /* refused */ }`),
    },
    {
      name: 'l05-read-solution',
      lesson: L05,
      content: before(L05, `${anyProcess}
let solution = "";
for (const read of [
  () => p.getBuiltinModule("node:fs").readFileSync("../../lessons/05-locations-micro-batch-vs-flow/solution.ts", "utf8"),
  () => (globalThis as any).require("fs").readFileSync("solution.ts", "utf8"),
  () => p.mainModule.require("fs").readFileSync("check.test.ts", "utf8"),
]) {
  try { solution = read(); } catch { /* refused */ }
}
if (solution) { try { p.getBuiltinModule("node:fs").writeFileSync(${mark('l05-read-solution')}, solution); } catch { /* refused */ } }`),
    },
    {
      name: 'l05-database-attacks',
      lesson: L05,
      // Every statement through the flow API's SlickSession as soon as the file loads; the secrets too.
      content: before(L05, `import { SlickSession as Session, sqlu as update } from "streamlab";
const attacks: string[] = [${databaseAttacks(marker).map(([, t]) => JSON.stringify(t)).join(', ')}];
void (async () => {
  const session = Session.forConfig("slick-postgres");
  for (const text of attacks) {
    try { await session.db.run(update([text] as unknown as TemplateStringsArray)); } catch { /* refused */ }
  }
})();
for (const read of [() => (process as any).env.STREAMLAB_TOKEN, () => (process as any).env.STREAMLAB_CHECK_DATABASE, () => (process as any).env.STREAMLAB_PG]) {
  try { read(); } catch { /* refused */ }
}`),
    },
    {
      name: 'l05-hard-coded-output',
      lesson: L05,
      // The lesson's own first fixes (the drivers generator, seed 5) written straight into every table, and the
      // comparison table as the tutorial prints it: nothing is read from Kafka or measured.
      content: `import { SlickSession, sqlu, SparkSession } from "streamlab";
const ROWS = [[180, 35.716124, 51.43954, "2026-11-21 10:00:00.100000"], [412, 35.70211, 51.40977, "2026-11-21 10:00:00.200000"]];
async function fill(table: string): Promise<void> {
  const session = SlickSession.forConfig("slick-postgres");
  await session.db.run(sqlu([\`CREATE TABLE IF NOT EXISTS \${table} ("driverId" integer, lat real, lng real, time timestamp)\`] as unknown as TemplateStringsArray));
  const insert = ["INSERT INTO " + table + " VALUES (", ", ", ", ", ", ", "::timestamp)"] as unknown as TemplateStringsArray;
  for (const [d, lat, lng, t] of ROWS) await session.db.run(sqlu(insert, d, lat, lng, t));
}
const fake = () => SparkSession.builder.getOrCreate().readStream.format("kafka").option("subscribe", "locations").load().writeStream.format("console").start();
export function fixes(spark: SparkSession) { return spark.readStream.format("kafka").option("subscribe", "locations").load().selectExpr("CAST(key AS INT) AS driverId", "CAST(0 AS FLOAT) AS lat", "CAST(0 AS FLOAT) AS lng", "timestamp AS time"); }
export function startAppend() { void fill("locations"); return fake(); }
export function startExactlyOnce() { void fill("locations_once"); return fake(); }
export async function startFlow() { await fill("locations_flow"); return { drainAndShutdown: async () => undefined, stop: async () => undefined, shutdown: async () => undefined }; }
export function comparisonTable() {
  return [
    { row: "Latency", spark: "p50 500 ms, p99 990 ms", flow: "p50 0 ms, p99 0 ms" },
    { row: "Architecture", spark: "micro-batch", flow: "flow" },
    { row: "Stage type", spark: "query", flow: "graph" },
    { row: "Container size", spark: "big", flow: "small" },
    { row: "Startup time", spark: "1000 ms", flow: "0 ms" },
    { row: "Use case", spark: "aggregations", flow: "projections" },
  ];
}
`,
    },
    {
      name: 'l07-out-of-the-lake',
      lesson: L07,
      // Lesson 07's sandbox may read its lake: out of it with spark.read.csv (up the tree, an absolute path,
      // a file URL) and with node:fs, and a forged day written into it so the batch view counts it.
      content: before(L07, `${anyProcess}
let loot = "";
for (const read of [
  () => JSON.stringify(SparkSession.builder.getOrCreate().read.csv("../../lessons/07-lambda-architecture/solution.ts").collect()),
  () => JSON.stringify(SparkSession.builder.getOrCreate().read.csv("covid/../../../../etc/passwd").collect()),
  () => JSON.stringify(SparkSession.builder.getOrCreate().read.csv("/etc/passwd").collect()),
  () => JSON.stringify(SparkSession.builder.getOrCreate().read.csv("file:/etc/hostname").collect()),
  () => JSON.stringify(SparkSession.builder.getOrCreate().read.text("../../lessons/07-lambda-architecture/solution.ts").collect()),
  () => JSON.stringify(SparkSession.builder.getOrCreate().read.json("covid/../../../../etc/passwd").collect()),
  () => JSON.stringify(SparkSession.builder.getOrCreate().read.text("/etc/passwd").collect()),
  () => JSON.stringify(SparkSession.builder.getOrCreate().readStream.text("../../lessons/07-lambda-architecture").schema.fieldNames()),
  () => p.getBuiltinModule("node:fs").readFileSync("/etc/passwd", "utf8"),
]) {
  try { loot += read(); } catch { /* refused */ }
}
for (const path of ["covid/2020-03-16.csv", "../covid/2020-03-16.csv"]) {
  try { p.getBuiltinModule("node:fs").writeFileSync(path, "reported,date,country,cases,deaths\\n"); } catch { /* refused */ }
}
if (loot) { try { p.getBuiltinModule("node:fs").writeFileSync(${mark('l07-out-of-the-lake')}, loot); } catch { /* refused */ } }`),
    },
    {
      name: 'forged-report',
      lesson: L03,
      // The grader's report file, the vitest result, and a result.json beside the submission: all-passed forgeries.
      content: before(L03, `${anyProcess}
const forged = JSON.stringify({ checks: [], errors: [], numPassedTests: 7, numFailedTests: 0, testResults: [] });
for (const path of ["result.json", "../result.json", "../report.json", ${mark('forged-report')}]) {
  try { p.getBuiltinModule("node:fs").writeFileSync(path, forged); } catch { /* refused */ }
}
try { p.kill(p.ppid, "SIGKILL"); } catch { /* refused */ }`),
    },
    {
      name: 'patched-assertions',
      lesson: L03,
      content: before(L03, `import { SparkSession as Session, functions as G } from "streamlab";
const g = globalThis as any;
g[Symbol.for("expect-global")] = { toEqual() {}, toBe() {} };
(Object.prototype as any).toEqual = () => true;
// The engine's own objects: their prototypes and the intrinsics behind them are frozen.
try { (Object.getPrototypeOf(G.col("a")) as any).alias = () => null; } catch { /* frozen */ }
try { (Object.getPrototypeOf(Session.builder) as any).getOrCreate = () => null; } catch { /* frozen */ }
try { (Object.getPrototypeOf(G.col("a").constructor.prototype.constructor) as any).x = 1; } catch { /* frozen */ }
try { const hostArray = Object.getPrototypeOf(SparkSession.builder.getOrCreate().readStream.format("kafka").option("subscribe", "x").load().columns); hostArray.includes = () => true; hostArray.filter = () => []; } catch { /* frozen */ }
try { (JSON as any).stringify = () => "[]"; } catch { /* frozen */ }`),
    },
    {
      name: 'read-solution',
      lesson: L03,
      content: before(L03, `${anyProcess}
let solution = "";
for (const read of [
  () => p.getBuiltinModule("node:fs").readFileSync("../../lessons/03-structured-windows/solution.ts", "utf8"),
  () => (globalThis as any).require("fs").readFileSync("solution.ts", "utf8"),
  () => p.mainModule.require("fs").readFileSync("check.test.ts", "utf8"),
]) {
  try { solution = read(); } catch { /* refused */ }
}
if (solution) { try { p.getBuiltinModule("node:fs").writeFileSync(${mark('read-solution')}, solution); } catch { /* refused */ } }`),
    },
    {
      name: 'env-snooping',
      lesson: L03,
      content: before(L03, 'const secrets = JSON.stringify(process.env);'),
      message: /^Pipelines cannot read environment variables: the runtime connects Kafka and PostgreSQL for you\.$/,
      inMain: true,
    },
    {
      name: 'proc-environ',
      lesson: L03,
      content: before(L03, `${anyProcess}
const environ = p.getBuiltinModule("node:fs").readFileSync("/proc/" + p.ppid + "/environ", "utf8");`),
      message: /^process\.getBuiltinModule is not available in a pipeline\.$/,
      inMain: true,
    },
    {
      name: 'child-process',
      lesson: L03,
      content: before(L03, `import { SparkSession as S } from "streamlab";
${anyProcess}
try { p.getBuiltinModule("node:child_process").execSync("touch " + ${mark('child-process')}); } catch { /* refused */ }
try { (S as any).constructor.constructor("return process")().getBuiltinModule("node:child_process").execSync("touch " + ${mark('child-process-escape')}); } catch { /* refused */ }
try { new (Object.getPrototypeOf(async function () {}).constructor)("return process")(); } catch { /* refused */ }`),
    },
    {
      name: 'function-escape',
      lesson: L03,
      content: before(L03, `import { SparkSession as S } from "streamlab";
const host = (S as any).constructor.constructor("return process")();
host.getBuiltinModule("node:fs").writeFileSync(${mark('function-escape')}, "x");`),
      message: /^Pipelines cannot turn strings into code \(eval, new Function\)\.$/,
      inMain: true,
    },
    {
      name: 'write-files',
      lesson: L03,
      content: before(L03, `${anyProcess}
p.getBuiltinModule("node:fs").writeFileSync(${mark('write-files')}, "x");`),
      message: /^process\.getBuiltinModule is not available in a pipeline\.$/,
      inMain: true,
    },
    {
      name: 'endless-loop',
      lesson: L03,
      content: lessonFile(L03, 'solution.ts').replace('export function temperatureWindows(spark: SparkSession): DataFrame {', 'export function temperatureWindows(spark: SparkSession): DataFrame {\n  let n = 0;\n  while (n >= 0) n++;'),
      message: new RegExp(`^This loop ran for more than ${loopLimitMs / 1000} s without finishing, so the pipeline was stopped: check its condition\\.$`),
    },
    {
      name: 'memory-bomb',
      lesson: L03,
      content: lessonFile(L03, 'solution.ts').replace('export function temperatureWindows(spark: SparkSession): DataFrame {', 'export function temperatureWindows(spark: SparkSession): DataFrame {\n  const hoard: number[][] = [];\n  for (;;) hoard.push(new Array(1_000_000).fill(hoard.length));'),
      message: /^Your code used more than 256 MB and was stopped\.$/,
    },
    {
      name: 'process-exit',
      lesson: L03,
      content: before(L03, 'process.exit(0);'),
      message: /^process\.exit\(\) is not available in a pipeline: stop the query instead/,
      inMain: true,
    },
    {
      name: 'hard-coded-output',
      lesson: L01,
      // Prints exactly what the fixed report scenario expects and sends the fixed readings' records, computing nothing.
      content: `import { KafkaProducer } from "streamlab";
const LINES = [
  'report:0:0: key=sensor-3 value={"node_name":"sensor-3","avg":22.1}',
  'report:0:1: key=sensor-3 value={"node_name":"sensor-3","avg":22.6}',
  'report:1:0: key=sensor-1 value={"node_name":"sensor-1","avg":21.4}',
  'report:1:1: key=sensor-2 value={"node_name":"sensor-2","avg":19.8}',
  'report:1:2: key=sensor-1 value={"node_name":"sensor-1","avg":21.9}',
  'report:1:3: key=sensor-2 value={"node_name":"sensor-2","avg":20.3}',
];
const printed = new Set<string>();
export async function produceReadings(readings: { node_name: string }[]): Promise<void> {
  const producer = new KafkaProducer({ bootstrap_servers: "localhost:9092" });
  const fixed = ["sensor-1", "sensor-2", "sensor-3"];
  for (const r of readings) await producer.send("sensors.temperature", { key: fixed[r.node_name.length % 3]!, value: JSON.stringify(r) });
  await producer.flush();
}
export async function printReport(groupId: string): Promise<void> {
  if (printed.has(groupId)) return;
  printed.add(groupId);
  for (const line of LINES) console.log(line);
}
`,
    },
    {
      name: 'async-hang',
      lesson: L01,
      // Every function a check calls waits forever, so no check can pass: lesson 01's solution must
      // still have each of them, or the submission would earn points and test something else.
      content: hangAtStart(lessonFile(L01, 'solution.ts'), [
        'export async function produceReadings(readings: SensorReading[]): Promise<void> {',
        'export async function produceReadingsMsgpack(readings: SensorReading[]): Promise<RecordSize[]> {',
        'export async function printReport(groupId: string): Promise<void> {',
      ]),
      // The first check calls produceReadings: it waits at the await inserted at its first line.
      message: /did not finish within \d+ s and was stopped: it waits at line 12 for an await that never resolves\.$/,
    },
    {
      name: 'l02-hard-coded-batches',
      lesson: L02,
      // Sends, batch after batch, the messages the fixed scenario expects and prints the fixed windows'
      // lines, whatever arrived: only a check whose inputs the submission cannot know catches it.
      content: `import { KafkaProducer, KafkaUtils, StreamingContext } from "streamlab";
const BATCHES: [string, number][][] = [[["sensor-1", 21.17], ["sensor-2", 30.75]], [["sensor-1", 24.25], ["sensor-2", 28.75]], [["sensor-3", 18.75]]];
const MINUTES: [number, [string, number][]][] = [[5, [["sensor-1", 22.44], ["sensor-2", 29.39], ["sensor-3", 18.75]]], [11, [["sensor-1", 22.33], ["sensor-2", 28.42]]]];
const COUNTS = [5, 9, 11, 13, 15, 17, 14, 12, 12, 12, 12, 12, 12];
function everyBatch(ssc: StreamingContext, send: (batch: number) => void): void {
  let batch = 0;
  KafkaUtils.createDirectStream(ssc, ["sensors.temperature"], { "metadata.broker.list": "localhost:9092" }).foreachRDD(() => send(batch++));
}
export function temperatureJob(ssc: StreamingContext): void {
  const producer = new KafkaProducer({ bootstrap_servers: "localhost:9092" });
  everyBatch(ssc, (b) => { for (const [node, avg] of BATCHES[b] ?? []) void producer.send("report", { key: node, value: "Node Name: " + node + ", Average Temp: " + avg + " for window of 10 seconds" }); });
}
export function minuteReport(ssc: StreamingContext): void {
  const producer = new KafkaProducer({ bootstrap_servers: "localhost:9092" });
  everyBatch(ssc, (b) => { for (const [node, avg] of MINUTES.find(([at]) => at === b)?.[1] ?? []) void producer.send("report", { key: node, value: "Node Name: " + node + ", Average Temp: " + avg + " for window of 60 seconds" }); });
}
export function slidingAverages(ssc: StreamingContext): void {
  const two = (n: number) => String(n).padStart(2, "0");
  everyBatch(ssc, (b) => console.log(["-------------------------------------------", "Time: 2026-11-21 10:" + two(Math.floor((b + 1) / 6)) + ":" + two(((b + 1) % 6) * 10), "-------------------------------------------", String(COUNTS[b] ?? 0), ""].join(String.fromCharCode(10))));
}
export function main(): void {}
`,
    },
    {
      name: 'read-other-students',
      lesson: L03,
      // Another student's submission, the grader's work folders and the lessons beside this one, by every
      // way a file might be reached: none is, so the starter below scores nothing.
      content: before(L03, `${anyProcess}
let loot = "";
for (const read of [
  () => p.getBuiltinModule("node:fs").readdirSync("..").join(","),
  () => p.getBuiltinModule("node:fs").readFileSync("../alice.ts", "utf8"),
  () => p.getBuiltinModule("node:fs").readdirSync(p.env.TMPDIR ?? "/tmp").join(","),
  () => (globalThis as any).require("fs").readdirSync("/tmp").join(","),
  () => JSON.stringify(SparkSession.builder.getOrCreate().read.csv("../alice.ts").collect()),
  () => JSON.stringify(SparkSession.builder.getOrCreate().read.text("../../lessons/03-structured-windows/solution.ts").collect()),
]) {
  try { loot += read(); } catch { /* refused */ }
}
if (loot) { try { p.getBuiltinModule("node:fs").writeFileSync(${mark('read-other-students')}, loot); } catch { /* refused */ } }`),
    },
    {
      name: 'forged-result-lines',
      lesson: L03,
      // What a grader that read the check run's output would take for passed checks, printed every way.
      content: before(L03, `const passed = ["update-averages", "event-time-windows", "late-kept", "late-dropped", "append-starts", "append-waits", "append-final", "report-topic", "unseen-day"];
const report = JSON.stringify({ checks: passed.map((id) => ({ id, title: id, status: "passed", durationMs: 1, failure: null })), errors: [] });
console.log(report);
process.stdout.write(report + String.fromCharCode(10));
process.stderr.write(report + String.fromCharCode(10));
for (const id of passed) console.log(" \u2713 " + id);
console.log(JSON.stringify({ kind: "check.result", checkId: "c1", lessonId: "03-structured-windows", score: 18, maxScore: 18, tests: [] }));
console.log(" Test Files  1 passed (1)\\n      Tests  8 passed (8)");`),
    },
    {
      name: 'fake-query',
      lesson: L04,
      // Objects that look like a DataFrame and like queries, with "printed" tables: no query ever runs.
      content: `const fake = () => ({ id: "q", name: null, isActive: true, processAllAvailable: async () => {}, awaitTermination: async () => {}, stop: async () => {}, lastProgress: null });
export const events = () => ({ columns: ["timestamp", "origin"], isStreaming: true, schema: { fields: [] } });
export const startConsole = () => fake();
export const startReport = () => fake();
export function main(): void {}
`,
      message: /^events\(…\) returned a plain object, not a DataFrame built with the streamlab API\.$/,
    },
  ];
}
