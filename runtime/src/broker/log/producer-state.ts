/**
 * What a partition remembers about idempotent producers (Kafka's ProducerStateManager and
 * ProducerAppendInfo, without transactions): per producer id, its epoch and the sequence and offset
 * ranges of its last five batches. A produced batch with a producer id is checked before it is
 * appended:
 *
 *   same epoch, same first and last sequence as a remembered batch
 *                                   -> duplicate: not appended, acknowledged with the first offset
 *                                      it got the first time (a retried send is written once)
 *   epoch lower than the remembered -> INVALID_PRODUCER_EPOCH
 *   epoch higher (a new epoch)      -> accepted only from sequence 0, unless the producer is new
 *   same epoch                      -> accepted only when firstSeq = lastSeq + 1 (wrapping after
 *                                      2^31 - 1 to 0); otherwise OUT_OF_ORDER_SEQUENCE_NUMBER
 *   producer id never seen here     -> accepted at any sequence (the batch starts its state)
 *
 * The state is rebuilt from the batch headers in the log when a partition is opened, so it survives
 * restarts as the log does.
 */
import { ErrorCode } from '../protocol/errors.js';

/** A batch as the producer state remembers it. */
export interface ProducerBatchInfo {
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly firstOffset: number;
  readonly lastOffset: number;
}

interface ProducerEntry {
  epoch: number;
  batches: ProducerBatchInfo[];
}

/** The outcome of checking a batch. */
export type SequenceCheck =
  | { readonly kind: 'append' }
  | { readonly kind: 'duplicate'; readonly firstOffset: number }
  | { readonly kind: 'error'; readonly errorCode: number; readonly message: string };

/** Batches remembered per producer for duplicate detection (Kafka's NUM_BATCHES_TO_RETAIN). */
export const BATCHES_TO_RETAIN = 5;

const INT_MAX = 2_147_483_647;

/** The last sequence of a batch (Kafka's DefaultRecordBatch.incrementSequence). */
export function lastSequenceOf(baseSequence: number, lastOffsetDelta: number): number {
  return baseSequence > INT_MAX - lastOffsetDelta ? lastOffsetDelta - (INT_MAX - baseSequence) - 1 : baseSequence + lastOffsetDelta;
}

function inSequence(lastSeq: number, nextSeq: number): boolean {
  return nextSeq === lastSeq + 1 || (nextSeq === 0 && lastSeq === INT_MAX);
}

/** Producer state of one partition. */
export class ProducerStateTable {
  private readonly producers = new Map<number, ProducerEntry>();

  constructor(private readonly partitionName: string) {}

  /** Number of producer ids known here. */
  get size(): number {
    return this.producers.size;
  }

  /** Decides what to do with a batch that would be appended at `nextOffset`. */
  check(producerId: number, epoch: number, firstSeq: number, lastSeq: number, nextOffset: number): SequenceCheck {
    const entry = this.producers.get(producerId);
    if (!entry) return { kind: 'append' };
    if (epoch === entry.epoch) {
      const dup = entry.batches.find((b) => b.firstSeq === firstSeq && b.lastSeq === lastSeq);
      if (dup) return { kind: 'duplicate', firstOffset: dup.firstOffset };
    }
    if (epoch < entry.epoch) {
      return {
        kind: 'error',
        errorCode: ErrorCode.INVALID_PRODUCER_EPOCH,
        message: `Epoch of producer ${producerId} at offset ${nextOffset} in ${this.partitionName} is ${epoch}, which is smaller than the last seen epoch ${entry.epoch}`,
      };
    }
    if (epoch > entry.epoch) {
      if (firstSeq !== 0) {
        return {
          kind: 'error',
          errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
          message: `Invalid sequence number for new epoch of producer ${producerId} at offset ${nextOffset} in partition ${this.partitionName}: ${epoch} (request epoch), ${firstSeq} (seq. number), ${entry.epoch} (current producer epoch)`,
        };
      }
      return { kind: 'append' };
    }
    const last = entry.batches[entry.batches.length - 1];
    if (last && !inSequence(last.lastSeq, firstSeq)) {
      return {
        kind: 'error',
        errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
        message: `Out of order sequence number for producer ${producerId} at offset ${nextOffset} in partition ${this.partitionName}: ${firstSeq} (incoming seq. number), ${last.lastSeq} (current end sequence number)`,
      };
    }
    return { kind: 'append' };
  }

  /** Records an appended batch. */
  update(producerId: number, epoch: number, batch: ProducerBatchInfo): void {
    let entry = this.producers.get(producerId);
    if (!entry || entry.epoch !== epoch) {
      entry = { epoch, batches: [] };
      this.producers.set(producerId, entry);
    }
    entry.batches.push(batch);
    if (entry.batches.length > BATCHES_TO_RETAIN) entry.batches.shift();
  }
}
