#!/usr/bin/env node
// `npm test`: every tier in one vitest run (unit, conformance, integration, e2e, journey, lessons, adversarial, parity), then one
// closing line `Tests: N passed, M failed` that CI and people can read at a glance. Before it: the 20
// slowest test files and each tier's time, so every run shows where the time goes.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = mkdtempSync(join(tmpdir(), 'streamlab-test-'));
const report = join(dir, 'report.json');
const durations = join(dir, 'durations.json');
const durationsReporter = fileURLToPath(new URL('./durations-reporter.mjs', import.meta.url));
const args = ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, `--reporter=${durationsReporter}`, ...process.argv.slice(2)];
const child = spawn('npx', args, { stdio: 'inherit', env: { ...process.env, STREAMLAB_DURATIONS: durations } });
const code = await new Promise((resolve) => child.on('exit', (c, sig) => resolve(c ?? (sig ? 1 : 0))));

let passed = 0;
let failed = 0;
let skipped = 0;
try {
  const json = JSON.parse(readFileSync(report, 'utf8'));
  passed = json.numPassedTests;
  // A file that failed without a failing test (it did not load, or a hook threw) counts once; vitest's
  // numFailedTestSuites counts describe blocks too, so it would count a failing test again.
  const fileErrors = (json.testResults ?? []).filter((f) => f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed')).length;
  failed = json.numFailedTests + fileErrors;
  skipped = (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0);
} catch {
  failed = Math.max(1, failed);
  console.error('test-all: vitest wrote no report; counting the run as failed.');
}
printDurations();
rmSync(dir, { recursive: true, force: true });
if (code !== 0 && failed === 0) failed = 1;
console.log(`\nTests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(code !== 0 || failed > 0 ? 1 : 0);

/** The slowest files and each tier's time, from the durations reporter (nothing when it wrote none). */
function printDurations() {
  let rows;
  try {
    rows = JSON.parse(readFileSync(durations, 'utf8'));
  } catch {
    return;
  }
  if (!Array.isArray(rows) || rows.length === 0) return;
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
