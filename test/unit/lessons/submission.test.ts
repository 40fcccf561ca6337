import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckSandbox, compileProgram, LearnerCodeError } from '../../../runtime/src/lessons/check-sandbox.js';
import { entryFile, readLearnerFiles, submissionFiles } from '../../../runtime/src/lessons/submission-files.js';
import { gradeAll, runGradeCommand, type Student } from '../../../runtime/src/lessons/grade-command.js';
import { failedGrade } from '../../../runtime/src/lessons/grade-submission.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'submission-'));
  await mkdir(join(dir, 'lib'));
  await writeFile(join(dir, 'solution.ts'), 'export { twice } from "./lib/twice";\n');
  await writeFile(join(dir, 'lib', 'twice.ts'), 'export const twice = (n: number): number => 2 * n;\n');
  await writeFile(join(dir, 'check.test.ts'), 'ignored\n');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('submission files', () => {
  it('reads .ts files recursively with /-paths, leaving tests out', async () => {
    expect((await readLearnerFiles(dir)).map((f) => f.path)).toEqual(['lib/twice.ts', 'solution.ts']);
  });

  it('picks the entry: named, then solution.ts, starter.ts, …, then the only file', () => {
    const f = (...paths: string[]) => paths.map((path) => ({ path, content: '' }));
    expect(entryFile(f('a.ts', 'starter.ts'), 'a.ts')).toBe('a.ts');
    expect(entryFile(f('starter.ts', 'solution.ts'))).toBe('solution.ts');
    expect(entryFile(f('alice.ts'))).toBe('alice.ts');
    expect(() => entryFile(f('a.ts', 'b.ts'))).toThrow('Cannot tell which file is the submission\'s entry among a.ts, b.ts; name it solution.ts');
  });

  it('takes the folder from STREAMLAB_SUBMISSION and the entry from STREAMLAB_SUBMISSION_ENTRY', async () => {
    const s = await submissionFiles('/unused', { STREAMLAB_SUBMISSION: dir, STREAMLAB_SUBMISSION_ENTRY: 'lib/twice.ts' });
    expect([s.entry, s.files.length]).toEqual(['lib/twice.ts', 2]);
  });
});

describe('check sandbox', () => {
  const world = { startMs: Date.parse('2026-11-21T10:00:00Z'), topics: { events: 1 } };

  it('runs a multi-file submission in its own process, with every way of printing captured and the session as spark', { timeout: 60_000 }, async () => {
    const program = await compileProgram('yours', [
      { path: 'solution.ts', content: 'import { SparkSession } from "streamlab";\nimport { twice } from "./lib/twice";\nexport function run(spark: SparkSession): boolean { console.log("twice", twice(21)); process.stdout.write("raw\\n"); return SparkSession.builder.getOrCreate() === spark; }\n' },
      { path: 'lib/twice.ts', content: 'export const twice = (n: number): number => 2 * n;\n' },
    ], 'solution.ts');
    const sandbox = await CheckSandbox.open(program, world);
    try {
      expect(await sandbox.request({ op: 'call', fn: 'run', args: [{ spark: true }], returns: 'value' })).toEqual({ kind: 'value', value: true });
      expect(await sandbox.request({ op: 'output' })).toEqual({ text: 'twice 42\nraw\n' });
    } finally {
      await sandbox.close();
    }
  });

  it('names what the learner wrote, not the bundle\'s variables, when a streamlab name does not exist', { timeout: 60_000 }, async () => {
    const program = await compileProgram('yours', [
      { path: 'solution.ts', content: 'import { functions as F, SparkSession } from "streamlab";\nimport * as sl from "streamlab";\nexport const aliased = (): unknown => (F as any).windw("t", "1 minute");\nexport const namespaced = (): unknown => (sl.functions as any).windw("t");\nexport const chained = (): unknown => (SparkSession.builder as any).getOrCreat();\n' },
    ], 'solution.ts');
    const sandbox = await CheckSandbox.open(program, world);
    const failure = (fn: string) => sandbox.request({ op: 'call', fn, args: [], returns: 'value' }).then(() => null, (e: LearnerCodeError) => [e.learner.message, e.learner.line]);
    try {
      // What JavaScript saw ("F.windw is not a function") reads as PySpark would say it.
      expect(await failure('aliased')).toEqual(["[UNRESOLVED_ROUTINE] module 'pyspark.sql.functions' has no attribute 'windw': there is no function F.windw in PySpark 3.5 or in Streamlab.", 3]);
      expect(await failure('namespaced')).toEqual(["[UNRESOLVED_ROUTINE] module 'pyspark.sql.functions' has no attribute 'windw': there is no function sl.functions.windw in PySpark 3.5 or in Streamlab.", 4]);
      expect(await failure('chained')).toEqual(["AttributeError: SparkSession.builder has no attribute 'getOrCreat' (there is no getOrCreat in PySpark 3.5's DataFrame, Column or session API, nor in Streamlab).", 5]);
    } finally {
      await sandbox.close();
    }
  });

  it('points an error the engine raises deep in its analysis at the learner\'s line: from_json on the binary value', { timeout: 60_000 }, async () => {
    const program = await compileProgram('yours', [
      { path: 'solution.ts', content: [
        'import { SparkSession, DataFrame, functions as F } from "streamlab";',
        'export function readings(spark: SparkSession): DataFrame {',
        '  const raw = spark.readStream.format("kafka").option("kafka.bootstrap.servers", "localhost:9092").option("subscribe", "events").load();',
        '  return raw',
        '    .select(F.from_json(F.col("value"), "node_name STRING, ts TIMESTAMP").alias("data"))',
        '    .select("data.*");',
        '}',
        '',
      ].join('\n') },
    ], 'solution.ts');
    const sandbox = await CheckSandbox.open(program, world);
    try {
      const e = await sandbox.request({ op: 'call', fn: 'readings', args: [{ spark: true }], returns: 'dataframe' }).then(() => null, (x: LearnerCodeError) => x.learner);
      expect(e && [e.code, e.file, e.line, e.column]).toEqual(['DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE', 'solution.ts', 5, 6]);
    } finally {
      await sandbox.close();
    }
  });

  it('names the line an operation hangs at when an await never resolves', { timeout: 60_000 }, async () => {
    const program = await compileProgram('yours', [
      { path: 'solution.ts', content: 'import { helper } from "./lib/wait";\nexport async function report(): Promise<void> {\n  const n = 1;\n  await helper(n);\n}\n' },
      { path: 'lib/wait.ts', content: 'export async function helper(n: number): Promise<number> {\n  await Promise.resolve(n);\n  await new Promise(() => {});\n  return n;\n}\n' },
    ], 'solution.ts');
    const sandbox = await CheckSandbox.open(program, world, { memoryMb: 256, loopLimitMs: 3000, silenceMs: 10_000, opTimeoutMs: 8000 });
    try {
      const e = await sandbox.request({ op: 'call', fn: 'report', args: [], returns: 'value' }, 'report()').then(() => null, (x: LearnerCodeError) => x.learner);
      expect(e && [e.message, e.code, e.file, e.line]).toEqual(['Your code: report() did not finish within 8 s and was stopped: it waits at line 3 for an await that never resolves.', 'unresponsive', 'lib/wait.ts', 3]);
    } finally {
      await sandbox.close();
    }
  });

  it('refuses a DataFrame or a query that only looks like one, and a missing export, in plain words', async () => {
    const program = await compileProgram('yours', [{ path: 'solution.ts', content: [
      'export const fakeFrame = () => ({ plan: {}, columns: ["window"], isStreaming: true, writeStream: {} });',
      'export const fakeQuery = () => ({ id: "q", isActive: true, processAllAvailable: async () => {} });',
    ].join('\n') }], 'solution.ts');
    const sandbox = await CheckSandbox.open(program, world);
    try {
      await expect(sandbox.request({ op: 'call', fn: 'fakeFrame', args: [{ spark: true }], returns: 'dataframe' }))
        .rejects.toThrow('fakeFrame(…) returned a plain object, not a DataFrame built with the streamlab API.');
      await expect(sandbox.request({ op: 'call', fn: 'fakeQuery', args: [{ spark: true }], returns: 'query' }))
        .rejects.toThrow('fakeQuery(…) returned a plain object, not a StreamingQuery started with writeStream…start().');
      await expect(sandbox.request({ op: 'call', fn: 'startConsole', args: [], returns: 'query' }))
        .rejects.toThrow('Your file does not export a function named startConsole: the check calls startConsole(…).');
    } finally {
      await sandbox.close();
    }
  });

  it('turns a compile error into a message naming the learner\'s file and line', async () => {
    const e = await compileProgram('yours', [{ path: 'solution.ts', content: 'export const x = ;\n' }], 'solution.ts').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(LearnerCodeError);
    expect((e as LearnerCodeError).learner).toMatchObject({ message: 'Your code does not compile: Unexpected ";"', file: 'solution.ts', line: 1, column: 18 });
  });
});

describe('streamlab grade usage', () => {
  it('exits 2 with the usage when neither --file nor --dir is given, or the lesson is unknown', async () => {
    let err = '';
    const io = { stdout: () => undefined, stderr: (t: string) => { err += t; } };
    expect(await runGradeCommand(['--lesson', '03'], io)).toBe(2);
    expect(err).toMatch(/^usage: streamlab grade --lesson NN \(--file submission\.ts \| --dir submissions\/\)/);
    expect(await runGradeCommand(['--lesson', '42', '--file', 'x.ts'], io)).toBe(2);
    expect(err).toMatch(/No lesson 42 in /);
  });
});

describe('streamlab grade --dir, several at once', () => {
  it('exits 2 when --jobs is not a whole number of at least 1', async () => {
    for (const jobs of ['0', 'two', '-1', '1.5']) {
      let err = '';
      expect(await runGradeCommand(['--lesson', '03', '--dir', dir, `--jobs=${jobs}`], { stdout: () => undefined, stderr: (t) => { err += t; } })).toBe(2);
      expect(err.split('\n')[0]).toBe('--jobs takes how many submissions to grade at once (1 or more)');
    }
  });

  it('grades at most `jobs` at once, starts them in the folder\'s order and prints each result in that order', async () => {
    const students: Student[] = ['ann', 'ben', 'cid', 'dee', 'eve'].map((student) => ({ student, files: [] }));
    // ben finishes only once eve has, so cid, dee and eve finish before it; their results still print after ben's.
    let benMayFinish!: () => void;
    const eveFinished = new Promise<void>((resolve) => { benMayFinish = resolve; });
    let running = 0;
    let most = 0;
    const out: string[] = [];
    const err: string[] = [];
    const grades = await gradeAll(students, 2, async (s) => {
      most = Math.max(most, ++running);
      await (s.student === 'ben' ? eveFinished : new Promise((r) => setTimeout(r, 5)));
      if (s.student === 'eve') benMayFinish();
      running--;
      return { student: s.student, result: failedGrade({ id: '03-x', points: { a: 2 } }, 7, `${s.student} failed`) };
    }, { stdout: (t) => out.push(t), stderr: (t) => err.push(t) });
    expect(most).toBe(2);
    expect(grades.map((g) => g.student)).toEqual(['ann', 'ben', 'cid', 'dee', 'eve']);
    expect(out.map((t) => t.split(':')[0])).toEqual(['ann', 'ben', 'cid', 'dee', 'eve']);
    expect(out[0]).toBe('ann: 0/1 checks, 0/2 points\n  ✗ a (0/2)\n      ann failed\n  score: 0/2 (seed 7)\n');
    expect(err.filter((l) => l.startsWith('grading ')).map((l) => l.trim())).toEqual(['grading 1/5: ann', 'grading 2/5: ben', 'grading 3/5: cid', 'grading 4/5: dee', 'grading 5/5: eve']);
    const graded = err.filter((l) => l.startsWith('graded '));
    expect(graded.map((l) => /^graded \d\/5: (\w+) in \d+ s \((\d) done, (\d) to go(; about \d+ s left)?\)\n$/.exec(l)?.slice(1, 4))).toEqual(
      [['ann', '1', '4'], ['cid', '2', '3'], ['dee', '3', '2'], ['eve', '4', '1'], ['ben', '5', '0']],
    );
    expect(graded.at(-1)).not.toMatch(/left/);
  });
});
