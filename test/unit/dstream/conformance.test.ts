/**
 * Every public DStream scenario of `test/conformance/public/`
 * through the scenario runner. `npm run conformance` runs them too, next to the Structured ones.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runDStreamScenario, type DStreamScenario } from '../../../runtime/src/testing/conformance/dstream.js';

const dir = fileURLToPath(new URL('../../conformance/public/', import.meta.url));

describe('public DStream conformance scenarios', () => {
  it('finds the scenario directory', () => {
    expect(existsSync(dir), `missing ${dir}`).toBe(true);
  });

  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.startsWith('ds-') && f.endsWith('.json')).sort() : [];
  for (const file of files) {
    it(file.replace(/\.json$/, ''), async () => {
      const scenario = JSON.parse(readFileSync(dir + file, 'utf8')) as DStreamScenario;
      expect(await runDStreamScenario(scenario)).toEqual({ ok: true });
    });
  }

  it('reports the first difference when an expectation is wrong', async () => {
    const file = dir + 'ds-window-basic.json';
    const scenario = JSON.parse(readFileSync(file, 'utf8')) as DStreamScenario;
    const step = scenario.steps.find((s) => 'expectOutputs' in s) as { expectOutputs: { timeMs: number; rows: unknown[] }[] };
    step.expectOutputs[2] = { timeMs: 3000, rows: [1, 3] };
    expect(await runDStreamScenario(scenario)).toEqual({ ok: false, message: 'ds-window-basic: output at 3000 ms: expected [1, 3], got [1, 2]' });
  });

  it("reports a pipeline function that does not compile, not the context's missing output", async () => {
    const scenario = JSON.parse(readFileSync(dir + 'ds-window-basic.json', 'utf8')) as DStreamScenario;
    scenario.query.pipeline = [{ op: 'map', fn: 'x => x +' }, ...scenario.query.pipeline];
    const result = await runDStreamScenario(scenario);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.message).toMatch(/^ds-window-basic: unexpected error: SyntaxError: /);
  });
});
