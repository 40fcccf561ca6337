/**
 * The extra conformance scenarios whose expectations were captured from real Apache Spark
 * (`"capturedWith"`, written by `test/conformance/pyspark/capture.ts`) are run on PySpark again and
 * must still give exactly those expectations, so no hand edit can drift from Spark. The engine is held
 * to the same files by the conformance tier.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { differences, observeOnSpark, type SparkObservations } from '../conformance/pyspark/spark-observations.js';
import { pysparkProblem, pysparkPython } from './pyspark-dist.js';

const dir = fileURLToPath(new URL('../conformance/extra/', import.meta.url));
const captured = readdirSync(dir).filter((f) => f.endsWith('.json')).sort()
  .map((f) => ({ file: join(dir, f), scenario: JSON.parse(readFileSync(join(dir, f), 'utf8')) }))
  .filter((s) => typeof s.scenario.capturedWith === 'string');

describe('extra conformance scenarios on Apache Spark', () => {
  const observed = new Map<string, SparkObservations>();

  beforeAll(async () => {
    const problem = pysparkProblem();
    if (problem) throw new Error(`parity: ${problem}`);
    for (const o of await observeOnSpark(pysparkPython(), captured.map((c) => c.file))) observed.set(o.id, o);
  }, 600_000);

  it('finds the captured scenarios', () => {
    expect(captured.length).toBeGreaterThanOrEqual(13);
  });

  for (const { scenario } of captured) {
    it(`${scenario.id} (${scenario.capturedWith})`, () => {
      expect(differences(scenario, observed.get(scenario.id)!)).toEqual([]);
    });
  }
});
