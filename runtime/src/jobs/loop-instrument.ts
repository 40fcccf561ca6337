/**
 * The compile-time half of the endless-loop guard (see `loop-guard.ts`): a guard call at the top of
 * every loop body, inserted without new lines. The source map is shifted to match, so stacks still
 * point at the learner's exact line and column.
 */
import { SourceMap } from 'node:module';
import { instrumentAwaitsAt } from './loop-insert.js';

export { instrumentLoops } from './loop-insert.js';

/** The await tracker's calls inserted (`instrumentAwaitsAt`), positions from Node's source map. */
export function instrumentAwaits(code: string, mapJson: string): { code: string; map: string } {
  const map = new SourceMap(JSON.parse(mapJson));
  return instrumentAwaitsAt(code, mapJson, (line, column) => {
    const e = map.findEntry(line, column) as { originalSource?: string; originalLine?: number; originalColumn?: number };
    return { ...(e?.originalSource === undefined ? {} : { source: e.originalSource }), ...(e?.originalLine === undefined ? {} : { line: e.originalLine }), ...(e?.originalColumn === undefined ? {} : { column: e.originalColumn }) };
  });
}
