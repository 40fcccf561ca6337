/** Reading: Fetch (long polling, KIP-74's oversize first batch) and ListOffsets. */
import { ApiKey } from '../protocol/api-keys.js';
import { ErrorCode } from '../protocol/errors.js';
import { decodeFetchRequest, encodeFetchResponse, type FetchPartitionResponse, type FetchRequest } from '../protocol/fetch.js';
import { decodeListOffsetsRequest, encodeListOffsetsResponse } from '../protocol/list-offsets.js';
import { Writer } from '../protocol/writer.js';
import { partitionKey } from '../fetch-waiters.js';
import type { LogStore } from '../log/log-store.js';
import { batchCodec, readBatchHeader } from '../log/record-batch.js';
import { brokerApi } from './broker-api.js';

/** True when any batch in a run of whole batches is zstd-compressed (codec 4). */
function containsZstd(records: Buffer): boolean {
  for (let pos = 0; pos < records.length; ) {
    const h = readBatchHeader(records, pos);
    if (!h) return false;
    if (batchCodec(h.attributes) === 4) return true;
    pos += h.size;
  }
  return false;
}

/** One pass over the requested partitions, within the request's byte budgets. */
function readFetch(store: LogStore, req: FetchRequest, version: number): { topics: Array<{ name: string; partitions: FetchPartitionResponse[] }>; bytes: number; error: boolean } {
  let remaining = req.maxBytes;
  let bytes = 0;
  let error = false;
  const topics = req.topics.map((t) => ({
    name: t.name,
    partitions: t.partitions.map((p): FetchPartitionResponse => {
      const log = store.partition(t.name, p.index);
      if (!log) {
        error = true;
        return { index: p.index, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, highWatermark: -1, logStartOffset: -1, records: null };
      }
      if (log.failure) {
        error = true;
        return { index: p.index, errorCode: ErrorCode.KAFKA_STORAGE_ERROR, highWatermark: -1, logStartOffset: -1, records: null };
      }
      const limit = Math.min(p.partitionMaxBytes, remaining);
      // KIP-74: the first batch of the first non-empty partition is returned even if oversize.
      const res = log.read(p.fetchOffset, Math.max(0, limit), bytes === 0);
      if (!res) {
        error = true;
        return { index: p.index, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE, highWatermark: log.logEndOffset, logStartOffset: log.logStartOffset, records: null };
      }
      if (version < 10 && containsZstd(res.records)) {
        // Clients older than Fetch v10 cannot read zstd (KIP-110); Kafka refuses the same way.
        error = true;
        return { index: p.index, errorCode: ErrorCode.UNSUPPORTED_COMPRESSION_TYPE, highWatermark: res.highWatermark, logStartOffset: res.logStartOffset, records: null };
      }
      bytes += res.records.length;
      remaining -= res.records.length;
      return { index: p.index, errorCode: ErrorCode.NONE, highWatermark: res.highWatermark, logStartOffset: res.logStartOffset, records: res.records };
    }),
  }));
  return { topics, bytes, error };
}

/** Fetch: held until `minBytes` arrive, `maxWaitMs` passes or the broker closes. */
export const fetchApi = brokerApi({
  name: 'Fetch', key: ApiKey.Fetch, advertised: [4, 11], implementedMin: 4,
  decode: decodeFetchRequest,
  async handle(req, { version, broker }) {
    const deadline = Date.now() + req.maxWaitMs;
    let result = readFetch(broker.store, req, version);
    const keys = req.topics.flatMap((t) => t.partitions.map((p) => partitionKey(t.name, p.index)));
    while (result.bytes < req.minBytes && !result.error && Date.now() < deadline && keys.length > 0) {
      await broker.waiters.wait(keys, deadline - Date.now());
      if (broker.closed) break;
      result = readFetch(broker.store, req, version);
    }
    const w = new Writer();
    encodeFetchResponse(w, version, { topics: result.topics });
    return w.toChunks();
  },
});

/** ListOffsets: latest (-1), earliest (-2), or the first offset at or after a timestamp. */
export const listOffsetsApi = brokerApi({
  name: 'ListOffsets', key: ApiKey.ListOffsets, advertised: [1, 3], implementedMin: 1,
  decode: decodeListOffsetsRequest,
  handle(req, { version, broker: { store } }) {
    const topics = req.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => {
        const log = store.partition(t.name, p.index);
        if (!log) return { index: p.index, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, timestamp: -1, offset: -1 };
        if (log.failure) return { index: p.index, errorCode: ErrorCode.KAFKA_STORAGE_ERROR, timestamp: -1, offset: -1 };
        if (p.timestamp === -1) return { index: p.index, errorCode: ErrorCode.NONE, timestamp: -1, offset: log.logEndOffset };
        if (p.timestamp === -2) return { index: p.index, errorCode: ErrorCode.NONE, timestamp: -1, offset: log.logStartOffset };
        const hit = log.offsetForTimestamp(p.timestamp);
        return hit
          ? { index: p.index, errorCode: ErrorCode.NONE, timestamp: hit.timestamp, offset: hit.offset }
          : { index: p.index, errorCode: ErrorCode.NONE, timestamp: -1, offset: -1 };
      }),
    }));
    const w = new Writer();
    encodeListOffsetsResponse(w, version, { topics });
    return w.toBuffer();
  },
});
