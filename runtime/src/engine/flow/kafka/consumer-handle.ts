/**
 * One Kafka consumer shared by a consumer source and the offsets it hands out: the source polls it,
 * a `Committer` commits through it, and it closes once the source is done and no commit is in flight.
 */
import type { ConsumerBackend } from '../../kafka-client/client-types.js';

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
    this.closing ??= (async () => {
      if (this.inFlight > 0) await new Promise<void>((r) => (this.idle = r));
      await this.backend.close(false);
    })();
    return this.closing;
  }
}
