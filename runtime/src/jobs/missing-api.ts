/**
 * What a learner reads when code calls something Streamlab does not have: PySpark's own words when
 * PySpark has no such name either (`'DataFrame' object has no attribute 'x'`, `module
 * 'pyspark.sql.functions' has no attribute 'x'`), and an `[UNSUPPORTED_FEATURE]` message that names the
 * alternative when PySpark 3.5 has it and Streamlab does not — never TypeScript's "Property … does not
 * exist on type …" or JavaScript's "… is not a function" alone.
 *
 *   TypeScript:  Property 'x' does not exist on type 'DataFrame'. [Did you mean 'y'?]
 *   JavaScript:  F.x is not a function            (F: the learner's name for `functions`)
 *            →   the message below, with TypeScript's suggestion kept
 */
import { PYSPARK_NAMES } from './pyspark-names.js';

/** Streamlab's ways to do what some PySpark names do that it does not have. */
const ALTERNATIVES: Readonly<Record<string, string>> = {
  'DataFrame.toPandas': 'collect() returns the rows and show() prints them',
  'DataFrame.rdd': 'collect() returns the rows; RDD-style code belongs to the DStream API (StreamingContext)',
  'DataFrame.toLocalIterator': 'collect() returns the rows',
  'DataFrame.pandas_api': 'collect() returns the rows',
  'DataFrame.mapInPandas': 'a udf in select() transforms rows',
  'DataFrame.mapInArrow': 'a udf in select() transforms rows',
};

/** The classes whose members are explained, as TypeScript names their types. */
const CLASSES = ['DataFrame', 'Column', 'SparkSession', 'GroupedData', 'DataFrameReader', 'DataFrameWriter', 'DataStreamReader', 'DataStreamWriter', 'StreamingQuery'];

/** The message for `owner.member` missing, where owner is a PySpark class name or `functions`; undefined for other owners. */
export function missingMemberMessage(owner: string, member: string, suggestion?: string, receiver = 'F'): string | undefined {
  const names = PYSPARK_NAMES[owner];
  if (!names) return undefined;
  const hint = suggestion ? ` Did you mean '${suggestion}'?` : '';
  if (owner === 'functions') {
    if (names.includes(member)) {
      return `[UNSUPPORTED_FEATURE] The function ${receiver}.${member} of PySpark 3.5 is not supported by Streamlab yet; docs/functions.md lists the functions it has.${hint}`;
    }
    return `[UNRESOLVED_ROUTINE] module 'pyspark.sql.functions' has no attribute '${member}': there is no function ${receiver}.${member} in PySpark 3.5 or in Streamlab.${hint}`;
  }
  if (names.includes(member)) {
    const alternative = ALTERNATIVES[`${owner}.${member}`];
    return `[UNSUPPORTED_FEATURE] ${owner}.${member} of PySpark 3.5 is not supported by Streamlab${alternative ? `: ${alternative}` : ' yet'}.${hint}`;
  }
  return `AttributeError: '${owner}' object has no attribute '${member}' (PySpark 3.5 has no ${owner}.${member} either).${hint}`;
}

const TS_MISSING = /^Property '([\w$]+)' does not exist on type '([^']+)'\.(?: Did you mean '([\w$]+)'\?)?/;

/**
 * TypeScript's "Property 'x' does not exist on type 'T'" for one of the engine's PySpark classes or
 * the `functions` module, in the words above; any other message unchanged.
 */
export function explainTypeError(message: string): string {
  const m = TS_MISSING.exec(message);
  if (!m) return message;
  const [, member, type, suggestion] = m;
  const owner = CLASSES.includes(type!) ? type! : /^typeof import\(".*structured\/functions"\)$/.test(type!) ? 'functions' : undefined;
  if (!owner) return message;
  return missingMemberMessage(owner, member!, suggestion) ?? message;
}

const JS_NOT_A_FUNCTION = /^([\w$.]+)\.([\w$]+) is not a function$/;

/**
 * JavaScript's "a.b is not a function" at run time (the learner's names already restored): for the
 * learner's `functions` import, the message above; for any other receiver, whose class the message
 * does not say, the PySpark classes that have the name, or PySpark's own words for none.
 * @param functionsNames the learner's local names for the `functions` module (`F`, `sl.functions`)
 */
export function explainNotAFunction(message: string, functionsNames: readonly string[]): string {
  const m = JS_NOT_A_FUNCTION.exec(message);
  if (!m) return message;
  const [, receiver, member] = m;
  if (functionsNames.includes(receiver!)) return missingMemberMessage('functions', member!, undefined, receiver) ?? message;
  const owners = CLASSES.filter((c) => PYSPARK_NAMES[c]!.includes(member!));
  if (owners.length > 0) {
    return `[UNSUPPORTED_FEATURE] ${receiver}.${member}() is not supported by Streamlab yet (PySpark 3.5 has ${owners.map((o) => `${o}.${member}`).join(', ')}).`;
  }
  return `AttributeError: ${receiver} has no attribute '${member}' (there is no ${member} in PySpark 3.5's DataFrame, Column or session API, nor in Streamlab).`;
}
