/**
 * The editor's declarations of `"streamlab"` (what Monaco completes and shows on hover) come from
 * the engine's source, and the functions in them from the function registry: an entry's parameters
 * and its documentation reach the learner's editor.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { emitStreamlabDeclarations } from '../../../workbench/build/streamlab-dts-plugin.js';
import { functionRegistry } from '../../../runtime/src/engine/functions/registry.js';

describe('editor declarations', () => {
  it("declare each registry function with the entry's parameters and documentation", () => {
    const { text } = emitStreamlabDeclarations(fileURLToPath(new URL('../../../runtime/src/streamlab.ts', import.meta.url)));
    const spec = functionRegistry.lookup('to_utc_timestamp')!;
    expect(text).toContain(`${spec.doc}\n     *\n     * Example: \`${spec.example!.sql}\` gives \`${spec.example!.result}\`.\n     */\n    export function to_utc_timestamp(timestamp: ColumnOrName, tz: Column | string): Column;`);
    expect(text).toContain('export function split(str: ColumnOrName, pattern: string, limit?: number): Column;');
  }, 120_000);
});
