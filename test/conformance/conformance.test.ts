/**
 * The conformance tier: one test per scenario file of the shared public set, run through the same
 * runner as `npm run conformance`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO_DIR } from '../../runtime/src/testing/conformance/scenario-dir.js';
import { runScenario } from '../../runtime/src/testing/conformance/run-scenario.js';
import type { Scenario } from '../../runtime/src/testing/conformance/scenario.js';

const files = readdirSync(DEFAULT_SCENARIO_DIR).filter((f) => f.endsWith('.json')).sort();

describe('conformance scenarios (../shared/conformance/public)', () => {
  it('finds the scenario files', () => {
    expect(files).toContain('ss-watermark-append.json');
  });
  for (const file of files) {
    const scenario = JSON.parse(readFileSync(join(DEFAULT_SCENARIO_DIR, file), 'utf8')) as Scenario;
    it(`${scenario.id} (${scenario.api})`, async () => {
      const result = await runScenario(scenario);
      expect(result).toEqual({ ok: true });
    });
  }
});
