/**
 * At most `limit` checks grade at once per runtime; the others wait in order and are told where they
 * stand (`check.status`: queued at position n, then running), so a class pressing Check together
 * cannot overload the machine and nobody waits without knowing why.
 */

/** Where a queued job stands. */
export type CheckQueueStatus = { state: 'queued'; position: number } | { state: 'running' };

interface Waiting {
  start(): void;
  onStatus(status: CheckQueueStatus): void;
}

/** A first-come, first-served queue with `limit` slots. */
export class CheckQueue {
  private running = 0;
  private readonly waiting: Waiting[] = [];

  constructor(readonly limit: number) {}

  /** Runs `job` once a slot is free; `onStatus` hears `queued` (when it must wait, and as it moves up) and `running`. */
  async run<T>(job: () => Promise<T>, onStatus: (status: CheckQueueStatus) => void): Promise<T> {
    if (this.running >= this.limit) {
      await new Promise<void>((start) => {
        this.waiting.push({ start, onStatus });
        onStatus({ state: 'queued', position: this.waiting.length });
      });
    } else {
      this.running++;
    }
    onStatus({ state: 'running' });
    try {
      return await job();
    } finally {
      const next = this.waiting.shift();
      if (next) {
        // The slot passes straight to the next job; everyone behind it moves up one.
        this.waiting.forEach((w, i) => w.onStatus({ state: 'queued', position: i + 1 }));
        next.start();
      } else {
        this.running--;
      }
    }
  }
}
