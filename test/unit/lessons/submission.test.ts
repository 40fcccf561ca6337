import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SparkSession } from 'streamlab';
import { compileFiles, createCheckHost } from '../../../runtime/src/lessons/check-host.js';
import { entryFile, readLearnerFiles, submissionFiles } from '../../../runtime/src/lessons/submission-files.js';
import { runGradeCommand } from '../../../runtime/src/lessons/grade-command.js';

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

describe('check host', () => {
  it('runs a multi-file submission with require("streamlab") bound to the check\'s module and console captured', async () => {
    const compiled = await compileFiles([
      { path: 'solution.ts', content: 'import { SparkSession } from "streamlab";\nimport { twice } from "./lib/twice";\nexport function run(): boolean { console.log("twice", twice(21)); return SparkSession.builder.getOrCreate() === SparkSession.getActiveSession(); }\n' },
      { path: 'lib/twice.ts', content: 'export const twice = (n: number): number => 2 * n;\n' },
    ], 'solution.ts');
    const host = await createCheckHost(compiled, { startMs: 0, env: {} });
    try {
      const { run } = host.load<{ run(): boolean }>();
      expect(run()).toBe(true);
      expect(SparkSession.getActiveSession()).toBe(host.spark);
      expect(host.text()).toBe('twice 42\n');
    } finally {
      await host.close();
    }
  });

  it('turns a compile error into a message naming the learner\'s file and line', async () => {
    await expect(compileFiles([{ path: 'solution.ts', content: 'export const x = ;\n' }], 'solution.ts'))
      .rejects.toThrow(/^Your code does not compile: Unexpected ";"\n {4}at solution\.ts:1:18/);
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
