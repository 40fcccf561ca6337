/** Topics: Metadata (with auto-creation), CreateTopics, DeleteTopics and DeleteRecords. */
import { ApiKey } from '../protocol/api-keys.js';
import { decodeDeleteRecordsRequest, encodeDeleteRecordsResponse } from '../protocol/delete-records.js';
import { ErrorCode } from '../protocol/errors.js';
import { decodeMetadataRequest, encodeMetadataResponse, type MetadataTopic } from '../protocol/metadata.js';
import { decodeCreateTopicsRequest, decodeDeleteTopicsRequest, encodeCreateTopicsResponse, encodeDeleteTopicsResponse, type TopicResult } from '../protocol/topics-admin.js';
import { Writer } from '../protocol/writer.js';
import { isValidTopicName, type Topic } from '../log/log-store.js';
import { brokerApi, type BrokerConfig } from './broker-api.js';

/** Most partitions one topic may have on this single-process broker. */
export const MAX_PARTITIONS = 1000;

function topicMetadata(topic: Topic, config: BrokerConfig): MetadataTopic {
  const n = config.nodeId;
  return {
    errorCode: ErrorCode.NONE,
    name: topic.name,
    isInternal: false,
    partitions: topic.partitions.map((_, i) => ({ errorCode: ErrorCode.NONE, partitionIndex: i, leaderId: n, replicaNodes: [n], isrNodes: [n] })),
  };
}

/** Metadata: the broker, and the topics asked for (all when null), created when unknown and allowed. */
export const metadataApi = brokerApi({
  name: 'Metadata', key: ApiKey.Metadata, advertised: [0, 6], implementedMin: 0,
  decode: decodeMetadataRequest,
  handle(req, { version, advertisedPort, broker: { store, config } }) {
    const empty = (name: string, errorCode: number): MetadataTopic => ({ errorCode, name, isInternal: false, partitions: [] });
    const topics =
      req.topics === null
        ? store.topics().map((t) => topicMetadata(t, config))
        : req.topics.map((name) => {
            const existing = store.topic(name);
            if (existing) return topicMetadata(existing, config);
            if (!isValidTopicName(name)) return empty(name, ErrorCode.INVALID_TOPIC_EXCEPTION);
            if (!config.autoCreateTopics || !req.allowAutoTopicCreation) return empty(name, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
            // Created synchronously and answered at once; Kafka in KRaft mode first answers
            // UNKNOWN_TOPIC_OR_PARTITION and clients retry. Both are accepted by the clients.
            const created = store.createTopic(name, config.defaultPartitions);
            return typeof created === 'string' ? empty(name, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) : topicMetadata(created, config);
          });
    const w = new Writer();
    encodeMetadataResponse(w, version, {
      brokers: [{ nodeId: config.nodeId, host: config.advertisedHost, port: advertisedPort }],
      clusterId: config.clusterId,
      controllerId: config.nodeId,
      topics,
    });
    return w.toBuffer();
  },
});

/** CreateTopics: validated as Kafka does for one broker, with a cap on partitions Kafka does not have. */
export const createTopicsApi = brokerApi({
  name: 'CreateTopics', key: ApiKey.CreateTopics, advertised: [0, 4], implementedMin: 0,
  decode: decodeCreateTopicsRequest,
  handle(req, { version, broker: { store, config } }) {
    const results = req.topics.map((t): TopicResult => {
      const fail = (errorCode: number, errorMessage: string): TopicResult => ({ name: t.name, errorCode, errorMessage });
      const partitions = t.numPartitions === -1 ? config.defaultPartitions : t.numPartitions;
      if (!isValidTopicName(t.name)) return fail(ErrorCode.INVALID_TOPIC_EXCEPTION, `Topic name "${t.name}" is illegal`);
      if (store.topic(t.name)) return fail(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${t.name}' already exists.`);
      if (t.assignments.length === 0 && partitions <= 0) {
        return fail(ErrorCode.INVALID_PARTITIONS, 'Number of partitions must be larger than 0.');
      }
      // A cap Kafka does not have: one process holds every partition, and a corrupt request must
      // not make it create millions of directories.
      if (partitions > MAX_PARTITIONS || t.assignments.length > MAX_PARTITIONS) {
        return fail(ErrorCode.INVALID_PARTITIONS, `Number of partitions must be at most ${MAX_PARTITIONS}.`);
      }
      if (t.assignments.length === 0 && t.replicationFactor !== -1 && t.replicationFactor !== 1) {
        return fail(
          ErrorCode.INVALID_REPLICATION_FACTOR,
          `Unable to replicate the partition ${t.replicationFactor} time(s): The target replication factor of ${t.replicationFactor} cannot be reached because only 1 broker(s) are registered.`,
        );
      }
      const topicConfig: Record<string, number> = {};
      for (const c of t.configs) {
        if (c.name === 'retention.ms' && c.value !== null) topicConfig.retentionMs = Number(c.value);
        if (c.name === 'retention.bytes' && c.value !== null) topicConfig.retentionBytes = Number(c.value);
        if (c.name === 'segment.bytes' && c.value !== null) topicConfig.segmentBytes = Number(c.value);
      }
      if (req.validateOnly) return { name: t.name, errorCode: ErrorCode.NONE, errorMessage: null };
      const count = t.assignments.length > 0 ? t.assignments.length : partitions;
      const created = store.createTopic(t.name, count, topicConfig);
      if (typeof created === 'string') return fail(ErrorCode.INVALID_REQUEST, created);
      return { name: t.name, errorCode: ErrorCode.NONE, errorMessage: null };
    });
    const w = new Writer();
    encodeCreateTopicsResponse(w, version, results);
    return w.toBuffer();
  },
});

/** DeleteTopics: the topic's groups forget its offsets. */
export const deleteTopicsApi = brokerApi({
  name: 'DeleteTopics', key: ApiKey.DeleteTopics, advertised: [0, 3], implementedMin: 0,
  decode: decodeDeleteTopicsRequest,
  handle(req, { version, broker: { store, coordinator } }) {
    const results = req.names.map((name): TopicResult => {
      if (!store.deleteTopic(name)) return { name, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: null };
      coordinator.topicDeleted(name);
      return { name, errorCode: ErrorCode.NONE, errorMessage: null };
    });
    const w = new Writer();
    encodeDeleteTopicsResponse(w, version, results);
    return w.toBuffer();
  },
});

/**
 * DeleteRecords: each partition's log start offset moves up to the offset asked for (-1: the high
 * watermark), as `kafka-delete-records.sh` and `Admin.deleteRecords` do it. Readers at older offsets
 * then get OFFSET_OUT_OF_RANGE and reset as their policy says; ListOffsets' earliest is the new start.
 */
export const deleteRecordsApi = brokerApi({
  name: 'DeleteRecords', key: ApiKey.DeleteRecords, advertised: [0, 1], implementedMin: 0,
  decode: decodeDeleteRecordsRequest,
  handle(req, { version, broker: { store } }) {
    const topics = req.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => {
        const log = store.partition(t.name, p.index);
        if (!log) return { index: p.index, lowWatermark: -1, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
        if (log.failure) return { index: p.index, lowWatermark: -1, errorCode: ErrorCode.KAFKA_STORAGE_ERROR };
        const start = log.deleteRecordsBefore(p.offset);
        return start === 'out-of-range'
          ? { index: p.index, lowWatermark: -1, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE }
          : { index: p.index, lowWatermark: start, errorCode: ErrorCode.NONE };
      }),
    }));
    const w = new Writer();
    encodeDeleteRecordsResponse(w, version, { topics });
    return w.toBuffer();
  },
});
