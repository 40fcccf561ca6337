/**
 * Spark 3.5's error for a call with the wrong number of arguments.
 */
import { AnalysisException } from '../errors.js';

/**
 * `[WRONG_NUM_ARGS.WITHOUT_SUGGESTION]`, naming the counts the function takes: one (`1`), several
 * (`[2, 3]`) or a lower bound (`> 0`).
 */
export function wrongArgs(fn: string, actual: number, expected: readonly number[] | { atLeast: number }): AnalysisException {
  const want = Array.isArray(expected)
    ? expected.length === 1 ? String(expected[0]) : `[${expected.join(', ')}]`
    : `> ${(expected as { atLeast: number }).atLeast - 1}`;
  return new AnalysisException(
    `[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The \`${fn}\` requires ${want} parameters but the actual number is ${actual}. Please, refer to 'https://spark.apache.org/docs/latest/sql-ref-functions.html' for a fix.`,
    { code: 'WRONG_NUM_ARGS' },
  );
}
