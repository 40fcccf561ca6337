/**
 * The compile-time half of the endless-loop guard (see `loop-guard.ts`): a guard call at the top of
 * every loop body, inserted without new lines. The source map is shifted to match, so stacks still
 * point at the learner's exact line and column.
 */
import { SourceMap } from 'node:module';
import { AWAIT_TRACKER_NAME } from './await-tracker.js';
import { applyInserts, forChildren, parseScript, type AnyNode, type Insert } from './loop-insert.js';

export { instrumentLoops } from './loop-insert.js';

/**
 * Wraps the operand of every `await` in a call that records where the code waits, with the learner's
 * position (from the source map), so a hang can name its line (see `await-tracker.ts`):
 *
 *   await x   →  await __streamlabAwait(x,"solution.ts",12,5)
 */
export function instrumentAwaits(code: string, mapJson: string): { code: string; map: string } {
  const ast = parseScript(code);
  const map = new SourceMap(JSON.parse(mapJson));
  const inserts: Insert[] = [];
  const visit = (node: AnyNode): void => {
    if (node.type === 'AwaitExpression') {
      const arg = node.argument as AnyNode;
      const loc = (node as unknown as { loc: { start: { line: number; column: number } } }).loc.start;
      const pos = map.findEntry(loc.line - 1, loc.column) as { originalSource?: string; originalLine?: number; originalColumn?: number };
      if (pos?.originalSource !== undefined && pos.originalLine !== undefined) {
        inserts.push({ at: arg.start, text: `${AWAIT_TRACKER_NAME}(` });
        inserts.push({ at: arg.end, text: `,${JSON.stringify(pos.originalSource)},${pos.originalLine + 1},${(pos.originalColumn ?? 0) + 1})` });
      }
    }
    forChildren(node, visit);
  };
  visit(ast as unknown as AnyNode);
  return applyInserts(code, mapJson, inserts);
}

