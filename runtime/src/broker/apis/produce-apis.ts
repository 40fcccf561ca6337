/** Writing: Produce (with idempotent producers' sequence checks) and InitProducerId. */
import { ApiKey } from '../protocol/api-keys.js';
import { ErrorCode } from '../protocol/errors.js';
import { decodeInitProducerIdRequest, encodeInitProducerIdResponse } from '../protocol/init-producer-id.js';
import { decodeProduceRequest, encodeProduceResponse, type ProducePartitionResponse } from '../protocol/produce.js';
import { Writer } from '../protocol/writer.js';
import { partitionKey } from '../fetch-waiters.js';
import { lastSequenceOf } from '../log/producer-state.js';
import { validateProducedBatch } from '../log/record-batch.js';
import { brokerApi } from './broker-api.js';

/**
 * Produce: each partition's batch validated and appended, held fetches woken. Advertised from v0
 * because librdkafka enables compression only when the range overlaps v0-v2; v0-v2 are refused as
 * Kafka >= 4.0 does (KAFKA-18659).
 */
export const produceApi = brokerApi({
  name: 'Produce', key: ApiKey.Produce, advertised: [0, 7], implementedMin: 3,
  decode: decodeProduceRequest,
  handle(req, { version, broker: { store, config, waiters } }) {
    const topics = req.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p): ProducePartitionResponse => {
        const log = store.partition(t.name, p.index);
        const fail = (errorCode: number): ProducePartitionResponse => ({ index: p.index, errorCode, baseOffset: -1, logStartOffset: -1 });
        if (!log) return fail(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
        if (log.failure) return fail(ErrorCode.KAFKA_STORAGE_ERROR);
        if (!p.records) return fail(ErrorCode.CORRUPT_MESSAGE);
        const check = validateProducedBatch(p.records, config.maxMessageBytes);
        if (!check.ok) return fail(check.error);
        const h = check.header;
        // Transactions are not implemented: InitProducerId refuses transactional ids, so no client
        // holds a producer id it may write transactional batches with.
        if (h.attributes & 0x10) return fail(ErrorCode.INVALID_TXN_STATE);
        if (h.producerId >= 0) {
          const seq = log.producerState(`${t.name}-${p.index}`).check(h.producerId, h.producerEpoch, h.baseSequence, lastSequenceOf(h.baseSequence, h.lastOffsetDelta), log.logEndOffset);
          if (seq.kind === 'error') return fail(seq.errorCode);
          if (seq.kind === 'duplicate') return { index: p.index, errorCode: ErrorCode.NONE, baseOffset: seq.firstOffset, logStartOffset: log.logStartOffset };
        }
        // The frame is this request's own buffer, so the offset is rewritten in place; the
        // in-memory log keeps its own copy.
        const baseOffset = log.append(p.records);
        waiters.notify(partitionKey(t.name, p.index));
        return { index: p.index, errorCode: ErrorCode.NONE, baseOffset, logStartOffset: log.logStartOffset };
      }),
    }));
    if (req.acks === 0) return null;
    const w = new Writer();
    encodeProduceResponse(w, version, { topics });
    return w.toBuffer();
  },
});

/**
 * InitProducerId: a new producer id with epoch 0 for an idempotent producer. Transactional ids are
 * refused with INVALID_REQUEST: this broker has no transaction coordinator.
 */
export const initProducerIdApi = brokerApi({
  name: 'InitProducerId', key: ApiKey.InitProducerId, advertised: [0, 1], implementedMin: 0,
  decode: decodeInitProducerIdRequest,
  handle(req, { version, broker: { producerIds } }) {
    const w = new Writer();
    if (req.transactionalId !== null) {
      encodeInitProducerIdResponse(w, version, { errorCode: ErrorCode.INVALID_REQUEST, producerId: -1, producerEpoch: -1 });
    } else {
      encodeInitProducerIdResponse(w, version, { errorCode: ErrorCode.NONE, producerId: producerIds.next(), producerEpoch: 0 });
    }
    return w.toBuffer();
  },
});
