/**
 * Type declarations for the kafkajs 2.2.4 internals the partition reader uses. kafkajs
 * ships no `exports` map, so these paths are importable; the version is pinned because they
 * are not public API (see docs/decisions/0004-kafka-source-assign.md).
 */
declare module 'kafkajs/src/cluster/index.js' {
  /** A decoded record as the Fetch response parser returns it. */
  export interface InternalMessage {
    offset: string;
    timestamp: string;
    key: Buffer | null;
    value: Buffer | null;
    headers: Record<string, Buffer | null | Array<Buffer | null>>;
    isControlRecord?: boolean;
    batchContext?: { timestampType?: number };
  }
  export interface InternalFetchPartition {
    partition: number;
    errorCode: number;
    highWatermark: string;
    messages: InternalMessage[];
  }
  export interface InternalBroker {
    fetch(request: {
      replicaId?: number;
      isolationLevel?: number;
      maxWaitTime?: number;
      minBytes?: number;
      maxBytes?: number;
      topics: Array<{ topic: string; partitions: Array<{ partition: number; fetchOffset: string; maxBytes: number }> }>;
    }): Promise<{ responses: Array<{ topicName: string; partitions: InternalFetchPartition[] }> }>;
  }
  export interface InternalMetadata {
    topicMetadata: Array<{
      topicErrorCode: number;
      topic: string;
      isInternal?: boolean;
      partitionMetadata: Array<{ partitionErrorCode: number; partitionId: number; leader: number }>;
    }>;
  }
  export default class Cluster {
    constructor(options: Record<string, unknown>);
    connect(): Promise<void>;
    disconnect(): Promise<void>;
    isConnected(): boolean;
    refreshMetadata(): Promise<void>;
    metadata(options?: { topics?: string[] }): Promise<InternalMetadata>;
    addMultipleTargetTopics(topics: string[]): Promise<void>;
    findTopicPartitionMetadata(topic: string): Array<{ partitionId: number; leader: number }>;
    findLeaderForPartitions(topic: string, partitions: number[]): Record<string, number[]>;
    findBroker(options: { nodeId: string }): Promise<InternalBroker>;
    fetchTopicsOffset(
      topics: Array<{ topic: string; partitions: Array<{ partition: number }>; fromBeginning?: boolean; fromTimestamp?: number }>,
    ): Promise<Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }>>;
  }
}

declare module 'kafkajs/src/loggers/index.js' {
  import type { logCreator } from 'kafkajs';
  export const LEVELS: { NOTHING: 0; ERROR: 1; WARN: 2; INFO: 4; DEBUG: 5 };
  export function createLogger(options: { level?: number; logCreator: logCreator }): unknown;
}

declare module 'kafkajs/src/network/socketFactory.js' {
  const defaultSocketFactory: () => unknown;
  export default defaultSocketFactory;
}

declare module 'kafkajs/src/protocol/decoder.js' {
  /** kafkajs' reader of protocol primitives over a Buffer. */
  export default class Decoder {
    constructor(buffer: Buffer);
    readInt16(): number;
    readInt32(): number;
    readInt64(): { toString(): string };
    readString(): string;
    readArray<T>(reader: (d: Decoder) => T): T[];
    canReadBytes(length: number): boolean;
    readBytes(length: number): Buffer;
  }
}

declare module 'kafkajs/src/protocol/recordBatch/v0/decoder.js' {
  import type Decoder from 'kafkajs/src/protocol/decoder.js';
  /** Decodes one record batch (any codec) into kafkajs messages. */
  const decodeRecordBatch: (decoder: Decoder) => Promise<{ records: unknown[] }>;
  export default decodeRecordBatch;
}

declare module 'kafkajs/src/protocol/requests/fetch/v4/decodeMessages.js' {
  import type Decoder from 'kafkajs/src/protocol/decoder.js';
  /** Decodes a size-prefixed record set (record batches or an old message set). */
  const decodeMessages: (decoder: Decoder) => Promise<unknown[]>;
  export default decodeMessages;
}

declare module 'kafkajs/src/protocol/requests/index.js' {
  /** Request definitions by API name (versioned builders). */
  const protocolRequests: { requests: Record<string, unknown> & { Fetch: unknown } };
  export default protocolRequests;
}

declare module 'kafkajs/src/protocol/requests/apiKeys.js' {
  /** Kafka API keys by name. */
  const apiKeys: Record<string, number> & { Fetch: number };
  export default apiKeys;
}
