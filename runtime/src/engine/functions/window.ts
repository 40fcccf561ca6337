/**
 * Window functions that are not aggregates: `lag`, `lead`, `row_number`. They only mean something
 * with an OVER clause (`F.lag("x").over(w)`); the window operator (`physical/window.ts`) evaluates
 * them row by row over each ordered partition, and used anywhere else they fail as in Spark.
 */
import { AnalysisException } from '../errors.js';
import { col, defineFunction, val, type CallContext, type FunctionSpec } from './function-spec.js';

function withoutOver(c: CallContext): never {
  throw new AnalysisException(`[WINDOW_FUNCTION_WITHOUT_OVER_CLAUSE] Window function "${c.name}" requires an OVER clause.`, { code: 'WINDOW_FUNCTION_WITHOUT_OVER_CLAUSE' });
}

export const windowFunctions: readonly FunctionSpec[] = [
  ...(['lag', 'lead'] as const).map((name) => defineFunction({
    name, group: 'window', kind: 'window', facade: 'manual',
    params: [col('col'), val('offset', 'number', 'int', { optional: true, default: 1, nameDefault: '1' }), val('default', 'any', 'any', { optional: true, default: null, nameDefault: 'NULL' })],
    doc: name === 'lag'
      ? 'The value `offset` rows before the current row in the window\'s order (`default` when there is none).'
      : 'The value `offset` rows after the current row in the window\'s order (`default` when there is none).',
    compile: withoutOver,
  })),
  defineFunction({
    name: 'row_number', group: 'window', kind: 'window', params: [],
    doc: 'The number of the row in its window partition, from 1, in the window\'s order.',
    compile: withoutOver,
  }),
];
