/**
 * Runs the arguments of compose's `grade` service (profile `grading`) through the grade command,
 * outside a container: a submissions folder with one correct and one unchanged starter submission
 * of the lesson `.env.example` names gives a grades.csv with full marks for the first and none for the
 * second, and the JSON and JUnit reports beside it. Only the container's mounted folders are
 * translated. (The command is called in-process.)
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runGradeCommand } from '../../../runtime/src/lessons/grade-command.js';
import { commandOf, readCompose, readEnvExample, repoRoot } from '../../unit/classroom/compose-file.js';

const env = readEnvExample();
const service = readCompose(env).services.grade!;
const work = mkdtempSync(join(tmpdir(), 'streamlab-grading-'));

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('compose grade service, run outside a container', () => {
  it('grades a folder of submissions into grades.csv, grades.json and grades.xml', async () => {
    const lessonDir = readdirSync(join(repoRoot, 'lessons')).find((name) => name.startsWith(`${env.GRADE_LESSON}-`));
    expect(lessonDir).toBeDefined();
    const submissions = join(work, 'submissions');
    const out = join(work, 'out');
    mkdirSync(submissions);
    mkdirSync(out);
    copyFileSync(join(repoRoot, 'lessons', lessonDir!, 'solution.ts'), join(submissions, 'alice.ts'));
    copyFileSync(join(repoRoot, 'lessons', lessonDir!, 'starter.ts'), join(submissions, 'bob.ts'));

    const mounted = new Map([['/submissions', submissions], ['/out/grades.csv', join(out, 'grades.csv')], ['/out/grades.json', join(out, 'grades.json')], ['/out/grades.xml', join(out, 'grades.xml')]]);
    const command = commandOf(service);
    for (const from of mounted.keys()) expect(command).toContain(from);
    expect(command[0]).toBe('grade');
    let output = '';
    const io = { stdout: (text: string) => { output += text; }, stderr: (text: string) => { output += text; } };
    const code = await runGradeCommand(command.slice(1).map((a) => mounted.get(a) ?? a), io);

    const [header, ...rows] = readFileSync(join(out, 'grades.csv'), 'utf8').trim().split('\n');
    expect(header!.startsWith('student,passed,total,points,max_points,')).toBe(true);
    // Check names may hold commas (quoted), student rows do not: student, counts, then one status per check.
    const byStudent = Object.fromEntries(rows.map((line) => {
      const [student, passed, total, , , ...rest] = line.split(',');
      return [student, { passed: Number(passed), total: Number(total), statuses: rest.slice(0, -3) }];
    }));
    // One column per check (by id) after the five counts, then the seeds and the reason.
    const headerFields = header!.split(',');
    expect(headerFields.slice(-3)).toEqual(['seed', 'hidden_seed', 'reason']);
    const total = headerFields.length - 8;
    expect(JSON.parse(readFileSync(join(out, 'grades.json'), 'utf8')).map((g: { student: string }) => g.student)).toEqual(['alice', 'bob']);
    expect(readFileSync(join(out, 'grades.xml'), 'utf8')).toContain('<testsuite name="alice · ');
    expect(byStudent.alice!.total).toBe(total);
    // Every check passes on the solution and fails on the starter.
    expect(byStudent).toEqual({
      alice: { passed: total, total, statuses: Array(total).fill('passed') },
      bob: { passed: 0, total, statuses: Array(total).fill('failed') },
    });
    // Some checks failed (bob's), so the exit code is 1; the output ends with the summary line.
    expect({ code, tail: output.trim().split('\n').at(-1) }).toEqual({ code: 1, tail: `${total} passed, ${total} failed` });
  });
});
