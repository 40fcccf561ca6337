/**
 * `npm run conformance -- [DIR ...]`: runs every scenario file in the directories (default: the
 * directory `STREAMLAB_CONFORMANCE_DIR` names, else the repository's `test/conformance/public`) and prints
 * `PASS id` / `FAIL id: <first difference>` per scenario, then `N passed, M failed`. Exit code 1 if
 * any failed. DStream scenarios go to the DStream runner; without it they fail, never skip.
 */
import { resolve } from 'node:path';
import { runScenario } from './run-scenario.js';
import { loadScenarios } from './scenario.js';
import { scenarioDir } from './scenario-dir.js';

async function main(args: string[]): Promise<number> {
  const dirs = args.length > 0 ? args.map((a) => resolve(a)) : [scenarioDir()];
  const scenarios = await loadScenarios(dirs);
  let passed = 0;
  let failed = 0;
  for (const { scenario } of scenarios) {
    const r = await runScenario(scenario);
    if (r.ok) {
      passed++;
      process.stdout.write(`PASS ${scenario.id}\n`);
    } else {
      failed++;
      process.stdout.write(`FAIL ${scenario.id}: ${r.message}\n`);
    }
  }
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  return failed > 0 ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
