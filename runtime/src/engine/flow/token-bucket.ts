/**
 * The token bucket behind `throttle`, on a clock in nanoseconds: tokens arrive one every
 * `nanosBetweenTokens` up to `capacity`; `offer(cost)` takes `cost` tokens and answers how long the
 * element must wait (0 = go now). Tokens arrive at exact multiples of the period, so a wait is measured
 * from the last arrival, and a wait that has been answered is owed: the bucket's time moves to its end.
 */
export class TokenBucket {
  private available = 0;
  private lastUpdate = 0;

  constructor(
    private readonly capacity: number,
    private readonly nanosBetweenTokens: number,
    private readonly nowNanos: () => number,
  ) {
    if (capacity < 0) throw new RangeError('Capacity must be non-negative.');
    if (!(nanosBetweenTokens > 0)) throw new RangeError('Time between tokens must be larger than zero nanoseconds.');
  }

  /** Fills the bucket; call before the first offer. */
  init(): void {
    this.available = this.capacity;
    this.lastUpdate = this.nowNanos();
  }

  /** Takes `cost` tokens; returns the nanoseconds to wait before the element may go. */
  offer(cost: number): number {
    if (cost < 0) throw new RangeError('Cost must be non-negative');
    const now = this.nowNanos();
    const elapsed = now - this.lastUpdate;
    let arrived = 0;
    if (elapsed >= this.nanosBetweenTokens) {
      arrived = Math.floor(elapsed / this.nanosBetweenTokens);
      this.lastUpdate += arrived * this.nanosBetweenTokens;
    }
    this.available = Math.min(this.available + arrived, this.capacity);
    if (cost <= this.available) {
      this.available -= cost;
      return 0;
    }
    const remaining = cost - this.available;
    const sinceArrival = now - this.lastUpdate;
    const delay = remaining * this.nanosBetweenTokens - sinceArrival;
    this.available = 0;
    this.lastUpdate = now + delay;
    return delay;
  }
}
