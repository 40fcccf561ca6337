/**
 * Structured conformance scenarios run on real Apache Spark (`run_scenarios.py`), and the comparison
 * of what Spark gives with what a scenario file expects. The parity tier uses it to hold the extra
 * scenarios to Spark; `capture.ts` uses it to write Spark's answers into new scenario files.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { compareRows } from '../../../runtime/src/testing/conformance/scenario.js';
import { pysparkEnv } from '../../parity/pyspark-dist.js';

/** Spark's observation for each step of one scenario (null where the step asserts nothing). */
export interface SparkObservations {
  id: string;
  observed?: unknown[];
  failure?: string;
}

/** Runs the scenarios on PySpark (`python`: the venv's interpreter); one result per file. */
export function observeOnSpark(python: string, files: readonly string[]): Promise<SparkObservations[]> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const child = spawn(python, [fileURLToPath(new URL('./run_scenarios.py', import.meta.url)), ...files], {
      env: pysparkEnv({ PYSPARK_PYTHON: python }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`run_scenarios.py exited with ${code}:\n${err.slice(-3000)}`));
      else resolve(out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as SparkObservations));
    });
  });
}

/** Differences between a scenario's expectations and Spark's observations (empty when they agree). */
export function differences(scenario: { steps: Record<string, any>[] }, obs: SparkObservations): string[] {
  if (obs.failure) return [`Spark could not run it: ${obs.failure}`];
  const out: string[] = [];
  scenario.steps.forEach((step, i) => {
    const seen = obs.observed![i];
    const where = `step ${i} ${JSON.stringify(step).slice(0, 60)}`;
    if ('expect' in step) {
      if (!Array.isArray(seen)) out.push(`${where}: Spark gave ${JSON.stringify(seen)}`);
      else {
        const m = compareRows(seen as unknown[][], step.expect, step.ordered === true);
        if (m) out.push(`${where}: ${m}`);
      }
    } else if ('expectError' in step) {
      const text = (seen as { error: string | null }).error;
      const contains: string[] = step.expectError.contains ?? [];
      if (text === null) out.push(`${where}: Spark raised no error`);
      else for (const c of contains) if (!text.includes(c)) out.push(`${where}: Spark's error "${text}" does not contain "${c}"`);
    } else {
      for (const k of ['expectStateRows', 'expectDroppedByWatermark', 'expectWatermark', 'expectBatchCount']) {
        if (k in step && step[k] !== seen) out.push(`${where}: Spark gave ${JSON.stringify(seen)}`);
      }
    }
  });
  return out;
}
