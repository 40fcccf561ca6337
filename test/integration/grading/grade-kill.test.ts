/**
 * `streamlab grade`, or the runtime grading a Check from the workbench, killed outright (kill -9) while
 * its checks run: the check processes and their sandboxes end with it, and nothing of the grading run
 * is left in its temporary folder (the grading run's folder with the submission, the job script).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../../runtime/src/protocol/index.js';
import { databaseUrl, kafkaBootstrap } from '../../services/inject.js';
import { isJobProcess, processesMentioning, processTree } from '../../services/job-processes.js';
import { TestClient } from '../server/ws-client.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
// The grader's own temporary folder: everything it and its checks make goes there, and only that.
const temp = mkdtempSync(join(tmpdir(), 'streamlab-grade-kill-'));
const runtimeTemp = mkdtempSync(join(tmpdir(), 'streamlab-check-kill-'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

afterAll(() => {
  for (const dir of [temp, runtimeTemp]) {
    for (const pid of processesMentioning(dir)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Gone.
      }
    }
    rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * Waits until `parent` runs a check's sandbox, kills it with SIGKILL, and waits until nothing it started
 * runs any more: its children are followed (into every descendant) after they lose their parent.
 */
async function killDuringCheck(parent: ChildProcess): Promise<void> {
  const exited = new Promise((r) => parent.once('exit', r));
  while (!processTree([parent.pid!]).some(isJobProcess)) await sleep(100);
  const started = processTree([parent.pid!]).filter((pid) => pid !== parent.pid);
  // vitest, its worker, the sandbox at least.
  expect(started.length).toBeGreaterThan(2);
  parent.kill('SIGKILL');
  await exited;
  let left = started;
  while ((left = processTree(left)).length > 0) await sleep(100);
}

it('kill -9 of the grader ends its check processes and leaves no folder of the grading run', async () => {
  const grader = spawn(process.execPath, [join(root, 'runtime/bin/streamlab.js'), 'grade', '--lesson', '03', '--file', join(root, 'lessons/03-structured-windows/solution.ts'), '--json', join(temp, 'out.json')], {
    cwd: root, env: { ...process.env, TMPDIR: temp }, stdio: ['ignore', 'ignore', 'ignore'],
  });
  await killDuringCheck(grader);
  // Nothing of the grading run is left (tsx, where it runs the CLI, keeps its cache there too).
  expect(readdirSync(temp).filter((name) => name !== 'out.json' && !name.startsWith('tsx-'))).toEqual([]);
  // The run did not go on to its end: no grade was written.
  expect(readdirSync(temp)).not.toContain('out.json');
});

it('kill -9 of the runtime during a Check ends the check processes and leaves no folder of the grading run', async () => {
  const token = 'check-kill-token-0123456789abcdef';
  const runtime = spawn(process.execPath, [
    join(root, 'runtime/bin/streamlab.js'), 'start', '--no-open', '--kafka', kafkaBootstrap(), '--pg', databaseUrl(),
    '--port', '0', '--data-dir', join(runtimeTemp, 'data'), '--lessons', join(root, 'lessons'), '--token', token,
  ], {
    cwd: root,
    env: { ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('STREAMLAB_'))), TMPDIR: runtimeTemp },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    const seen = (c: Buffer) => {
      output += c.toString();
      const m = /Streamlab ready: (http:\/\/\S+)/.exec(output);
      if (m) resolve(Number(new URL(m[1]!).port));
    };
    runtime.stdout.on('data', seen);
    runtime.stderr.on('data', seen);
    runtime.once('exit', (code, signal) => reject(new Error(`streamlab start exited (${code ?? signal}) before it was ready:\n${output}`)));
  });
  const client = await TestClient.connect(`ws://127.0.0.1:${port}/ws?token=${token}`);
  try {
    await client.hello(undefined, [PROTOCOL_VERSION]);
    const content = readFileSync(join(root, 'lessons/03-structured-windows/solution.ts'), 'utf8');
    const reply = await client.request({ kind: 'check.run', lessonId: '03-structured-windows', files: [{ path: 'solution.ts', content }] });
    expect(reply.kind).toBe('check.run.ok');
    await killDuringCheck(runtime);
  } finally {
    await client.close().catch(() => undefined);
  }
  expect(readdirSync(runtimeTemp).filter((name) => name.startsWith('streamlab-'))).toEqual([]);
});
