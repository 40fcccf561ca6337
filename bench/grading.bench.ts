/**
 * How long grading takes: one `streamlab grade --file` of lesson 03's solution (median of
 * BENCH_GRADES runs, default 5) and a `--dir` of BENCH_STUDENTS submissions (default 30: the solution,
 * the starter and the lesson's realistic correct and wrong submissions from test/lessons/submissions/03
 * in turn), graded one at a time (`--jobs 1`) and then two at a time (`--jobs 2`, BENCH_JOBS), each
 * through the CLI as an instructor runs it, each with `--fresh` (a folder run would otherwise keep the
 * grades of the run before it).
 * Prints the times (for the --jobs run also each grade's own, median and range, from its progress
 * lines), the machine's load average beside each, and their ratios, measured in this run.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const lesson = join(root, 'lessons', '03-structured-windows');
const grades = Number(process.env.BENCH_GRADES ?? 5);
const students = Number(process.env.BENCH_STUDENTS ?? 30);
const jobs = Number(process.env.BENCH_JOBS ?? 2);
const work = mkdtempSync(join(tmpdir(), 'streamlab-grading-bench-'));

/** The time `streamlab grade` took, ms, and (with --dir) each submission's own time as its progress line gives it. */
function gradeRun(args: string[]): { ms: number; each: number[] } {
  const started = performance.now();
  const r = spawnSync(process.execPath, [join(root, 'runtime/bin/streamlab.js'), 'grade', '--lesson', '03', ...args], { cwd: work, encoding: 'utf8' });
  if (r.status !== 0 && r.status !== 1) throw new Error(`streamlab grade failed (${r.status}): ${r.stderr}`);
  const each = [...r.stderr.matchAll(/^graded \d+\/\d+: \S+ in (?:(\d+) min )?(\d+) s/gm)].map((m) => (Number(m[1] ?? 0) * 60 + Number(m[2])) * 1000);
  return { ms: performance.now() - started, each };
}
const grade = (args: string[]) => gradeRun(args).ms;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

try {
  copyFileSync(join(lesson, 'solution.ts'), join(work, 'alice.ts'));
  const single = Array.from({ length: grades }, () => grade(['--file', join(work, 'alice.ts')]));
  const dir = join(work, 'submissions');
  mkdirSync(dir);
  const corpus = join(root, 'test/lessons/submissions/03');
  const sources = [join(lesson, 'solution.ts'), join(lesson, 'starter.ts'), ...readdirSync(corpus).filter((f) => f.endsWith('.ts')).sort().map((f) => join(corpus, f))];
  for (let i = 0; i < students; i++) copyFileSync(sources[i % sources.length]!, join(dir, `student-${String(i + 1).padStart(2, '0')}.ts`));
  const load = () => `load ${loadavg()[0]!.toFixed(1)}`;
  const singleLoad = load();
  const reports = ['--csv', join(work, 'g.csv'), '--json', join(work, 'g.json'), '--junit', join(work, 'g.xml'), '--fresh'];
  const oneAtATime = grade(['--dir', dir, '--jobs', '1', ...reports]);
  const oneAtATimeLoad = load();
  const parallel = gradeRun(['--dir', dir, '--jobs', String(jobs), ...reports]);
  const folder = parallel.ms;
  const folderLoad = load();
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  console.log(`one grade (--file, lesson 03 solution): median ${s(median(single))} of ${grades} (${single.map(s).join(', ')}; ${singleLoad})`);
  console.log(`--dir of ${students} submissions, --jobs 1: ${s(oneAtATime)}, ${s(oneAtATime / students)} per submission (${oneAtATimeLoad})`);
  console.log(`--dir of ${students} submissions, --jobs ${jobs}: ${s(folder)}, ${s(folder / students)} per submission (${folderLoad}); each grade took ${s(median(parallel.each))} (median; ${s(Math.min(...parallel.each))}–${s(Math.max(...parallel.each))})`);
  console.log(`ratio: a folder of ${students} one at a time takes ${(oneAtATime / (median(single) * students)).toFixed(2)}× as long as ${students} single grades`);
  console.log(`ratio: --jobs ${jobs} takes ${(folder / oneAtATime).toFixed(2)}× as long as --jobs 1`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
