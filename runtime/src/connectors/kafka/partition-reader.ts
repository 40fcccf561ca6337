/**
 * Reads exact offset ranges of Kafka partitions with kafkajs, without a consumer group.
 *
 * Contract (what the Structured and DStream sources rely on):
 *   listTopics()             → learner-side names of the topics that exist now
 *   partitionOffsets(topics) → per existing partition: earliest and latest (exclusive) offset
 *   readRanges(ranges)       → for each [from, until): every record with from ≤ offset < until,
 *                              in offset order; control records and compacted gaps are skipped
 *
 * Offsets belong to the query's checkpoint, never to Kafka: nothing is committed to a group.
 * kafkajs has no `assign()`, so the reader talks to partition leaders with Fetch requests through
 * kafkajs' own cluster and broker objects (docs/decisions/0004-kafka-source-assign.md).
 *
 * Failures: connection and leadership errors are retried until a deadline (broker restarts);
 * offsets that Kafka no longer has (retention, topic deleted or recreated) are data loss: with
 * `failOnDataLoss` the read throws {@link KafkaDataLossError}, otherwise it warns and skips to
 * the earliest offset still available.
 */
import Cluster from 'kafkajs/src/cluster/index.js';
import type { InternalFetchPartition, InternalMessage } from 'kafkajs/src/cluster/index.js';
import { createLogger, LEVELS } from 'kafkajs/src/loggers/index.js';
import defaultSocketFactory from 'kafkajs/src/network/socketFactory.js';
import type { logCreator } from 'kafkajs';
import { kafkajsConfig, TopicNames, type KafkaConnection } from './kafka-connection.js';
import type { KafkaHeader, KafkaRecord, OffsetRange, PartitionOffsets } from './kafka-record.js';
import { reportDataLoss, type DataLossWarn } from './data-loss.js';
import { errorKind, kafkaFailure, retrying } from './retry.js';

/** Options of {@link KafkajsPartitionReader}. */
export interface PartitionReaderOptions {
  /** Spark's `failOnDataLoss` (default true). */
  failOnDataLoss?: boolean;
  /** Where data-loss warnings go when `failOnDataLoss` is false. */
  warn?: DataLossWarn;
  /** Bytes per partition per Fetch (default 4 MiB; a larger record is still returned whole). */
  maxBytesPerPartition?: number;
  /** How long transient failures are retried before the read fails (default 120 s). */
  retryDeadlineMs?: number;
}

const READ_UNCOMMITTED = 0;

/** A range being read: `next` is the first offset not yet read. */
interface PendingRange extends OffsetRange {
  next: number;
  index: number;
  emptyRounds: number;
}
const quietLogs: logCreator = () => () => {};

/** The kafkajs implementation of the Kafka source's partition reader. */
export class KafkajsPartitionReader {
  private cluster: Cluster | undefined;
  private readonly names: TopicNames;
  private readonly failOnDataLoss: boolean;
  private readonly warn: DataLossWarn;
  private readonly maxBytes: number;
  private readonly deadlineMs: number;
  /** Observed bytes per record, per partition: sizes Fetch requests to the range still needed. */
  private readonly recordBytes = new Map<string, number>();

  constructor(
    private readonly connection: KafkaConnection,
    options: PartitionReaderOptions = {},
  ) {
    this.names = new TopicNames(connection.topicPrefix ?? '');
    this.failOnDataLoss = options.failOnDataLoss ?? true;
    this.warn = options.warn ?? ((m) => console.warn(m));
    this.maxBytes = options.maxBytesPerPartition ?? 4 * 1024 * 1024;
    this.deadlineMs = options.retryDeadlineMs ?? 120_000;
  }

  /** Learner-side names of the topics that exist now (internal topics excluded). */
  async listTopics(): Promise<string[]> {
    return this.withCluster((c) => this.topicsOn(c), 'listing topics');
  }

  private async topicsOn(c: Cluster): Promise<string[]> {
    const md = await c.metadata({ topics: [] });
    // kafkajs answers null when no broker could be asked; retry like a connection error.
    if (!md) throw new Error('Kafka metadata unavailable: no broker answered');
    const out: string[] = [];
    for (const t of md.topicMetadata) {
      if (t.isInternal || t.topic.startsWith('__')) continue;
      const name = this.names.fromBroker(t.topic);
      if (name !== undefined) out.push(name);
    }
    return out.sort();
  }

  /** Earliest and latest offsets of every partition of the given topics that exist. */
  async partitionOffsets(topics: readonly string[]): Promise<PartitionOffsets[]> {
    const existing = new Set(await this.listTopics());
    const wanted = [...new Set(topics)].filter((t) => existing.has(t));
    if (wanted.length === 0) return [];
    return this.withCluster(async (c) => {
      const brokerTopics = wanted.map((t) => this.names.toBroker(t));
      await c.addMultipleTargetTopics(brokerTopics);
      await c.refreshMetadata();
      const request = (fromBeginning: boolean) =>
        brokerTopics.map((topic) => ({
          topic,
          fromBeginning,
          partitions: c.findTopicPartitionMetadata(topic).map((p) => ({ partition: p.partitionId })),
        }));
      const [low, high] = await Promise.all([c.fetchTopicsOffset(request(true)), c.fetchTopicsOffset(request(false))]);
      const out: PartitionOffsets[] = [];
      for (const t of low) {
        const highs = high.find((h) => h.topic === t.topic);
        for (const p of t.partitions) {
          const latest = highs?.partitions.find((q) => q.partition === p.partition)?.offset;
          out.push({
            topic: this.names.fromBroker(t.topic) ?? t.topic,
            partition: p.partition,
            earliest: Number(p.offset),
            latest: Number(latest ?? p.offset),
          });
        }
      }
      return out.sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));
    }, 'listing partition offsets');
  }

  /** Reads one range; see {@link readRanges}. */
  async read(range: OffsetRange): Promise<KafkaRecord[]> {
    return (await this.readRanges([range]))[0]!;
  }

  /**
   * Reads every range, fetching all partitions that share a leader in one request per round.
   * The result has one array per range, in the order given.
   */
  async readRanges(ranges: readonly OffsetRange[]): Promise<KafkaRecord[][]> {
    const results: KafkaRecord[][] = ranges.map(() => []);
    const pending: PendingRange[] = ranges
      .map((r, i) => ({ ...r, next: r.from, index: i, emptyRounds: 0 }))
      .filter((r) => r.next < r.until);
    // Listing all topics costs a metadata round trip, so it is done only after a failure that may
    // mean a topic is gone.
    let verifyTopics = false;
    while (pending.length > 0) {
      await this.withCluster(async (c) => {
        try {
          await this.readRound(c, pending, results, verifyTopics);
        } catch (e) {
          verifyTopics = true;
          throw e;
        }
      });
      for (let i = pending.length - 1; i >= 0; i--) if (pending[i]!.next >= pending[i]!.until) pending.splice(i, 1);
    }
    return results;
  }

  private async readRound(c: Cluster, pending: PendingRange[], results: KafkaRecord[][], verifyTopics: boolean): Promise<void> {
    const existing = verifyTopics ? new Set(await this.topicsOn(c)) : undefined;
    let deleted = false;
    for (const p of pending) {
      if (!existing || existing.has(p.topic)) continue;
      await this.lost(p, `Topic ${p.topic} was deleted before offsets ${p.next} until ${p.until} of partition ${p.partition} were read`);
      p.next = p.until;
      deleted = true;
    }
    if (deleted) {
      // kafkajs keeps refreshing metadata for the deleted topic and fails; start afresh.
      await this.close();
      return;
    }
    if (verifyTopics) await c.refreshMetadata();
    await c.addMultipleTargetTopics([...new Set(pending.map((p) => this.names.toBroker(p.topic)))]);
    const byLeader = new Map<string, typeof pending>();
    for (const p of pending) {
      const leaders = c.findLeaderForPartitions(this.names.toBroker(p.topic), [p.partition]);
      const nodeId = Object.keys(leaders)[0];
      if (nodeId === undefined) {
        // Cached metadata may predate the partition: only fresh metadata proves it is gone.
        if (!verifyTopics) throw new Error(`No leader known for ${p.topic}-${p.partition}`);
        await this.lost(p, `Partition ${p.topic}-${p.partition} no longer exists (wanted offsets ${p.next} until ${p.until})`);
        p.next = p.until;
        continue;
      }
      const list = byLeader.get(nodeId) ?? [];
      list.push(p);
      byLeader.set(nodeId, list);
    }
    await Promise.all(
      [...byLeader].map(async ([nodeId, parts]) => {
        const broker = await c.findBroker({ nodeId });
        const topics = new Map<string, Array<{ partition: number; fetchOffset: string; maxBytes: number }>>();
        for (const p of parts) {
          const bt = this.names.toBroker(p.topic);
          const list = topics.get(bt) ?? [];
          list.push({ partition: p.partition, fetchOffset: String(p.next), maxBytes: this.fetchBytes(p) });
          topics.set(bt, list);
        }
        let response;
        try {
          response = await broker.fetch({
            replicaId: -1,
            isolationLevel: READ_UNCOMMITTED,
            maxWaitTime: 100,
            minBytes: 1,
            maxBytes: parts.reduce((sum, p) => sum + this.fetchBytes(p), 0),
            topics: [...topics].map(([topic, partitions]) => ({ topic, partitions })),
          });
        } catch (e) {
          const root = e as { name?: string; topic?: string; partition?: number };
          if (root.name === 'KafkaJSOffsetOutOfRange') {
            const p = parts.find((q) => this.names.toBroker(q.topic) === root.topic && q.partition === root.partition);
            if (p) {
              await this.outOfRange(c, p);
              return;
            }
          }
          throw e;
        }
        for (const t of response.responses) {
          const topic = this.names.fromBroker(t.topicName) ?? t.topicName;
          for (const part of t.partitions) {
            const p = parts.find((q) => q.topic === topic && q.partition === part.partition);
            if (p) await this.consume(c, p, topic, part, results[p.index]!);
          }
        }
      }),
    );
  }


  /** Closes connections; the reader can be used again afterwards (it reconnects). */
  async close(): Promise<void> {
    const c = this.cluster;
    this.cluster = undefined;
    if (c) await c.disconnect().catch(() => undefined);
  }

  /**
   * Bytes to ask for: what the rest of the range should take at the observed record size, plus
   * slack, within [64 KiB, maxBytesPerPartition]. Kafka decodes nothing for us, so every record
   * fetched beyond `until` is decoded and thrown away; a broker still returns at least one whole
   * record batch when it is larger (KIP-74), so a low estimate only costs another round.
   */
  private fetchBytes(p: PendingRange): number {
    const perRecord = this.recordBytes.get(`${p.topic}\u0000${p.partition}`) ?? 256;
    const wanted = Math.ceil((p.until - p.next) * perRecord * 1.1) + 16 * 1024;
    return Math.max(64 * 1024, Math.min(this.maxBytes, wanted));
  }

  private async consume(
    c: Cluster,
    p: { topic: string; partition: number; next: number; until: number; emptyRounds: number },
    topic: string,
    part: InternalFetchPartition,
    out: KafkaRecord[],
  ): Promise<void> {
    let advanced = false;
    let bytes = 0;
    let counted = 0;
    for (const m of part.messages) {
      // key + value + ~70 bytes of record and batch framing (amortised)
      bytes += (m.key?.length ?? 0) + (m.value?.length ?? 0) + 70;
      counted++;
      const offset = Number(m.offset);
      if (offset < p.next) continue; // a compressed batch starts before the fetch offset
      if (offset >= p.until) {
        p.next = p.until;
        advanced = true;
        break;
      }
      p.next = offset + 1;
      advanced = true;
      if (!m.isControlRecord) out.push(toRecord(topic, part.partition, m));
    }
    if (counted > 0) this.recordBytes.set(`${topic}\u0000${p.partition}`, bytes / counted);
    if (advanced) {
      p.emptyRounds = 0;
      return;
    }
    const hw = Number(part.highWatermark);
    if (hw <= p.next) {
      // Kafka has fewer records than the range needs: the log was truncated or the topic
      // recreated. Confirm with fresh offsets before declaring data loss.
      p.emptyRounds++;
      if (p.emptyRounds >= 3) {
        await this.lost(p, `Cannot fetch records in [${p.next}, ${p.until}) of ${topic}-${p.partition}: the partition ends at ${hw}`);
        p.next = p.until;
      } else {
        await c.refreshMetadata();
      }
    }
  }

  private async outOfRange(c: Cluster, p: { topic: string; partition: number; next: number; until: number }): Promise<void> {
    const bt = this.names.toBroker(p.topic);
    const [low] = await c.fetchTopicsOffset([{ topic: bt, fromBeginning: true, partitions: [{ partition: p.partition }] }]);
    const earliest = Number(low?.partitions.find((q) => q.partition === p.partition)?.offset ?? p.until);
    const detail =
      `Cannot fetch offset ${p.next} (TopicPartition: ${p.topic}-${p.partition}); the earliest available offset is ${earliest}`;
    await this.lost(p, detail);
    p.next = earliest > p.next ? Math.min(earliest, p.until) : p.until;
  }

  private async lost(p: { topic: string; partition: number }, detail: string): Promise<void> {
    reportDataLoss(this.failOnDataLoss, this.warn, detail, p.topic, p.partition);
  }

  /** Runs an operation on the cluster, rebuilding the connection between retries. */
  private async withCluster<T>(op: (c: Cluster) => Promise<T>, action = 'reading'): Promise<T> {
    return retrying(
      async () => {
        const c = await this.ensureCluster();
        return op(c);
      },
      {
        deadlineMs: this.deadlineMs,
        stop: (e) => (e as Error).name === 'IllegalStateException',
        onRetry: async (e, attempt) => {
          // After a broker restart the cached connections and leaders are stale: start over.
          if (attempt >= 2 || errorKind(e).startsWith('KafkaJSConnection')) await this.close();
        },
      },
    ).catch((e: unknown) => {
      throw kafkaFailure(e, this.connection.brokers, action);
    });
  }

  private async ensureCluster(): Promise<Cluster> {
    if (this.cluster) return this.cluster;
    const cfg = kafkajsConfig(this.connection);
    const logger = createLogger({ level: LEVELS.NOTHING, logCreator: quietLogs });
    const cluster = new Cluster({
      logger,
      socketFactory: defaultSocketFactory(),
      brokers: cfg.brokers,
      ssl: cfg.ssl,
      sasl: cfg.sasl,
      clientId: cfg.clientId,
      connectionTimeout: cfg.connectionTimeout,
      requestTimeout: cfg.requestTimeout,
      enforceRequestTimeout: true,
      metadataMaxAge: 30_000,
      retry: cfg.retry,
      allowAutoTopicCreation: false,
      isolationLevel: READ_UNCOMMITTED,
      offsets: new Map(),
    });
    await cluster.connect();
    await cluster.refreshMetadata();
    this.cluster = cluster;
    return cluster;
  }
}

function toRecord(topic: string, partition: number, m: InternalMessage): KafkaRecord {
  return {
    key: m.key,
    value: m.value,
    topic,
    partition,
    offset: Number(m.offset),
    timestamp: Number(m.timestamp),
    timestampType: m.batchContext?.timestampType ?? 0,
    headers: toHeaders(m.headers),
  };
}

/** kafkajs folds headers into an object (repeated keys become arrays); Spark wants a list. */
function toHeaders(h: InternalMessage['headers']): KafkaHeader[] {
  const out: KafkaHeader[] = [];
  for (const [key, v] of Object.entries(h ?? {})) {
    if (Array.isArray(v)) for (const one of v) out.push({ key, value: one ?? null });
    else out.push({ key, value: v ?? null });
  }
  return out;
}
