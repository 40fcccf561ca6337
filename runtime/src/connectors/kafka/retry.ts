/**
 * Retrying Kafka calls across broker restarts. kafkajs retries a few times within a call; a broker
 * that is down for tens of seconds outlives those retries, so the connectors retry whole
 * operations here with capped exponential backoff until a deadline, and only then fail the query.
 */
import { KafkaSecurityError } from '../../engine/kafka/kafka-security.js';

/** Error names (or protocol error types) that retrying cannot fix. */
const FATAL = new Set([
  'TypeError',
  'RangeError',
  'ReferenceError',
  'SyntaxError',
  'KafkaJSSASLAuthenticationError',
  'SASL_AUTHENTICATION_FAILED',
  'TOPIC_AUTHORIZATION_FAILED',
  'INVALID_TOPIC_EXCEPTION',
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'UNSUPPORTED_VERSION',
]);

/** The innermost cause of a kafkajs error (kafkajs wraps errors in retry errors). */
export function rootCause(e: unknown): unknown {
  let cur = e as { cause?: unknown; originalError?: unknown } | undefined;
  for (let i = 0; i < 10 && cur; i++) {
    const next = cur.cause ?? cur.originalError;
    if (!next || next === cur) break;
    cur = next as typeof cur;
  }
  return cur;
}

/** The kafkajs protocol error type (e.g. `UNKNOWN_TOPIC_OR_PARTITION`) or the error name. */
export function errorKind(e: unknown): string {
  const root = rootCause(e) as { type?: string; name?: string } | undefined;
  return root?.type ?? root?.name ?? 'Error';
}

/** True when retrying the operation cannot help. */
export function isFatal(e: unknown): boolean {
  const outer = e as { name?: string; type?: string } | undefined;
  return FATAL.has(errorKind(e)) || FATAL.has(outer?.name ?? '') || FATAL.has(outer?.type ?? '');
}

/** Options of {@link retrying}. */
export interface RetryOptions {
  /** Give up after this many milliseconds of failures (default 120 s). */
  deadlineMs?: number;
  /** Called before each retry, e.g. to rebuild the connection. */
  onRetry?: (error: unknown, attempt: number) => Promise<void> | void;
  /** Errors for which this returns true are rethrown at once. */
  stop?: (error: unknown) => boolean;
}

/** Runs `op`, retrying transient failures with backoff 100 ms → 2 s until the deadline. */
export async function retrying<T>(op: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const deadline = Date.now() + (options.deadlineMs ?? 120_000);
  let delay = 100;
  for (let attempt = 1; ; attempt++) {
    try {
      return await op();
    } catch (e) {
      if (isFatal(e) || options.stop?.(e) || Date.now() + delay > deadline) throw e;
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 2000);
      await options.onRetry?.(e, attempt);
    }
  }
}

/** Kafka could not be used for longer than the retry deadline (or refused the request outright). */
export class KafkaUnavailableError extends Error {
  /** Stable code for the workbench. */
  readonly code = 'KAFKA_UNAVAILABLE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KafkaException';
  }
}

/**
 * The error a query reports when a Kafka call finally fails: errors that already speak Spark's
 * language (data loss, bad rows) pass through; kafkajs errors become one clear sentence.
 */
export function kafkaFailure(e: unknown, brokers: readonly string[], action: string): unknown {
  const err = e as { name?: string; message?: string } | undefined;
  if (err?.name === 'IllegalStateException' || err?.name === 'IllegalArgumentException' || err instanceof KafkaUnavailableError || err instanceof KafkaSecurityError) return e;
  const root = rootCause(e) as { message?: string } | undefined;
  const reason = root?.message ?? err?.message ?? String(e);
  const kind = errorKind(e);
  // The broker refused the credentials: the Java client's exception, with the broker's message.
  if (kind === 'KafkaJSSASLAuthenticationError') return new KafkaSecurityError('SaslAuthenticationException', reason.replace(/^SASL [\w -]+ authentication failed: /, ''));
  const where = brokers.join(',');
  if (kind.startsWith('KafkaJSConnection') || /ECONNREFUSED|ENOTFOUND|ETIMEDOUT|Connection (error|timeout)/i.test(reason)) {
    return new KafkaUnavailableError(`Kafka is not reachable at ${where} while ${action}: ${reason}`, { cause: e });
  }
  return new KafkaUnavailableError(`Kafka at ${where} failed while ${action}: ${reason} (${kind})`, { cause: e });
}
