/**
 * What a broker stored for partition 0 of a topic, batch by batch, read with a raw Fetch v11 so the
 * batches come back exactly as stored (compressed batches stay compressed).
 */
import { readBatchHeader } from '../../../runtime/src/broker/log/record-batch.js';
import { Reader } from '../../../runtime/src/broker/protocol/reader.js';
import { kafkajsRequestFrame } from '../../unit/broker/kafkajs-protocol.js';
import { RawClient } from './raw-client.js';

/** One stored record batch: its codec (attributes bits 0–2: 0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd). */
export interface StoredBatch {
  codec: number;
  recordsCount: number;
  baseOffset: number;
  /** -1 unless an idempotent producer wrote it. */
  producerId: number;
  baseSequence: number;
}

/** Every stored batch of partition 0 of `topic`, from offset 0. */
export async function storedBatches(bootstrap: string, topic: string): Promise<StoredBatch[]> {
  const raw = await RawClient.connect(bootstrap);
  const res = await raw.send(
    await kafkajsRequestFrame('Fetch', 11, { replicaId: -1, maxWaitTime: 0, minBytes: 1, maxBytes: 1 << 20, isolationLevel: 1, topics: [{ topic, partitions: [{ partition: 0, fetchOffset: '0', maxBytes: 1 << 20 }] }] }),
  );
  raw.close();
  const r = new Reader(res.body);
  r.int32(); // throttle_time_ms
  r.int16(); // error_code
  r.int32(); // session_id
  r.int32(); // topics: 1
  r.string(); // topic name
  r.int32(); // partitions: 1
  r.int32(); // partition index
  const error = r.int16();
  if (error !== 0) throw new Error(`Fetch of ${topic}-0 answered error ${error}`);
  r.raw(8 * 3); // high watermark, last stable offset, log start offset
  r.int32(); // aborted transactions
  r.int32(); // preferred read replica
  const records = r.bytes();
  const out: StoredBatch[] = [];
  for (let pos = 0; pos < records.length; ) {
    const h = readBatchHeader(records, pos)!;
    out.push({ codec: h.attributes & 7, recordsCount: h.recordsCount, baseOffset: h.baseOffset, producerId: h.producerId, baseSequence: h.baseSequence });
    pos += h.size;
  }
  return out;
}
