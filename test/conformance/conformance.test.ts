/**
 * The conformance tier: one test per scenario file, run through the same runner as
 * `npm run conformance`: the shared public set (`../shared/conformance/public`) and our own extra
 * scenarios in `test/conformance/extra` (same format, ids prefixed `xs-`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../runtime/src/testing/conformance/run-scenario.js';
import type { Scenario } from '../../runtime/src/testing/conformance/scenario.js';
import { DEFAULT_SCENARIO_DIR } from '../../runtime/src/testing/conformance/scenario-dir.js';

const EXTRA_DIR = fileURLToPath(new URL('./extra/', import.meta.url));

function scenarioTests(title: string, dir: string, sample: string): void {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  describe(title, () => {
    it('finds the scenario files', () => {
      expect(files).toContain(sample);
    });
    for (const file of files) {
      const scenario = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Scenario;
      it(`${scenario.id} (${scenario.api})`, async () => {
        expect(await runScenario(scenario)).toEqual({ ok: true });
      });
    }
  });
}

scenarioTests('public scenarios (../shared/conformance/public)', DEFAULT_SCENARIO_DIR, 'ss-watermark-append.json');
scenarioTests('extra scenarios (test/conformance/extra)', EXTRA_DIR, 'xs-watermark-trigger-once.json');
