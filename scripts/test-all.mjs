#!/usr/bin/env node
// `npm test`: every tier (unit, conformance, integration, e2e, journey, lessons, adversarial, parity),
// then one closing line `Tests: N passed, M failed` that CI and people can read at a glance. Before it:
// the 20 slowest test files and each tier's time, so every run shows where the time goes.
//
// The tiers run in three lanes side by side, each one vitest process with its own Kafka and PostgreSQL
// (the services' global setup starts them per process, on fresh ports and data directories), so no
// file of one lane can see a topic, table or role of the other. Within a lane the files run one at a
// time, as vitest.config.ts says. Most of a tier's time is spent waiting on brokers, JVMs, browsers,
// check processes and their sandboxes (a lesson's grade keeps well under one core busy), so three
// lanes keep a small machine's two cores busy where two left them idle for much of the run.
//
//   lane services: integration (all but the folders below), the classroom tier (Docker; it skips
//                  without a daemon)
//   lane browser:  unit, conformance, integration's classroom, services and smoke folders, e2e, journey
//   lane grading:  lessons, adversarial, parity
//
// The lanes' sums of file times in the last two-lane CI: integration but those folders about 1,205 s,
// classroom 185 s; unit, conformance and those folders about 205 s, e2e 453 s, journey 608 s; lessons
// 715 s, adversarial 544 s, parity 260 s. A folder of integration that is renamed or added runs in the
// services lane, so every file still runs exactly once.
//
// The runtime's build (runtime/bin/build-runtime.js) is made first when the sources changed, so the
// lanes' first `streamlab` processes do not each make it.
//
// The workbench is built once before the lanes start (STREAMLAB_WORKBENCH_BUILT tells the browser
// tiers it is current), so no runtime of one lane meets the half-written dist of a build in another;
// skipped when a file filter names no browser-tier file.
//
// One lane, as before, when the arguments name a --project, or when STREAMLAB_KAFKA, KAFKA_BROKERS or
// DATABASE_URL point the tests at one shared service (the lanes would then share its names), or with
// STREAMLAB_TEST_LANES=1. Other arguments (file filters, -t) go to every lane.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BROWSER_LANE_INTEGRATION = ['classroom', 'services', 'smoke'].join(',');
const LANES = [
  { name: 'services', projects: ['integration', 'classroom'], env: { STREAMLAB_INTEGRATION_SKIP: BROWSER_LANE_INTEGRATION } },
  { name: 'browser', projects: ['unit', 'conformance', 'integration', 'e2e', 'journey'], env: { STREAMLAB_INTEGRATION_ONLY: BROWSER_LANE_INTEGRATION } },
  { name: 'grading', projects: ['lessons', 'adversarial', 'parity'], env: {} },
];

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'streamlab-test-'));
const durationsReporter = fileURLToPath(new URL('./durations-reporter.mjs', import.meta.url));
const extra = process.argv.slice(2);
const sharedService = ['STREAMLAB_KAFKA', 'KAFKA_BROKERS', 'DATABASE_URL'].find((name) => process.env[name]?.trim());
const oneLane = extra.some((a) => a === '--project' || a.startsWith('--project=')) || Boolean(sharedService) || process.env.STREAMLAB_TEST_LANES === '1';

let runs;
if (oneLane) {
  runs = [{ name: null, args: extra }];
} else {
  // With a file filter, a lane may hold none of the named files; the closing count still fails a run
  // that found no test at all.
  const filtered = extra.length > 0;
  runs = LANES.map((lane) => ({ name: lane.name, env: lane.env, args: [...lane.projects.flatMap((p) => ['--project', p]), ...(filtered ? ['--passWithNoTests'] : []), ...extra] }));
  const projectLabel = (lane, p) => {
    if (p !== 'integration') return p;
    if (lane.env.STREAMLAB_INTEGRATION_ONLY) return `integration's ${lane.env.STREAMLAB_INTEGRATION_ONLY}`;
    return lane.env.STREAMLAB_INTEGRATION_SKIP ? `integration but ${lane.env.STREAMLAB_INTEGRATION_SKIP}` : p;
  };
  console.log(`test-all: ${LANES.length} lanes side by side: ${LANES.map((l) => `${l.name} (${l.projects.map((p) => projectLabel(l, p)).join(', ')})`).join('; ')}`);
}

// The runtime's build, which every `streamlab` the tiers start and every job process runs: made once
// here when the sources changed, rather than by the first processes of every lane at once.
const runtimeBuilt = await run(process.execPath, [join(root, 'runtime/bin/build-runtime.js')], { cwd: root, env: process.env, stdio: 'inherit' });
if (runtimeBuilt !== 0) {
  console.error('test-all: building the runtime failed; no test ran.');
  console.log('\nTests: 0 passed, 1 failed');
  process.exit(1);
}

let env = { ...process.env };
if (!oneLane && needsWorkbench(extra)) {
  const started = Date.now();
  const built = await run(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'], {
    cwd: join(root, 'workbench'),
    // vitest sets NODE_ENV=test for the tiers; the workbench they serve is the production build.
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: 'inherit',
  });
  if (built !== 0) {
    console.error('test-all: building the workbench failed; no test ran.');
    console.log('\nTests: 0 passed, 1 failed');
    process.exit(1);
  }
  console.log(`test-all: workbench built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  env = { ...env, STREAMLAB_WORKBENCH_BUILT: '1' };
}

const laneSeconds = [];
const results = await Promise.all(runs.map(async (r, i) => {
  const started = Date.now();
  const c = await runLane(r, i);
  laneSeconds[i] = (Date.now() - started) / 1000;
  return c;
}));
const code = results.some((c) => c !== 0) ? 1 : 0;

let passed = 0;
let failed = 0;
let skipped = 0;
let reports = 0;
const rows = [];
for (let i = 0; i < runs.length; i++) {
  try {
    const json = JSON.parse(readFileSync(join(dir, `report-${i}.json`), 'utf8'));
    reports++;
    passed += json.numPassedTests;
    // A file that failed without a failing test (it did not load, or a hook threw) counts once; vitest's
    // numFailedTestSuites counts describe blocks too, so it would count a failing test again.
    const fileErrors = (json.testResults ?? []).filter((f) => f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed')).length;
    failed += json.numFailedTests + fileErrors;
    skipped += (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0);
  } catch {
    failed += 1;
    console.error(`test-all: vitest${runs[i].name ? ` (lane ${runs[i].name})` : ''} wrote no report; counting it as a failure.`);
  }
  try {
    rows.push(...JSON.parse(readFileSync(join(dir, `durations-${i}.json`), 'utf8')));
  } catch {
    // No durations: nothing to list for that lane.
  }
}
if (reports === runs.length && passed + failed === 0) {
  console.error('test-all: no test ran (no file matched the arguments).');
  failed = 1;
}
printDurations(rows);
if (runs.length > 1) console.log(`Time per lane (wall clock): ${runs.map((r, i) => `${r.name} ${laneSeconds[i].toFixed(1)} s`).join(', ')}`);
rmSync(dir, { recursive: true, force: true });
if (code !== 0 && failed === 0) failed = 1;
console.log(`\nTests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(code !== 0 || failed > 0 ? 1 : 0);

/**
 * Whether the run may reach a browser tier: no file filter, or one that matches a file under test/e2e
 * or test/journey (vitest's filters match a part of the path).
 */
function needsWorkbench(args) {
  const filters = args.filter((a) => !a.startsWith('-'));
  if (filters.length === 0) return true;
  const browserFiles = ['e2e', 'journey'].flatMap((tier) => readdirSync(join(root, 'test', tier)).map((f) => `test/${tier}/${f}`));
  return filters.some((f) => browserFiles.some((file) => file.includes(f.replace(/^\.\//, ''))));
}

function run(command, args, options) {
  return new Promise((resolve) => {
    const child = spawn(command, args, options);
    child.on('error', (e) => {
      console.error(`test-all: ${command}: ${e.message}`);
      resolve(1);
    });
    child.on('exit', (c, sig) => resolve(c ?? (sig ? 1 : 0)));
  });
}

/** One vitest process; with lanes, each of its output lines starts with the lane's name. */
async function runLane(lane, i) {
  const args = ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${join(dir, `report-${i}.json`)}`, `--reporter=${durationsReporter}`, ...lane.args];
  const laneEnv = { ...env, ...lane.env, STREAMLAB_DURATIONS: join(dir, `durations-${i}.json`) };
  if (!lane.name) return run('npx', args, { stdio: 'inherit', env: laneEnv });
  const child = spawn('npx', args, { stdio: ['ignore', 'pipe', 'pipe'], env: laneEnv });
  const prefix = `[${lane.name}] `;
  const pipe = (from, to) => {
    let rest = '';
    from.setEncoding('utf8');
    from.on('data', (chunk) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop();
      if (lines.length) to.write(lines.map((l) => prefix + l).join('\n') + '\n');
    });
    from.on('end', () => {
      if (rest) to.write(prefix + rest + '\n');
    });
  };
  pipe(child.stdout, process.stdout);
  pipe(child.stderr, process.stderr);
  return new Promise((resolve) => {
    child.on('error', (e) => {
      console.error(`${prefix}test-all: ${e.message}`);
      resolve(1);
    });
    child.on('close', (c, sig) => resolve(c ?? (sig ? 1 : 0)));
  });
}

/** The slowest files and each tier's time, from the durations reporter (nothing when it wrote none). */
function printDurations(rows) {
  if (rows.length === 0) return;
  const s = (ms) => `${(ms / 1000).toFixed(1)} s`;
  const slowest = [...rows].sort((a, b) => b.ms - a.ms).slice(0, 20);
  const width = Math.max(...slowest.map((r) => r.file.length));
  console.log(`\nSlowest ${slowest.length} test files (hooks included):`);
  for (const r of slowest) console.log(`  ${s(r.ms).padStart(8)}  ${r.project.padEnd(12)} ${r.state === 'passed' ? r.file : `${r.file.padEnd(width)}  ${r.state}`}`);
  const tiers = new Map();
  for (const r of rows) {
    const t = tiers.get(r.project) ?? { files: 0, ms: 0 };
    t.files++;
    t.ms += r.ms;
    tiers.set(r.project, t);
  }
  console.log('Time per tier (sum of its files):');
  for (const [name, t] of [...tiers].sort((a, b) => b[1].ms - a[1].ms)) console.log(`  ${s(t.ms).padStart(8)}  ${name.padEnd(12)} ${t.files} files`);
}
