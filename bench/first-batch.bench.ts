/**
 * Time from Run to the first thing a learner sees, per lesson: one `streamlab start` on embedded
 * defaults and a fresh data directory, and for each of lessons 01–04 its starter and its solution sent
 * as `run.start` on the system clock, as the Run button sends them; measured until the run's first
 * `run.batch` (or, for a lesson without batches, its first printed line; or its error). Each lesson is
 * run several times; medians, with the time of a `lessons.get` round trip in the same run as the floor
 * the ratio is measured against.
 *
 * Not a test: it prints figures and asserts nothing. Usage: npm run bench first-batch
 */
import { startRuntime, type Message } from './support/runtime.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const LESSONS = ['01-kafka-basics', '02-dstream-temperature', '03-structured-windows', '04-report-topic-and-output-modes'];

const { request, waitFor, stop } = await startRuntime();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const roundTrips: number[] = [];
const results: string[] = [];
for (const lessonId of LESSONS) {
  const t0 = performance.now();
  const got = await request({ kind: 'lessons.get', lessonId });
  roundTrips.push(performance.now() - t0);
  const lesson = (got as unknown as { lesson: { files: unknown[]; solution?: unknown[] } }).lesson;
  for (const [label, files] of [['starter', lesson.files], ['solution', lesson.solution]] as const) {
    const times: number[] = [];
    const seen: string[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      const started = await request({ kind: 'run.start', lessonId, files, mode: 'system' });
      if (started.kind !== 'run.start.ok') {
        seen.push(`run.start answered ${started.kind}`);
        break;
      }
      const runId = started.runId as string;
      const first = await waitFor((m) => m.runId === runId && ['run.batch', 'run.log', 'run.error'].includes(m.kind) || (m.runId === runId && m.kind === 'run.status' && ['finished', 'stopped', 'failed'].includes(String(m.state))), 120_000)
        .catch(() => ({ kind: 'nothing within 120 s' }) as Message);
      times.push(performance.now() - t);
      seen.push(first.kind === 'run.status' ? `run ${String(first.state)}` : first.kind);
      await request({ kind: 'run.stop', runId });
    }
    results.push(`  ${lessonId} ${label.padEnd(8)} Run → first ${[...new Set(seen)].join('/')}: ${times.length ? `${median(times).toFixed(0)} ms` : '—'} (runs: ${times.map((x) => x.toFixed(0)).join(', ')} ms; ${times.length ? (median(times) / median(roundTrips)).toFixed(0) : '—'}× a lessons.get round trip)`);
  }
}
console.log(`first-batch: ${RUNS} runs per lesson and code, medians`);
console.log(`  lessons.get round trip: ${median(roundTrips).toFixed(1)} ms`);
for (const line of results) console.log(line);
await stop();
