import { readFileSync } from 'node:fs';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The purity rule keeps runtime/src/engine and runtime/src/protocol free of I/O, of the wall clock and of timers.
// Lint a fixture as if it lived inside the engine and check each violation is reported.
const fixture = readFileSync(new URL('./fixtures/engine/impure.ts', import.meta.url), 'utf8');

async function lintAs(filePath: string, code: string) {
  const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname });
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((m) => m.ruleId);
}

// Loading ESLint with typescript-eslint takes seconds on a busy machine: the timeout only guards against a hang.
describe('engine purity rule', { timeout: 120_000 }, () => {
  it('rejects node:fs, Date.now() and process.env inside runtime/src/engine', async () => {
    const rules = await lintAs('runtime/src/engine/impure.ts', fixture);
    expect(rules).toContain('no-restricted-imports');
    expect(rules.filter((r) => r === 'no-restricted-syntax')).toHaveLength(2);
  });

  it.each(['protocol', 'format'])('rejects the same code inside runtime/src/%s', async (dir) => {
    const rules = await lintAs(`runtime/src/${dir}/impure.ts`, fixture);
    expect(rules).toContain('no-restricted-imports');
    expect(rules.filter((r) => r === 'no-restricted-syntax')).toHaveLength(2);
  });

  it.each(['kafkajs', 'pg', 'ws', 'node:net'])('rejects importing %s in the engine', async (mod) => {
    const rules = await lintAs('runtime/src/engine/x.ts', `import * as m from '${mod}';\nexport const x = m;\n`);
    expect(rules).toEqual(['no-restricted-imports']);
  });

  it.each(['setTimeout(tick, 10)', 'setInterval(tick, 10)', 'setImmediate(tick)', 'clearTimeout(tick)'])('rejects the timer %s in the engine', async (call) => {
    const rules = await lintAs('runtime/src/engine/x.ts', `const tick = () => undefined;\nexport const t = ${call};\n`);
    expect(rules).toEqual(['no-restricted-globals']);
  });

  it('allows the same code in the connectors', async () => {
    const rules = await lintAs('runtime/src/connectors/impure.ts', fixture);
    expect(rules).not.toContain('no-restricted-imports');
    expect(rules).not.toContain('no-restricted-syntax');
  });
});

describe('the workbench reads the runtime through its package', { timeout: 120_000 }, () => {
  it('rejects a workbench import of a file of runtime/src', async () => {
    const code = "import { queuedMessage } from '../../../runtime/src/protocol/downgrade.js';\nexport const q = queuedMessage;\n";
    expect(await lintAs('workbench/src/elements/x.ts', code)).toEqual(['no-restricted-imports']);
  });

  it('allows the same through a package subpath', async () => {
    const code = "import { queuedMessage } from '@streamlab/runtime/protocol';\nexport const q = queuedMessage;\n";
    expect(await lintAs('workbench/src/elements/x.ts', code)).toEqual([]);
  });
});
