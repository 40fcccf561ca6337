/**
 * Errors a learner sees. Names mirror PySpark's exception classes; each carries a stable `code`
 * (Spark's error class where it has one) so the workbench and the autograder can match on it,
 * and messages keep Spark's wording so they can be searched for.
 */

/** Extra information attached to engine errors. */
export interface ErrorDetails {
  /** Stable machine-readable code (Spark's error class where one exists). */
  code?: string;
  /** 0-based character offset in the SQL/DDL text the error refers to. */
  position?: number;
  /** The underlying error. */
  cause?: unknown;
}

/** Base class: everything the engine throws on purpose. */
export class StreamlabError extends Error {
  readonly code: string;
  readonly position?: number;
  constructor(message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.code = details.code ?? 'ENGINE_ERROR';
    this.position = details.position;
  }
}

/** PySpark `AnalysisException`: the query is not valid (bad column, unsupported operation, ...). */
export class AnalysisException extends StreamlabError {}

/** PySpark `ParseException`: the SQL text could not be parsed; `position` points into it. */
export class ParseException extends AnalysisException {}

/** PySpark `IllegalArgumentException`: a bad option or argument value. */
export class IllegalArgumentException extends StreamlabError {}

/** PySpark `StreamingQueryException`: the query failed while running; `cause` holds the reason. */
export class StreamingQueryException extends StreamlabError {}

/** Java's `ArithmeticException` as PySpark raises it: an exact computation overflowed or needed rounding. */
export class ArithmeticException extends StreamlabError {}

/** PySpark `SparkUpgradeException`: Spark 3 reads this differently from Spark 2 and refuses to guess. */
export class SparkUpgradeException extends StreamlabError {}

/** Python's `ValueError`, raised by PySpark for bad argument values before reaching the JVM. */
export class ValueError extends StreamlabError {}

/** Builds the PARSE_SYNTAX_ERROR message the way Spark words it, with a caret line under the text. */
export function syntaxError(text: string, position: number, detail: string): ParseException {
  const near = text.slice(position).match(/^\S+/)?.[0] ?? '';
  const shown = near === '' ? 'end of input' : `'${near}'`;
  const caret = `${' '.repeat(position)}^^^`;
  return new ParseException(
    `[PARSE_SYNTAX_ERROR] Syntax error at or near ${shown}: ${detail}. (line 1, pos ${position})\n\n== SQL ==\n${text}\n${caret}\n`,
    { code: 'PARSE_SYNTAX_ERROR', position },
  );
}
