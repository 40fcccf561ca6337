/**
 * Functions that are not about values of one family: `typeof`, and the call forms the parser and
 * the DataFrame API produce for columns, literals and interval literals.
 */
import { node } from '../expressions/expr.js';
import { parseInterval } from '../time.js';
import { STRING } from '../types.js';
import { col, defineFunction, val, type FunctionSpec } from './function-spec.js';
import { wrongArgs } from './wrong-args.js';

export const miscFunctions: readonly FunctionSpec[] = [
  defineFunction({
    name: 'typeof', group: 'misc', kind: 'scalar', params: [col('col')], py: null, doc: 'The type of the value, in DDL (`int`, `array<string>`).',
    example: { sql: 'typeof(1)', result: 'int' },
    compile: (c) => {
      const t = c.raw(0).type.simpleString();
      return c.make(STRING, () => t, { nullable: false });
    },
  }),
  defineFunction({
    name: 'lit', group: 'misc', kind: 'scalar', params: [val('col', 'any')], facade: 'manual', doc: 'A literal value.',
    compile: (c) => c.raw(0),
  }),
  defineFunction({
    name: 'col', aliases: ['column'], pyAliases: ['column'], group: 'misc', kind: 'scalar', params: [val('col', 'string')], facade: 'manual',
    doc: 'A column by name (`"window.start"` reaches into a struct).',
    compile: (c) => {
      const a = c.args[0];
      if (a?.kind !== 'lit' || typeof a.value !== 'string') throw wrongArgs(c.call.name, c.args.length, [1]);
      return c.compile(node({ kind: 'col', name: a.value }));
    },
  }),
  defineFunction({
    name: 'interval_literal', group: 'misc', kind: 'scalar', params: [val('text', 'string')], facade: 'none', py: null,
    doc: "An interval literal (`INTERVAL '5' SECOND`), kept as its text for window durations and timestamp arithmetic.",
    columnName: (_args, call) => `INTERVAL '${String((call.args[0] as { value?: unknown }).value)}'`,
    compile: (c) => {
      const text = String(c.literal(0));
      parseInterval(text);
      return c.make(STRING, () => text, { nullable: false });
    },
  }),
];
