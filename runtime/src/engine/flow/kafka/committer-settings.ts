/**
 * Pekko Connectors' `CommitterSettings`: a `Committer.sink` commits when `maxBatch` offsets have
 * gathered or `maxInterval` has passed since the first of them, whichever comes first (defaults 1000
 * and 10 s, as Pekko's reference configuration).
 */
import type { ActorSystem } from '../actor-system.js';
import { durationMs, type FlowDuration } from '../duration.js';

/** Pekko Connectors' `CommitterSettings`. */
export class CommitterSettings {
  private constructor(readonly maxBatch: number, readonly maxIntervalMs: number, readonly parallelism: number) {}

  /** The defaults (Java's `CommitterSettings.create(system)`). */
  static create(_system?: ActorSystem): CommitterSettings {
    return new CommitterSettings(1000, 10_000, 100);
  }

  /** Scala's `CommitterSettings(system)`. */
  static apply(system?: ActorSystem): CommitterSettings {
    return CommitterSettings.create(system);
  }

  withMaxBatch(n: number): CommitterSettings {
    if (!Number.isInteger(n) || n < 1) throw new RangeError('CommitterSettings.withMaxBatch: expected a positive integer');
    return new CommitterSettings(n, this.maxIntervalMs, this.parallelism);
  }

  withMaxInterval(d: FlowDuration): CommitterSettings {
    return new CommitterSettings(this.maxBatch, durationMs(d, 'withMaxInterval'), this.parallelism);
  }

  withParallelism(n: number): CommitterSettings {
    if (!Number.isInteger(n) || n < 1) throw new RangeError('CommitterSettings.withParallelism: expected a positive integer');
    return new CommitterSettings(this.maxBatch, this.maxIntervalMs, n);
  }
}
