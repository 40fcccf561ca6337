/**
 * `streamlab grade` killed outright (kill -9) while its checks run: the check processes and their
 * sandboxes end with it, and nothing it made is left in its temporary folder (the grading run's
 * folder with the submission, the job script it built).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { processesMentioning } from '../../services/job-processes.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
// The grader's own temporary folder: everything it and its checks make goes there, and only that.
const temp = mkdtempSync(join(tmpdir(), 'streamlab-grade-kill-'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

afterAll(() => {
  for (const pid of processesMentioning(temp)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone.
    }
  }
  rmSync(temp, { recursive: true, force: true });
});

it('kill -9 of the grader ends its check processes and leaves no folder of the grading run', async () => {
  const grader = spawn(process.execPath, [join(root, 'runtime/bin/streamlab.js'), 'grade', '--lesson', '03', '--file', join(root, 'lessons/03-structured-windows/solution.ts'), '--json', join(temp, 'out.json')], {
    cwd: root, env: { ...process.env, TMPDIR: temp }, stdio: ['ignore', 'ignore', 'ignore'],
  });
  const exited = new Promise((r) => grader.once('exit', r));
  // Until a sandbox runs the learner's code: it runs the job script the grader built in `temp`.
  const sandboxes = () => processesMentioning(temp).filter((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('job-child.mjs'));
  while (sandboxes().length === 0) await sleep(100);
  const running = processesMentioning(temp).filter((pid) => pid !== grader.pid);
  expect(running.length).toBeGreaterThan(1);
  grader.kill('SIGKILL');
  await exited;
  while (processesMentioning(temp).length > 0) await sleep(100);
  // Nothing of the grading run is left (tsx, which runs the CLI, keeps its cache there too).
  expect(readdirSync(temp).filter((name) => name !== 'out.json' && !name.startsWith('tsx-'))).toEqual([]);
  // The run did not go on to its end: no grade was written.
  expect(readdirSync(temp)).not.toContain('out.json');
});
