/**
 * Captures a structured scenario's expectations from real Apache Spark:
 *
 *   node --import tsx test/conformance/pyspark/capture.ts [--write] FILE.json ...
 *
 * runs each scenario on PySpark (from `npm run services:fetch`) and prints where the file differs
 * from what Spark gives; with `--write` it replaces the expected rows and numbers with Spark's and
 * marks the file `capturedWith`. Errors are compared (the `contains` strings), never rewritten.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { pysparkPython, sparkPins } from '../../parity/pyspark-dist.js';
import { differences, observeOnSpark } from './spark-observations.js';

const args = process.argv.slice(2);
const write = args.includes('--write');
const files = args.filter((a) => a !== '--write');
const results = await observeOnSpark(pysparkPython(), files);
let failed = false;
results.forEach((obs, k) => {
  const file = files[k]!;
  const scenario = JSON.parse(readFileSync(file, 'utf8'));
  const diffs = differences(scenario, obs);
  console.log(`${scenario.id}: ${diffs.length === 0 ? 'as Spark' : diffs.join('\n  ')}`);
  if (!write || obs.failure) {
    failed ||= diffs.length > 0;
    return;
  }
  scenario.steps.forEach((step: Record<string, unknown>, i: number) => {
    const seen = obs.observed![i];
    if ('expect' in step && Array.isArray(seen)) step.expect = seen;
    for (const key of ['expectStateRows', 'expectDroppedByWatermark', 'expectWatermark', 'expectBatchCount']) if (key in step) step[key] = seen;
  });
  scenario.capturedWith = `PySpark ${sparkPins.pyspark}`;
  writeFileSync(file, formatScenario(scenario));
});

/** A scenario file as the hand-written ones look: one step per line, small arrays and objects inline. */
function formatScenario(scenario: Record<string, unknown>): string {
  const inline = (v: unknown): string => {
    if (Array.isArray(v)) return `[${v.map(inline).join(', ')}]`;
    if (v !== null && typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${inline(x)}`).join(', ')}}`;
    return JSON.stringify(v);
  };
  const compact = (v: unknown, indent: string): string => {
    const one = inline(v);
    if (one.length <= 100 || typeof v !== 'object' || v === null) return one;
    const inner = `${indent}  `;
    if (Array.isArray(v)) return `[\n${v.map((x) => inner + compact(x, inner)).join(',\n')}\n${indent}]`;
    return `{\n${Object.entries(v).map(([k, x]) => `${inner}${JSON.stringify(k)}: ${compact(x, inner)}`).join(',\n')}\n${indent}}`;
  };
  const lines = Object.entries(scenario).map(([k, v]) => (k === 'steps'
    ? `  "steps": [\n${(v as unknown[]).map((st) => `    ${inline(st)}`).join(',\n')}\n  ]`
    : `  ${JSON.stringify(k)}: ${compact(v, '  ')}`));
  return `{\n${lines.join(',\n')}\n}\n`;
}
if (failed) process.exitCode = 1;
