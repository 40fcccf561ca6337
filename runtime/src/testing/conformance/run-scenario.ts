/** Dispatches a scenario to the runner of its API. */
import type { Scenario, ScenarioResult } from './scenario.js';
import { runStructuredScenario } from './structured.js';

type DStreamRunner = (s: never) => Promise<{ ok: true } | { ok: false; message: string }>;

let dstreamRunner: DStreamRunner | null | undefined;

async function loadDStreamRunner(): Promise<DStreamRunner | null> {
  if (dstreamRunner === undefined) {
    try {
      const mod = (await import('./dstream.js')) as { runDStreamScenario?: DStreamRunner };
      dstreamRunner = mod.runDStreamScenario ?? null;
    } catch {
      dstreamRunner = null;
    }
  }
  return dstreamRunner;
}

/** Runs one scenario of either API. */
export async function runScenario(scenario: Scenario): Promise<ScenarioResult> {
  if (scenario.api === 'structured') return runStructuredScenario(scenario);
  if (scenario.api === 'dstream') {
    const runner = await loadDStreamRunner();
    if (!runner) return { ok: false, message: 'DStream runner missing' };
    const r = await runner(scenario as never);
    // The DStream runner prefixes messages with the id; keep one id per line.
    return r.ok ? r : { ok: false, message: r.message.startsWith(`${scenario.id}: `) ? r.message.slice(scenario.id.length + 2) : r.message };
  }
  return { ok: false, message: `unknown api ${String(scenario.api)}` };
}
