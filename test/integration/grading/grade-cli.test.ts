/**
 * `streamlab grade` as instructors run it: a folder with one submission per student, a CSV out, the
 * summary line last and the exit code saying whether everyone passed.
 */
import { spawn } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkEnvironment } from '../../../runtime/src/lessons/grade-submission.js';
import { runStreamlab } from '../../services/streamlab-cli.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const lesson = join(root, 'lessons', '03-structured-windows');
let dir: string;

const streamlab = (args: string[]) => runStreamlab(args, root);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'streamlab-grade-cli-'));
  await copyFile(join(lesson, 'solution.ts'), join(dir, 'alice.ts'));
  await copyFile(join(lesson, 'starter.ts'), join(dir, 'bob.ts'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('streamlab grade', () => {
  it('grades a folder into a CSV and exits 1 when a submission fails', async () => {
    const csv = join(dir, 'grades.csv');
    const r = await streamlab(['grade', '--lesson', '03', '--dir', dir, '--csv', csv, '--json', join(dir, 'grades.json'), '--junit', join(dir, 'grades.xml')]);
    expect(r.code).toBe(1);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('9 passed, 9 failed');
    expect(r.stderr.split('\n').filter((l) => l.startsWith('grading '))).toEqual(['grading 1/2: alice', 'grading 2/2: bob']);
    const rows = (await readFile(csv, 'utf8')).trimEnd().split('\n').map((l) => l.split(',').slice(0, 5));
    expect(rows.slice(1)).toEqual([['alice', '9', '9', '20', '20'], ['bob', '0', '9', '0', '20']]);
  });

  it('exits 0 for one passing file and 2 for a usage error', async () => {
    const ok = await streamlab(['grade', '--lesson', '03', '--file', join(dir, 'alice.ts')]);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout.trimEnd().split('\n').at(-1)).toBe('9 passed, 0 failed');
    const bad = await streamlab(['grade', '--lesson', '03']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('usage: streamlab grade --lesson NN');
  });

  it('hands the checks no secrets from the runtime environment, and the learner\'s code no environment at all', async () => {
    const env = checkEnvironment({ PATH: '/bin', HOME: '/home/x', STREAMLAB_TOKEN: 't', PGPASSWORD: 'p', AWS_SECRET_ACCESS_KEY: 'k', STREAMLAB_PG: 'postgres://u:p@h/db' });
    expect(env).toEqual({ PATH: '/bin', HOME: '/home/x' });
    // A submission that reads the environment when it loads fails every check with the sandbox's message.
    const spy = join(dir, 'env-spy.ts');
    await writeFile(spy, 'const leaked = JSON.stringify(process.env);\n' + (await readFile(join(lesson, 'solution.ts'), 'utf8')));
    const r = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = spawn(process.execPath, [join(root, 'runtime/bin/streamlab.js'), 'grade', '--lesson', '03', '--file', spy], {
        cwd: root, env: { ...process.env, SECRET_RUNTIME_TOKEN: 'do-not-leak' }, stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.on('exit', (code) => resolve({ code, stdout }));
    });
    expect(r.stdout).not.toContain('do-not-leak');
    expect(r.stdout).toContain('Pipelines cannot read environment variables: the runtime connects Kafka and PostgreSQL for you. (env-spy.ts:1)');
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('0 passed, 9 failed');
    expect(r.code).toBe(1);
  });
});
