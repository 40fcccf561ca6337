/**
 * The error a learner sees: a message in plain words, a stable code, and the position in the learner's
 * own file when one is known. Server paths never appear in it.
 */

/** Stable codes of learner-facing run errors. */
export type LearnerErrorCode =
  | 'compile-error' | 'type-error' | 'import-not-allowed' | 'runtime-error' | 'user-function-error' | 'unresponsive'
  | 'out-of-memory' | 'process-exit' | 'env-not-available' | 'fs-not-available' | 'sandbox-violation'
  | 'crashed' | 'internal';

/** A learner-facing error, as carried by `run.error`. */
export interface LearnerError {
  message: string;
  code: LearnerErrorCode | string;
  file: string | null;
  line: number | null;
  column: number | null;
  stack: string;
}

/** Builds a learner error without a position. */
export function learnerError(code: LearnerErrorCode, message: string): LearnerError {
  return { message, code, file: null, line: null, column: null, stack: message };
}
