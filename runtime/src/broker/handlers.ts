/**
 * Request handlers: decode a request body, act on the log store or the group coordinator, and
 * encode the response body. One function per API key; versions are checked by the server before
 * a handler runs. Every handler resolves to the response body, or null when no response is due
 * (Produce with acks=0).
 */
import { ApiKey, API_VERSIONS } from './protocol/api-keys.js';
import { encodeApiVersionsResponse } from './protocol/api-versions.js';
import { ErrorCode } from './protocol/errors.js';
import { decodeFetchRequest, encodeFetchResponse, type FetchPartitionResponse, type FetchRequest } from './protocol/fetch.js';
import {
  decodeDescribeGroupsRequest,
  decodeFindCoordinatorRequest,
  decodeHeartbeatRequest,
  decodeJoinGroupRequest,
  decodeLeaveGroupRequest,
  decodeSyncGroupRequest,
  encodeDescribeGroupsResponse,
  encodeFindCoordinatorResponse,
  encodeHeartbeatResponse,
  encodeJoinGroupResponse,
  encodeLeaveGroupResponse,
  encodeListGroupsResponse,
  encodeSyncGroupResponse,
} from './protocol/group-apis.js';
import type { RequestHeader } from './protocol/header.js';
import { decodeSaslAuthenticateRequest, encodeSaslAuthenticateResponse } from './protocol/sasl-authenticate.js';
import { decodeSaslHandshakeRequest, encodeSaslHandshakeResponse } from './protocol/sasl-handshake.js';
import type { SaslSession } from './auth/sasl-session.js';
import { decodeListOffsetsRequest, encodeListOffsetsResponse } from './protocol/list-offsets.js';
import { decodeMetadataRequest, encodeMetadataResponse, type MetadataTopic } from './protocol/metadata.js';
import {
  decodeOffsetCommitRequest,
  decodeOffsetFetchRequest,
  encodeOffsetCommitResponse,
  encodeOffsetFetchResponse,
} from './protocol/offset-apis.js';
import { decodeInitProducerIdRequest, encodeInitProducerIdResponse } from './protocol/init-producer-id.js';
import { decodeProduceRequest, encodeProduceResponse, type ProducePartitionResponse } from './protocol/produce.js';
import type { Reader } from './protocol/reader.js';
import {
  decodeCreateTopicsRequest,
  decodeDeleteTopicsRequest,
  encodeCreateTopicsResponse,
  encodeDeleteTopicsResponse,
  type TopicResult,
} from './protocol/topics-admin.js';
import { Writer } from './protocol/writer.js';
import { FetchWaiters, partitionKey } from './fetch-waiters.js';
import type { GroupCoordinator } from './group/group-coordinator.js';
import { isValidTopicName, type LogStore, type Topic } from './log/log-store.js';
import { lastSequenceOf } from './log/producer-state.js';
import { batchCodec, readBatchHeader, validateProducedBatch } from './log/record-batch.js';
import type { ProducerIdAllocator } from './producer/producer-ids.js';

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

/** Most partitions one topic may have on this single-process broker. */
export const MAX_PARTITIONS = 1000;

/** Settings the handlers need. */
export interface HandlerConfig {
  readonly nodeId: number;
  readonly clusterId: string;
  /** Host written into Metadata and FindCoordinator answers (with the listener's own port). */
  readonly advertisedHost: string;
  readonly autoCreateTopics: boolean;
  readonly defaultPartitions: number;
  /** Largest accepted batch (Kafka's message.max.bytes). */
  readonly maxMessageBytes: number;
}

/** A connection's identity, for group membership, and its listener's authentication state. */
export interface RequestContext {
  readonly header: RequestHeader;
  readonly clientHost: string;
  readonly session: SaslSession;
  /** The port of the listener the request came in on, advertised in Metadata and FindCoordinator. */
  readonly advertisedPort: number;
}

/** A response body, as one buffer or as pieces to write in order; null when no response is due. */
export type ResponseBody = Buffer | Buffer[] | null;

type Handler = (r: Reader, ctx: RequestContext) => Promise<ResponseBody> | ResponseBody;

/** Dispatches decoded requests to the store and coordinator. */
export class Handlers {
  readonly waiters = new FetchWaiters();
  private readonly table: Map<number, Handler>;

  constructor(
    private readonly store: LogStore,
    private readonly coordinator: GroupCoordinator,
    private readonly config: HandlerConfig,
    private readonly producerIds: ProducerIdAllocator,
  ) {
    this.table = new Map<number, Handler>([
      [ApiKey.ApiVersions, (_r, c) => this.apiVersions(c.header.apiVersion, ErrorCode.NONE)],
      [ApiKey.Metadata, (r, c) => this.metadata(r, c.header.apiVersion, c.advertisedPort)],
      [ApiKey.Produce, (r, c) => this.produce(r, c.header.apiVersion)],
      [ApiKey.Fetch, (r, c) => this.fetch(r, c.header.apiVersion)],
      [ApiKey.ListOffsets, (r, c) => this.listOffsets(r, c.header.apiVersion)],
      [ApiKey.CreateTopics, (r, c) => this.createTopics(r, c.header.apiVersion)],
      [ApiKey.DeleteTopics, (r, c) => this.deleteTopics(r, c.header.apiVersion)],
      [ApiKey.FindCoordinator, (r, c) => this.findCoordinator(r, c.header.apiVersion, c.advertisedPort)],
      [ApiKey.JoinGroup, (r, c) => this.joinGroup(r, c)],
      [ApiKey.SyncGroup, (r, c) => this.syncGroup(r, c.header.apiVersion)],
      [ApiKey.Heartbeat, (r, c) => this.heartbeat(r, c.header.apiVersion)],
      [ApiKey.LeaveGroup, (r, c) => this.leaveGroup(r, c.header.apiVersion)],
      [ApiKey.OffsetCommit, (r, c) => this.offsetCommit(r, c.header.apiVersion)],
      [ApiKey.OffsetFetch, (r, c) => this.offsetFetch(r, c.header.apiVersion)],
      [ApiKey.DescribeGroups, (r, c) => this.describeGroups(r, c.header.apiVersion)],
      [ApiKey.ListGroups, (_r, c) => this.listGroups(c.header.apiVersion)],
      [ApiKey.InitProducerId, (r, c) => this.initProducerId(r, c.header.apiVersion)],
      [ApiKey.SaslHandshake, (r, c) => this.saslHandshake(r, c)],
      [ApiKey.SaslAuthenticate, (r, c) => this.saslAuthenticate(r, c)],
    ]);
  }

  /** Runs the handler for a request whose version the server already accepted. */
  handle(r: Reader, ctx: RequestContext): Promise<ResponseBody> | ResponseBody {
    const h = this.table.get(ctx.header.apiKey);
    if (!h) throw new Error(`no handler for api key ${ctx.header.apiKey}`);
    return h(r, ctx);
  }

  /** ApiVersions body; also used for the v0-format UNSUPPORTED_VERSION answer. */
  apiVersions(version: number, errorCode: number): Buffer {
    const w = new Writer();
    encodeApiVersionsResponse(w, version, { errorCode, apiKeys: API_VERSIONS, throttleTimeMs: 0 });
    return w.toBuffer();
  }

  private topicMetadata(topic: Topic): MetadataTopic {
    const n = this.config.nodeId;
    return {
      errorCode: ErrorCode.NONE,
      name: topic.name,
      isInternal: false,
      partitions: topic.partitions.map((_, i) => ({
        errorCode: ErrorCode.NONE,
        partitionIndex: i,
        leaderId: n,
        replicaNodes: [n],
        isrNodes: [n],
      })),
    };
  }

  private metadata(r: Reader, version: number, advertisedPort: number): Buffer {
    const req = decodeMetadataRequest(r, version);
    const empty = (name: string, errorCode: number): MetadataTopic => ({ errorCode, name, isInternal: false, partitions: [] });
    const topics =
      req.topics === null
        ? this.store.topics().map((t) => this.topicMetadata(t))
        : req.topics.map((name) => {
            const existing = this.store.topic(name);
            if (existing) return this.topicMetadata(existing);
            if (!isValidTopicName(name)) return empty(name, ErrorCode.INVALID_TOPIC_EXCEPTION);
            if (!this.config.autoCreateTopics || !req.allowAutoTopicCreation) {
              return empty(name, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
            }
            // Created synchronously and answered at once; Kafka in KRaft mode first answers
            // UNKNOWN_TOPIC_OR_PARTITION and clients retry. Both are accepted by the clients.
            const created = this.store.createTopic(name, this.config.defaultPartitions);
            return typeof created === 'string' ? empty(name, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) : this.topicMetadata(created);
          });
    const w = new Writer();
    encodeMetadataResponse(w, version, {
      brokers: [{ nodeId: this.config.nodeId, host: this.config.advertisedHost, port: advertisedPort }],
      clusterId: this.config.clusterId,
      controllerId: this.config.nodeId,
      topics,
    });
    return w.toBuffer();
  }

  private produce(r: Reader, version: number): Buffer | null {
    const req = decodeProduceRequest(r, version);
    const topics = req.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p): ProducePartitionResponse => {
        const log = this.store.partition(t.name, p.index);
        const fail = (errorCode: number): ProducePartitionResponse => ({
          index: p.index,
          errorCode,
          baseOffset: -1,
          logStartOffset: -1,
        });
        if (!log) return fail(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
        if (!p.records) return fail(ErrorCode.CORRUPT_MESSAGE);
        const check = validateProducedBatch(p.records, this.config.maxMessageBytes);
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
        this.waiters.notify(partitionKey(t.name, p.index));
        return { index: p.index, errorCode: ErrorCode.NONE, baseOffset, logStartOffset: log.logStartOffset };
      }),
    }));
    if (req.acks === 0) return null;
    const w = new Writer();
    encodeProduceResponse(w, version, { topics });
    return w.toBuffer();
  }

  private readFetch(req: FetchRequest, version: number): { topics: Array<{ name: string; partitions: FetchPartitionResponse[] }>; bytes: number; error: boolean } {
    let remaining = req.maxBytes;
    let bytes = 0;
    let error = false;
    const topics = req.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p): FetchPartitionResponse => {
        const log = this.store.partition(t.name, p.index);
        if (!log) {
          error = true;
          return { index: p.index, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, highWatermark: -1, logStartOffset: -1, records: null };
        }
        const limit = Math.min(p.partitionMaxBytes, remaining);
        // KIP-74: the first batch of the first non-empty partition is returned even if oversize.
        const res = log.read(p.fetchOffset, Math.max(0, limit), bytes === 0);
        if (!res) {
          error = true;
          return {
            index: p.index,
            errorCode: ErrorCode.OFFSET_OUT_OF_RANGE,
            highWatermark: log.logEndOffset,
            logStartOffset: log.logStartOffset,
            records: null,
          };
        }
        if (version < 10 && containsZstd(res.records)) {
          // Clients older than Fetch v10 cannot read zstd (KIP-110); Kafka refuses the same way.
          error = true;
          return {
            index: p.index,
            errorCode: ErrorCode.UNSUPPORTED_COMPRESSION_TYPE,
            highWatermark: res.highWatermark,
            logStartOffset: res.logStartOffset,
            records: null,
          };
        }
        bytes += res.records.length;
        remaining -= res.records.length;
        return {
          index: p.index,
          errorCode: ErrorCode.NONE,
          highWatermark: res.highWatermark,
          logStartOffset: res.logStartOffset,
          records: res.records,
        };
      }),
    }));
    return { topics, bytes, error };
  }

  private async fetch(r: Reader, version: number): Promise<Buffer[]> {
    const req = decodeFetchRequest(r, version);
    const deadline = Date.now() + req.maxWaitMs;
    let result = this.readFetch(req, version);
    const keys = req.topics.flatMap((t) => t.partitions.map((p) => partitionKey(t.name, p.index)));
    while (result.bytes < req.minBytes && !result.error && Date.now() < deadline && keys.length > 0) {
      await this.waiters.wait(keys, deadline - Date.now());
      if (this.closed) break;
      result = this.readFetch(req, version);
    }
    const w = new Writer();
    encodeFetchResponse(w, version, { topics: result.topics });
    return w.toChunks();
  }

  private closed = false;

  /** Releases held fetches. */
  close(): void {
    this.closed = true;
    this.waiters.releaseAll();
  }

  private listOffsets(r: Reader, version: number): Buffer {
    const req = decodeListOffsetsRequest(r, version);
    const topics = req.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => {
        const log = this.store.partition(t.name, p.index);
        if (!log) return { index: p.index, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, timestamp: -1, offset: -1 };
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
  }

  private createTopics(r: Reader, version: number): Buffer {
    const req = decodeCreateTopicsRequest(r, version);
    const results = req.topics.map((t): TopicResult => {
      const fail = (errorCode: number, errorMessage: string): TopicResult => ({ name: t.name, errorCode, errorMessage });
      const partitions = t.numPartitions === -1 ? this.config.defaultPartitions : t.numPartitions;
      if (!isValidTopicName(t.name)) return fail(ErrorCode.INVALID_TOPIC_EXCEPTION, `Topic name "${t.name}" is illegal`);
      if (this.store.topic(t.name)) return fail(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${t.name}' already exists.`);
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
      const config: Record<string, number> = {};
      for (const c of t.configs) {
        if (c.name === 'retention.ms' && c.value !== null) config.retentionMs = Number(c.value);
        if (c.name === 'retention.bytes' && c.value !== null) config.retentionBytes = Number(c.value);
        if (c.name === 'segment.bytes' && c.value !== null) config.segmentBytes = Number(c.value);
      }
      if (req.validateOnly) return { name: t.name, errorCode: ErrorCode.NONE, errorMessage: null };
      const count = t.assignments.length > 0 ? t.assignments.length : partitions;
      const created = this.store.createTopic(t.name, count, config);
      if (typeof created === 'string') return fail(ErrorCode.INVALID_REQUEST, created);
      return { name: t.name, errorCode: ErrorCode.NONE, errorMessage: null };
    });
    const w = new Writer();
    encodeCreateTopicsResponse(w, version, results);
    return w.toBuffer();
  }

  private deleteTopics(r: Reader, version: number): Buffer {
    const req = decodeDeleteTopicsRequest(r, version);
    const results = req.names.map((name): TopicResult => {
      if (!this.store.deleteTopic(name)) return { name, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: null };
      this.coordinator.topicDeleted(name);
      return { name, errorCode: ErrorCode.NONE, errorMessage: null };
    });
    const w = new Writer();
    encodeDeleteTopicsResponse(w, version, results);
    return w.toBuffer();
  }

  private findCoordinator(r: Reader, version: number, advertisedPort: number): Buffer {
    const req = decodeFindCoordinatorRequest(r, version);
    const w = new Writer();
    encodeFindCoordinatorResponse(w, version, {
      errorCode: req.key === '' && req.keyType === 0 ? ErrorCode.INVALID_GROUP_ID : ErrorCode.NONE,
      nodeId: this.config.nodeId,
      host: this.config.advertisedHost,
      port: advertisedPort,
    });
    return w.toBuffer();
  }

  private joinGroup(r: Reader, ctx: RequestContext): Promise<Buffer> {
    const version = ctx.header.apiVersion;
    const req = decodeJoinGroupRequest(r, version);
    return new Promise((resolve) => {
      this.coordinator.join(req, version, { clientId: ctx.header.clientId ?? '', clientHost: ctx.clientHost }, (res) => {
        const w = new Writer();
        encodeJoinGroupResponse(w, version, res);
        resolve(w.toBuffer());
      });
    });
  }

  private syncGroup(r: Reader, version: number): Promise<Buffer> {
    const req = decodeSyncGroupRequest(r, version);
    return new Promise((resolve) => {
      this.coordinator.sync(req, (res) => {
        const w = new Writer();
        encodeSyncGroupResponse(w, version, res);
        resolve(w.toBuffer());
      });
    });
  }

  private heartbeat(r: Reader, version: number): Buffer {
    const req = decodeHeartbeatRequest(r, version);
    const w = new Writer();
    encodeHeartbeatResponse(w, version, this.coordinator.heartbeat(req.groupId, req.memberId, req.generationId));
    return w.toBuffer();
  }

  private leaveGroup(r: Reader, version: number): Buffer {
    const req = decodeLeaveGroupRequest(r, version);
    const w = new Writer();
    encodeLeaveGroupResponse(w, version, this.coordinator.leave(req.groupId, req.memberIds));
    return w.toBuffer();
  }

  private offsetCommit(r: Reader, version: number): Buffer {
    const req = decodeOffsetCommitRequest(r, version);
    const w = new Writer();
    encodeOffsetCommitResponse(w, version, this.coordinator.commitOffsets(req));
    return w.toBuffer();
  }

  private offsetFetch(r: Reader, version: number): Buffer {
    const req = decodeOffsetFetchRequest(r, version);
    const w = new Writer();
    encodeOffsetFetchResponse(w, version, this.coordinator.fetchOffsets(req));
    return w.toBuffer();
  }

  private describeGroups(r: Reader, version: number): Buffer {
    const req = decodeDescribeGroupsRequest(r, version);
    const w = new Writer();
    encodeDescribeGroupsResponse(w, version, this.coordinator.describe(req.groups));
    return w.toBuffer();
  }

  /**
   * A new producer id with epoch 0 for an idempotent producer. Transactional ids are refused with
   * INVALID_REQUEST: this broker has no transaction coordinator.
   */
  private initProducerId(r: Reader, version: number): Buffer {
    const req = decodeInitProducerIdRequest(r, version);
    const w = new Writer();
    if (req.transactionalId !== null) {
      encodeInitProducerIdResponse(w, version, { errorCode: ErrorCode.INVALID_REQUEST, producerId: -1, producerEpoch: -1 });
    } else {
      encodeInitProducerIdResponse(w, version, { errorCode: ErrorCode.NONE, producerId: this.producerIds.next(), producerEpoch: 0 });
    }
    return w.toBuffer();
  }

  private saslHandshake(r: Reader, ctx: RequestContext): Buffer {
    const req = decodeSaslHandshakeRequest(r, ctx.header.apiVersion);
    const w = new Writer();
    encodeSaslHandshakeResponse(w, ctx.header.apiVersion, ctx.session.handshake(req.mechanism));
    return w.toBuffer();
  }

  private saslAuthenticate(r: Reader, ctx: RequestContext): Buffer {
    const req = decodeSaslAuthenticateRequest(r, ctx.header.apiVersion);
    const w = new Writer();
    encodeSaslAuthenticateResponse(w, ctx.header.apiVersion, ctx.session.authenticate(req.authBytes));
    return w.toBuffer();
  }

  private listGroups(version: number): Buffer {
    const w = new Writer();
    encodeListGroupsResponse(w, version, this.coordinator.list());
    return w.toBuffer();
  }
}
