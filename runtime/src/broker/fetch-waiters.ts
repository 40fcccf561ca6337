/**
 * Wakes held Fetch requests (long polling) when a partition they wait on receives data.
 * A Fetch with nothing to return registers for its partitions and resolves on the first append,
 * on its maxWait timer, or when the broker closes.
 */

/** Key of a partition in the waiter table. */
export function partitionKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

/** A registry of partition -> waiting fetches. */
export class FetchWaiters {
  private readonly waiting = new Map<string, Set<() => void>>();
  private readonly all = new Set<() => void>();

  /** Resolves after `maxWaitMs`, or earlier when one of `keys` is appended to or on close. */
  wait(keys: readonly string[], maxWaitMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        for (const k of keys) this.waiting.get(k)?.delete(done);
        this.all.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, maxWaitMs));
      for (const k of keys) {
        let set = this.waiting.get(k);
        if (!set) this.waiting.set(k, (set = new Set()));
        set.add(done);
      }
      this.all.add(done);
    });
  }

  /** Called after an append. */
  notify(key: string): void {
    const set = this.waiting.get(key);
    if (!set) return;
    for (const done of [...set]) done();
  }

  /** Releases every waiter (broker shutdown). */
  releaseAll(): void {
    for (const done of [...this.all]) done();
  }
}
