/**
 * Spark's formatting, in one pure module shared by the engine and the workbench (package subpath
 * `@streamlab/runtime/format`): numbers as Java prints them, timestamps and dates, the `show()` table,
 * and the type-string parser. No I/O, no wall clock.
 */
export * from './java-number.js';
export * from './spark-time.js';
export * from './show-string.js';
export * from './type-string.js';
