/**
 * Errors raised by the DStream API. They are the engine's learner-facing classes, so `instanceof`
 * works with what `streamlab` exports; IllegalStateException only exists on this side.
 */
import { StreamlabError } from '../errors.js';

export { IllegalArgumentException, ValueError } from '../errors.js';

/** The JVM's `IllegalStateException` (operations on a context in the wrong state). */
export class IllegalStateException extends StreamlabError {}

/** The JVM's plain `java.lang.Exception`, which Spark's WindowedDStream throws for bad durations. */
export class Exception extends StreamlabError {}
