/**
 * The flow conformance tier: every scenario in this folder (derived from Apache Pekko's stream test
 * suites; format in FORMAT.md) through the engine's flow API on a manual clock.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { FlowScenario } from '../../../runtime/src/testing/flow/flow-scenario.js';
import { runFlowScenario } from '../../../runtime/src/testing/flow/run-flow-scenario.js';

const DIR = fileURLToPath(new URL('./', import.meta.url));
const files = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();

describe('Pekko Streams scenarios (test/conformance/flow)', () => {
  it('finds the scenario files', () => {
    expect(files).toContain('pk-map-async-parallelism.json');
  });
  for (const file of files) {
    const scenario = JSON.parse(readFileSync(join(DIR, file), 'utf8')) as FlowScenario;
    it(`${scenario.id}: ${scenario.from.split(' :: ')[1]}`, async () => {
      expect(file).toBe(`${scenario.id}.json`);
      expect(await runFlowScenario(scenario)).toEqual({ ok: true });
    });
  }
});
