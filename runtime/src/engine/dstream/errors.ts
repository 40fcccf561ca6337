/** Errors raised by the DStream API, named like the Python/JVM exceptions a PySpark learner would see. */

/** Python's `ValueError` (PySpark's argument checks). */
export class ValueError extends Error {
  override readonly name = 'ValueError';
}

/** The JVM's `IllegalArgumentException` (Spark's `require(...)` failures; the message starts with "requirement failed: "). */
export class IllegalArgumentException extends Error {
  override readonly name = 'IllegalArgumentException';
}

/** The JVM's `IllegalStateException` (e.g. operations on a context in the wrong state). */
export class IllegalStateException extends Error {
  override readonly name = 'IllegalStateException';
}
