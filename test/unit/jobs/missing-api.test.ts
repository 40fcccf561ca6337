/**
 * Calling what Streamlab does not have: an unknown function and an unknown DataFrame method read as
 * PySpark or Spark would say it, both where the type check stops the learner's code and where
 * JavaScript would throw "… is not a function" — never TypeScript's or JavaScript's words alone.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { explainNotAFunction, explainTypeError } from '../../../runtime/src/jobs/missing-api.js';
import { typecheckLearnerFiles } from '../../../runtime/src/jobs/typecheck.js';

/** The checkout's own folder: no message may show where Streamlab is installed. */
const checkout = fileURLToPath(new URL('../../../', import.meta.url));

describe('a member Streamlab lacks', () => {
  it('is explained in the type check, at the learner\'s line, for DataFrame methods and functions', async () => {
    const content = [
      'import { SparkSession, functions as F } from "streamlab";',
      'const spark = SparkSession.builder.getOrCreate();',
      'const df = spark.createDataFrame([[1]], "x INT");',
      'df.toPandas();',
      'df.selectt("x");',
      'df.noSuchMethod();',
      'df.select(F.nosuch_fn("x"));',
      'df.select(F.soundex("x"));',
      'df.dropDuplicatesWithinWatermark(["x"]);',
      '',
    ].join('\n');
    const errors = await typecheckLearnerFiles([{ path: 'solution.ts', content }]);
    expect(errors.map((e) => [e.line, e.message])).toEqual([
      [4, '[UNSUPPORTED_FEATURE] DataFrame.toPandas of PySpark 3.5 is not supported by Streamlab: collect() returns the rows and show() prints them.'],
      [5, "AttributeError: 'DataFrame' object has no attribute 'selectt' (PySpark 3.5 has no DataFrame.selectt either). Did you mean 'select'?"],
      [6, "AttributeError: 'DataFrame' object has no attribute 'noSuchMethod' (PySpark 3.5 has no DataFrame.noSuchMethod either)."],
      [7, "[UNRESOLVED_ROUTINE] module 'pyspark.sql.functions' has no attribute 'nosuch_fn': there is no function F.nosuch_fn in PySpark 3.5 or in Streamlab."],
      [8, '[UNSUPPORTED_FEATURE] The function F.soundex of PySpark 3.5 is not supported by Streamlab yet; docs/functions.md lists the functions it has.'],
    ]);
    expect(errors.every((e) => e.code === 'type-error' && !e.stack.includes(checkout))).toBe(true);
  }, 120_000);

  it('leaves TypeScript\'s message for types that are not PySpark\'s', () => {
    expect(explainTypeError("Property 'x' does not exist on type 'Foo'.")).toBe("Property 'x' does not exist on type 'Foo'.");
    expect(explainTypeError("Property 'writeStreem' does not exist on type 'DataFrame'. Did you mean 'writeStream'?"))
      .toBe("AttributeError: 'DataFrame' object has no attribute 'writeStreem' (PySpark 3.5 has no DataFrame.writeStreem either). Did you mean 'writeStream'?");
  });

  it('is explained when JavaScript finds no such function at run time', () => {
    expect(explainNotAFunction('F.get_json is not a function', ['F'])).toBe("[UNRESOLVED_ROUTINE] module 'pyspark.sql.functions' has no attribute 'get_json': there is no function F.get_json in PySpark 3.5 or in Streamlab.");
    expect(explainNotAFunction('events.toPandas is not a function', ['F'])).toBe('[UNSUPPORTED_FEATURE] events.toPandas() is not supported by Streamlab yet (PySpark 3.5 has DataFrame.toPandas).');
    expect(explainNotAFunction('events.frobnicate is not a function', ['F'])).toBe("AttributeError: events has no attribute 'frobnicate' (there is no frobnicate in PySpark 3.5's DataFrame, Column or session API, nor in Streamlab).");
    expect(explainNotAFunction('x is not iterable', ['F'])).toBe('x is not iterable');
  });
});
