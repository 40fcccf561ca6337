/**
 * What `mapAsync`'s function may return: a promise (or any thenable), completed later, or a plain value,
 * which counts as an already completed future (Pekko's fast path for `Future.successful`). A result of
 * `null` or `undefined` means "no element" and is skipped, as Pekko skips a future completed with null.
 */
export type AsyncResult<T> = T | PromiseLike<T> | null | undefined;

/** Whether `x` is a thenable. */
export function isThenable<T>(x: unknown): x is PromiseLike<T> {
  return x !== null && (typeof x === 'object' || typeof x === 'function') && typeof (x as { then?: unknown }).then === 'function';
}

/** Whether an element is "no element" (skipped). */
export function isNoElement(x: unknown): x is null | undefined {
  return x === null || x === undefined;
}
