import { readFileSync } from 'node:fs';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The purity rule keeps runtime/src/engine and runtime/src/protocol free of I/O and of the wall clock.
// Lint a fixture as if it lived inside the engine and check each violation is reported.
const fixture = readFileSync(new URL('./fixtures/engine/impure.ts', import.meta.url), 'utf8');

async function lintAs(filePath: string, code: string) {
  const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname });
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((m) => m.ruleId);
}

describe('engine purity rule', () => {
  it('rejects node:fs, Date.now() and process.env inside runtime/src/engine', async () => {
    const rules = await lintAs('runtime/src/engine/impure.ts', fixture);
    expect(rules).toContain('no-restricted-imports');
    expect(rules.filter((r) => r === 'no-restricted-syntax')).toHaveLength(2);
  });

  it('rejects the same code inside runtime/src/protocol', async () => {
    const rules = await lintAs('runtime/src/protocol/impure.ts', fixture);
    expect(rules).toContain('no-restricted-imports');
  });

  it.each(['kafkajs', 'pg', 'ws', 'node:net'])('rejects importing %s in the engine', async (mod) => {
    const rules = await lintAs('runtime/src/engine/x.ts', `import * as m from '${mod}';\nexport const x = m;\n`);
    expect(rules).toEqual(['no-restricted-imports']);
  });

  it('allows the same code in the connectors', async () => {
    const rules = await lintAs('runtime/src/connectors/impure.ts', fixture);
    expect(rules).not.toContain('no-restricted-imports');
    expect(rules).not.toContain('no-restricted-syntax');
  });
});
