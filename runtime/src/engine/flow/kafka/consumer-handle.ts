/**
 * One Kafka consumer shared by a consumer source and the offsets it hands out: the source polls it,
 * a `Committer` commits through it, and it closes once the source is done and no commit is in flight.
 */
import type { ConsumerBackend } from '../../kafka-client/client-types.js';

/** Closes under way: a consumer leaving its group must get there before its process ends. */
const closing = new Set<Promise<void>>();

/**
 * Resolves once every consumer whose close has begun is closed (or failed to). A job that stops its
 * flows awaits this before it exits: a member that never left its group holds its partitions until
 * its session times out, and the next run's flow in the same group waits that long for its first record.
 */
export function consumersClosed(): Promise<void> {
  return Promise.allSettled([...closing]).then(() => undefined);
}

/** The consumer behind one materialized consumer source. */
export class ConsumerHandle {
  private inFlight = 0;
  private closing: Promise<void> | null = null;
  private idle: (() => void) | null = null;

  constructor(readonly backend: ConsumerBackend, readonly groupId: string | null) {}

  /** Whether `close()` was called. */
  get isClosing(): boolean {
    return this.closing !== null;
  }

  /** Commits `next offset to read` per `topic:partition`. */
  async commit(offsets: Readonly<Record<string, number>>): Promise<void> {
    if (this.closing) throw new Error('Commit failed: the Kafka consumer was shut down before the offsets could be committed');
    if (this.groupId === null) throw new Error('Commit failed: committing offsets needs a consumer group (ConsumerSettings.withGroupId)');
    this.inFlight++;
    try {
      await this.backend.commit(offsets);
    } finally {
      this.inFlight--;
      if (this.inFlight === 0) this.idle?.();
    }
  }

  /** Closes the consumer once commits in flight are done. */
  close(): Promise<void> {
    if (!this.closing) {
      const done = (async () => {
        if (this.inFlight > 0) await new Promise<void>((r) => (this.idle = r));
        await this.backend.close(false);
      })();
      this.closing = done;
      closing.add(done);
      void done.catch(() => undefined).finally(() => closing.delete(done));
    }
    return this.closing;
  }
}
