/**
 * Lesson 05's comparison, measured as a learner measures it: one `streamlab start` on embedded defaults
 * (the embedded broker and PostgreSQL) and a fresh data directory, and the lesson's solution sent as
 * `run.start` on the system clock, as the Run button sends it, once with `startAppend(spark, "1 second")`
 * and once with `"100 milliseconds"`, its flow beside it each time. The lesson's data plays at its rate
 * (ten fixes a second) from Run on.
 *
 * Two figures per pipeline, both the runtime's own measurement (`LatencyMeter`, produce → sink):
 *   - as the Latency panel shows it WARMUP seconds after Run (its last `run.latency` event): every fix
 *     since Run, so the fixes that waited in Kafka while the job started count too; and start-up time
 *     (from the run's start to the pipeline's first fix at the sink);
 *   - steady: then the query is stopped and started again from its checkpoint under a new meter, which
 *     measures the next MEASURE seconds of fixes of both pipelines (the restart adds its own time to
 *     the few fixes that arrive while it happens).
 *
 * Not a test: it prints figures and asserts nothing but that each pipeline was measured in its steady part.
 * Usage: npm run bench lesson05   (BENCH_WARMUP_S, BENCH_MEASURE_S: 20 and 30 by default)
 */
import { loadavg } from 'node:os';
import { startRuntime, type Message } from './support/runtime.js';

const LESSON = '05-locations-micro-batch-vs-flow';
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 20);
const MEASURE_S = Number(process.env.BENCH_MEASURE_S ?? 30);
const TRIGGERS = ['1 second', '100 milliseconds'];
const STEADY = 'bench-steady ';

interface Pipeline { name: string; kind: 'micro-batch' | 'flow'; count: number; p50: number | null; p95: number | null; p99: number | null; startupMs: number | null }

/**
 * The solution with a `main` of the bench's: the append job at `trigger` and the flow, as the lesson's
 * main starts them; after the warm-up the query starts again from its checkpoint under a second meter.
 */
function benchProgram(solution: string, trigger: string): string {
  const at = solution.indexOf('/** Run:');
  if (at < 0) throw new Error('lesson 05 solution: its main() is not where the bench expects it (a "/** Run:" comment)');
  return `${solution.slice(0, at)}
export function main(): void {
  const spark = SparkSession.builder.appName("locations").getOrCreate();
  let query = startAppend(spark, ${JSON.stringify(trigger)});
  void startFlow(ActorSystem.create("locations"));
  setTimeout(async () => {
    await query.stop();
    const steady = LatencyMeter.start(spark);
    query = startAppend(spark, ${JSON.stringify(trigger)});
    setTimeout(() => console.log(${JSON.stringify(STEADY)} + JSON.stringify(steady.summary())), ${MEASURE_S * 1000});
  }, ${WARMUP_S * 1000});
}
`;
}

const { listeners, request, stop } = await startRuntime();
const ms = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${Math.round(x)} ms`);
const line = (label: string, p: Pipeline | undefined) =>
  `  ${label.padEnd(34)} ${p ? `p50 ${ms(p.p50).padStart(8)}  p95 ${ms(p.p95).padStart(8)}  p99 ${ms(p.p99).padStart(8)}  start-up ${ms(p.startupMs).padStart(8)}  (${p.count} fixes)` : 'not measured'}`;

const got = await request({ kind: 'lessons.get', lessonId: LESSON });
const lesson = (got as unknown as { lesson: { solution: { path: string; content: string }[] } }).lesson;
const load = loadavg()[0]!;
const report: string[] = [];
let missing = 0;
for (const trigger of TRIGGERS) {
  const files = lesson.solution.map((f) => (f.path === 'solution.ts' ? { ...f, content: benchProgram(f.content, trigger) } : f));
  const started = await request({ kind: 'run.start', lessonId: LESSON, files, mode: 'system' });
  if (started.kind !== 'run.start.ok') throw new Error(`run.start answered ${JSON.stringify(started)}`);
  const runId = started.runId as string;
  // Everything the run says: its latency events (the panel), its printed lines, its end.
  let panel: Pipeline[] = [];
  let panelAtWarmup: Pipeline[] | null = null;
  let steadyText: string | null = null;
  let ended: Message | null = null;
  const onMessage = (m: Message) => {
    if (m.runId !== runId) return;
    if (m.kind === 'run.latency') panel = m.pipelines as Pipeline[];
    else if (m.kind === 'run.log' && String(m.text).startsWith(STEADY)) steadyText = String(m.text).slice(STEADY.length);
    else if (m.kind === 'run.error' || (m.kind === 'run.status' && ['finished', 'stopped', 'failed'].includes(String(m.state)))) ended ??= m;
  };
  listeners.add(onMessage);
  // The panel as it is when the bench restarts the query.
  const warm = setTimeout(() => (panelAtWarmup = panel), WARMUP_S * 1000);
  const deadline = Date.now() + (WARMUP_S + MEASURE_S) * 1000 + 300_000;
  while (steadyText === null && ended === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  clearTimeout(warm);
  listeners.delete(onMessage);
  await request({ kind: 'run.stop', runId });
  if (steadyText === null) throw new Error(`no figures from the run with trigger ${trigger}: ${ended ? JSON.stringify(ended) : 'nothing printed in time'}`);
  const steady = Object.entries(JSON.parse(steadyText) as Record<string, Omit<Pipeline, 'name'>>).map(([name, p]) => ({ name, ...p }));
  const first = (list: Pipeline[], kind: Pipeline['kind']) => list.find((p) => p.kind === kind);
  const rows: [string, Pipeline | undefined][] = [
    [`micro-batch ${trigger}, panel at ${WARMUP_S} s`, first(panelAtWarmup ?? [], 'micro-batch')],
    [`micro-batch ${trigger}, steady ${MEASURE_S} s`, first(steady, 'micro-batch')],
    [`flow (beside ${trigger}), panel at ${WARMUP_S} s`, first(panelAtWarmup ?? [], 'flow')],
    [`flow (beside ${trigger}), steady ${MEASURE_S} s`, first(steady, 'flow')],
  ];
  for (const [label, p] of rows) {
    // A pipeline that has written nothing by the warm-up shows nothing in the panel yet: that is a figure too.
    if (!p && label.includes('steady')) missing++;
    report.push(line(label, p));
  }
}
console.log(`lesson 05 latency, produce → sink (the runtime's LatencyMeter), lesson data at 10 fixes/s; load average ${load.toFixed(2)} at the start`);
console.log('  (steady: start-up is the restart of the query from its checkpoint, and the flow\'s first fix after the new meter started)');
for (const l of report) console.log(l);
await stop();
if (missing > 0) {
  console.error(`  ${missing} pipeline figures missing`);
  process.exitCode = 1;
}
