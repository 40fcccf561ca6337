/** `org.apache.spark.SparkException` as Spark ML raises it while a model runs over a row. */
import { StreamlabError } from '../errors.js';

/**
 * An error inside one of a model's functions. Spark 3.5 reports it as `[FAILED_EXECUTE_UDF]` with the
 * model's own message as the cause; the message here carries both.
 */
export class SparkException extends StreamlabError {}

/** Wraps a model function's failure the way Spark names it. */
export function failedUdf(fn: string, signature: string, cause: string): SparkException {
  return new SparkException(`[FAILED_EXECUTE_UDF] Failed to execute user defined function (${fn}: ${signature}). Caused by: ${cause}`, { code: 'FAILED_EXECUTE_UDF' });
}
