/**
 * The conformance tier: one test per scenario file, run through the same runner as
 * `npm run conformance`: the public set (`test/conformance/public`, format in `test/conformance/FORMAT.md`)
 * and our own extra scenarios in `test/conformance/extra` (same format, ids prefixed `xs-`). With
 * `STREAMLAB_CONFORMANCE_DIR=<dir>` the scenarios of that directory run in place of the public set (a
 * held-out set, say); the extra ones run either way.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../runtime/src/testing/conformance/run-scenario.js';
import type { Scenario } from '../../runtime/src/testing/conformance/scenario.js';
import { PUBLIC_SCENARIO_DIR, SCENARIO_DIR_ENV, scenarioDir } from '../../runtime/src/testing/conformance/scenario-dir.js';

const EXTRA_DIR = fileURLToPath(new URL('./extra/', import.meta.url));

function scenarioTests(title: string, dir: string, sample: string | null): void {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  describe(title, () => {
    it('finds the scenario files', () => {
      if (sample) expect(files).toContain(sample);
      else expect(files.length, `no scenario files (*.json) in ${dir}`).toBeGreaterThan(0);
    });
    for (const file of files) {
      const scenario = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Scenario;
      it(`${scenario.id} (${scenario.api})`, async () => {
        expect(await runScenario(scenario)).toEqual({ ok: true });
      });
    }
  });
}

const dir = scenarioDir();
if (dir === PUBLIC_SCENARIO_DIR) scenarioTests('public scenarios (test/conformance/public)', dir, 'ss-watermark-append.json');
else scenarioTests(`scenarios of ${SCENARIO_DIR_ENV} (${dir})`, dir, null);
scenarioTests('extra scenarios (test/conformance/extra)', EXTRA_DIR, 'xs-watermark-trigger-once.json');
