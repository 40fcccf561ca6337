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
 * Failures: connection and leadership errors are retried until a deadline (broker restarts), and so
 * is a listing whose metadata misses a partition's leader or whose answer misses its offsets (never
 * answered with fewer partitions);
 * offsets that Kafka no longer has (retention, topic deleted or recreated) are data loss: with
 * `failOnDataLoss` the read throws {@link KafkaDataLossError}, otherwise it warns and skips to
 * the earliest offset still available.
 *
 * Read-ahead (`readAhead`, used by the Structured source, whose batches read consecutive ranges):
 *   after readRanges(ranges) returns, per range whose partition has more records:
 *     fetch [until, until + (until - from)) once in the background (no wait on the broker)
 *   records decoded past `until` (the tail of a record batch) are kept instead of dropped
 *   kept records of a partition cover one contiguous span [from, next): every record Kafka holds
 *   there (control records and compacted gaps excepted); a read starting inside the span takes its
 *   records from it and fetches only the rest, any other read drops it; before records are taken,
 *   the broker's first batch at the span's start must match the batch they came from (base offset,
 *   length, CRC), else the span is dropped (a topic recreated with as many records lists the same)
 *   partitionOffsets() drops spans outside [earliest, latest) of the partition (deleted, recreated
 *   or truncated) and the spans of partitions that are gone, and a read-ahead in flight stores
 *   nothing if a listed partition shrank, lost records at its start or is gone; close() drops all
 * A range therefore returns the same records whether they came from the span or from a fetch: an
 * offset names one record for the life of a partition. Read-ahead failures are ignored (the read
 * that needs those offsets fetches them itself and reports errors as usual).
 */
import Cluster from 'kafkajs/src/cluster/index.js';
import type { InternalFetchPartition } from 'kafkajs/src/cluster/index.js';
import { createLogger, LEVELS } from 'kafkajs/src/loggers/index.js';
import defaultSocketFactory from 'kafkajs/src/network/socketFactory.js';
import type { logCreator } from 'kafkajs';
import { kafkajsConfig, TopicNames, type KafkaConnection } from './kafka-connection.js';
import type { KafkaRecord, OffsetRange, PartitionOffsets } from './kafka-record.js';
import { reportDataLoss, type DataLossWarn } from './data-loss.js';
import { errorKind, kafkaFailure, retrying } from './retry.js';
import { decodedMessages, decodeRecordSet, fetchRaw, firstBatch, type BatchIdentity, type RawFetchPartition } from './fetch-records.js';

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
  /** Fetch the range after each read in the background and keep decoded records past its end (default false). */
  readAhead?: boolean;
}

/** Records already fetched for one partition: every record in [from, next), in offset order. */
interface Span {
  from: number;
  next: number;
  records: KafkaRecord[];
  /** The record batches the span came from, in order (checked against the broker before use). */
  batches: BatchIdentity[];
}

const READ_UNCOMMITTED = 0;

/** A range being read: `next` is the first offset not yet read. */
interface PendingRange extends OffsetRange {
  next: number;
  index: number;
  emptyRounds: number;
  /** With read-ahead: records decoded at or past `until`, and the offset after the last one. */
  beyond?: KafkaRecord[];
  beyondNext?: number;
  /** Identities of the batches decoded for this range (only v2 record sets; empty otherwise). */
  batches?: BatchIdentity[];
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
  /** Each partition's high watermark in the last Fetch answer or listing (read-ahead stops there). */
  private readonly highWatermarks = new Map<string, number>();
  /** Each partition's earliest offset in the last listing. */
  private readonly earliests = new Map<string, number>();
  private readonly readAhead: boolean;
  /** Read-ahead spans by `topic\0partition` (see the contract above). */
  private readonly spans = new Map<string, Span>();
  /** The background fetch in progress, if any; reads wait for it rather than fetch twice. */
  private ahead: Promise<void> | undefined;
  /** Bumped whenever spans are judged stale, so a read-ahead started before cannot store any. */
  private spanGeneration = 0;

  constructor(
    private readonly connection: KafkaConnection,
    options: PartitionReaderOptions = {},
  ) {
    this.names = new TopicNames(connection.topicPrefix ?? '');
    this.failOnDataLoss = options.failOnDataLoss ?? true;
    this.warn = options.warn ?? ((m) => console.warn(m));
    this.maxBytes = options.maxBytesPerPartition ?? 4 * 1024 * 1024;
    this.deadlineMs = options.retryDeadlineMs ?? 120_000;
    this.readAhead = options.readAhead ?? false;
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
    return this.withCluster(async (c) => {
      // Which topics exist is asked again on every attempt: a topic deleted while its partitions were
      // being listed has no partitions from then on, and only a new listing says it is gone.
      const existing = new Set(await this.topicsOn(c));
      const wanted = [...new Set(topics)].filter((t) => existing.has(t));
      if (wanted.length === 0) {
        this.dropStaleSpans(topics, []);
        return [];
      }
      const brokerTopics = wanted.map((t) => this.names.toBroker(t));
      await c.addMultipleTargetTopics(brokerTopics);
      await c.refreshMetadata();
      // A topic that exists has partitions, each with a leader: metadata that shows less is a broker
      // starting or stopping, and an answer built on it would drop partitions (no new data, or a
      // topic "not there yet"). Fail the attempt instead, so it is retried until the deadline.
      const layout = brokerTopics.map((topic) => {
        const partitions = c.findTopicPartitionMetadata(topic);
        const leaderless = partitions.find((p) => !(p.leader >= 0));
        if (partitions.length === 0 || leaderless) {
          throw new PartitionsNotReadyError(`Kafka listed topic ${topic} ${leaderless ? `with no leader for partition ${leaderless.partitionId}` : 'without partitions'}`);
        }
        return { topic, partitions: partitions.map((p) => p.partitionId) };
      });
      const request = (fromBeginning: boolean) =>
        layout.map(({ topic, partitions }) => ({ topic, fromBeginning, partitions: partitions.map((partition) => ({ partition })) }));
      const [low, high] = await Promise.all([c.fetchTopicsOffset(request(true)), c.fetchTopicsOffset(request(false))]);
      const offsetOf = (answer: typeof low, topic: string, partition: number) => {
        const offset = answer.find((t) => t.topic === topic)?.partitions.find((q) => q.partition === partition)?.offset;
        if (offset === undefined) throw new PartitionsNotReadyError(`Kafka returned no offsets for ${topic}-${partition}`);
        return Number(offset);
      };
      const out: PartitionOffsets[] = [];
      for (const { topic, partitions } of layout) {
        for (const partition of partitions) {
          out.push({
            topic: this.names.fromBroker(topic) ?? topic,
            partition,
            earliest: offsetOf(low, topic, partition),
            latest: offsetOf(high, topic, partition),
          });
        }
      }
      out.sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));
      this.dropStaleSpans(topics, out);
      return out;
    }, 'listing partition offsets');
  }

  /** Drops spans of the listed topics that the partition no longer holds (see the contract above). */
  private dropStaleSpans(topics: readonly string[], now: readonly PartitionOffsets[]): void {
    const listed = new Set(topics);
    const topicOf = (k: string) => k.slice(0, k.indexOf('\u0000'));
    const byKey = new Map(now.map((p) => [spanKey(p.topic, p.partition), p]));
    // A partition that shrank, lost records at its start or vanished was truncated, trimmed, deleted
    // or recreated: a read-ahead still in flight may hold records it no longer has, so it must not
    // store them.
    let changed = false;
    for (const [k, hw] of this.highWatermarks) {
      const p = byKey.get(k);
      if (p ? p.latest < hw || p.earliest > (this.earliests.get(k) ?? 0) : listed.has(topicOf(k))) changed = true;
    }
    if (changed) this.spanGeneration++;
    for (const [k, p] of byKey) {
      this.highWatermarks.set(k, p.latest);
      this.earliests.set(k, p.earliest);
    }
    for (const k of [...this.highWatermarks.keys()]) {
      if (byKey.has(k) || !listed.has(topicOf(k))) continue;
      this.highWatermarks.delete(k);
      this.earliests.delete(k);
    }
    for (const [k, s] of this.spans) {
      const p = byKey.get(k);
      if (p ? s.from < p.earliest || s.next > p.latest : listed.has(topicOf(k))) this.spans.delete(k);
    }
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
    if (this.ahead) await this.ahead;
    if (this.spans.size > 0) await this.checkSpans(ranges);
    const results: KafkaRecord[][] = ranges.map(() => []);
    const pending: PendingRange[] = ranges
      .map((r, i) => ({ ...r, next: this.takeFromSpan(r, results[i]!), index: i, emptyRounds: 0 }))
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
      for (let i = pending.length - 1; i >= 0; i--) {
        const p = pending[i]!;
        if (p.next < p.until) continue;
        pending.splice(i, 1);
        if (p.beyond) this.keepSpan(spanKey(p.topic, p.partition), { from: p.until, next: p.beyondNext!, records: p.beyond, batches: p.batches ?? [] });
      }
    }
    if (this.readAhead) this.startReadAhead(ranges);
    return results;
  }

  /**
   * Moves the records of `r` that a span holds into `out`; returns the first offset still to fetch.
   * A span that does not contain `r.from` is dropped (reads are no longer consecutive).
   */
  private takeFromSpan(r: OffsetRange, out: KafkaRecord[]): number {
    const k = spanKey(r.topic, r.partition);
    const s = this.spans.get(k);
    if (!s || r.from >= r.until) return r.from;
    if (r.from < s.from || r.from >= s.next) {
      this.spans.delete(k);
      return r.from;
    }
    const recs = s.records;
    let i = 0;
    while (i < recs.length && recs[i]!.offset < r.from) i++;
    while (i < recs.length && recs[i]!.offset < r.until) out.push(recs[i++]!);
    if (s.next <= r.until) {
      this.spans.delete(k);
      return s.next;
    }
    this.keepSpan(k, { from: r.until, next: s.next, records: recs.slice(i), batches: s.batches });
    return r.until;
  }

  /**
   * Keeps a span whose first offset's batch is known (only those can be checked before use), with
   * the batches before that one left out.
   */
  private keepSpan(k: string, s: Span): void {
    const i = s.batches.findIndex((b) => b.last >= s.from);
    if (i < 0) {
      this.spans.delete(k);
      return;
    }
    this.spans.set(k, { ...s, batches: i === 0 ? s.batches : s.batches.slice(i) });
  }

  /**
   * Before records are taken from spans, asks the broker for the first batch of each span that the
   * ranges will use and drops the span unless that batch is the one the span came from (same base
   * offset, length and CRC): a topic deleted and recreated since the records were fetched may hold
   * other records at the same offsets, which listings alone cannot always tell.
   */
  private async checkSpans(ranges: readonly OffsetRange[]): Promise<void> {
    const used = new Map<string, { topic: string; partition: number; span: Span }>();
    for (const r of ranges) {
      const k = spanKey(r.topic, r.partition);
      const s = this.spans.get(k);
      if (s && r.from >= s.from && r.from < s.next && r.from < r.until) used.set(k, { topic: r.topic, partition: r.partition, span: s });
    }
    if (used.size === 0) return;
    const confirmed = new Set<string>();
    try {
      const c = this.cluster;
      if (!c) throw new Error('not connected');
      const byLeader = new Map<string, Array<{ topic: string; partition: number; span: Span }>>();
      for (const u of used.values()) {
        const nodeId = Object.keys(c.findLeaderForPartitions(this.names.toBroker(u.topic), [u.partition]))[0];
        if (nodeId === undefined) continue;
        byLeader.set(nodeId, [...(byLeader.get(nodeId) ?? []), u]);
      }
      await Promise.all([...byLeader].map(async ([nodeId, parts]) => {
        const broker = await c.findBroker({ nodeId });
        const topics = new Map<string, Array<{ partition: number; fetchOffset: string; maxBytes: number }>>();
        let total = 0;
        for (const u of parts) {
          const bt = this.names.toBroker(u.topic);
          // Exactly the first batch's size: the broker sends whole batches that fit, so that one alone.
          const size = u.span.batches[0]!.length;
          total += size;
          topics.set(bt, [...(topics.get(bt) ?? []), { partition: u.partition, fetchOffset: String(u.span.from), maxBytes: size }]);
        }
        const response = await fetchRaw(broker, {
          replicaId: -1, isolationLevel: READ_UNCOMMITTED, maxWaitTime: 0, minBytes: 1, maxBytes: total,
          topics: [...topics].map(([topic, partitions]) => ({ topic, partitions })),
        });
        for (const t of response?.responses ?? []) {
          const topic = this.names.fromBroker(t.topicName) ?? t.topicName;
          for (const part of t.partitions) {
            const k = spanKey(topic, part.partition);
            const want = used.get(k)?.span.batches[0];
            const got = firstBatch(part.records);
            if (want && got && got.base === want.base && got.length === want.length && got.crc === want.crc) confirmed.add(k);
          }
        }
      }));
    } catch {
      // Unconfirmed spans are dropped below; the read then fetches and reports errors itself.
    }
    for (const k of used.keys()) if (!confirmed.has(k)) this.spans.delete(k);
  }

  /** Fetches, once and in the background, the range that follows each range just read. */
  private startReadAhead(ranges: readonly OffsetRange[]): void {
    const cluster = this.cluster;
    if (!cluster) return;
    const next: PendingRange[] = [];
    for (const r of ranges) {
      const k = spanKey(r.topic, r.partition);
      const known = this.highWatermarks.get(k) ?? 0;
      const s = this.spans.get(k);
      const from = s && s.from === r.until ? s.next : r.until;
      const until = r.until + Math.max(1, r.until - r.from);
      if (from >= until || from >= known) continue;
      next.push({ topic: r.topic, partition: r.partition, from, until, next: from, index: next.length, emptyRounds: 0 });
    }
    if (next.length === 0) return;
    const results: KafkaRecord[][] = next.map(() => []);
    const generation = this.spanGeneration;
    const ahead = this.readRound(cluster, next, results, false, true)
      .then(() => {
        if (generation !== this.spanGeneration) return;
        for (const p of next) {
          const got = results[p.index]!;
          if (p.next === p.from && !p.beyond) continue;
          const k = spanKey(p.topic, p.partition);
          const s = this.spans.get(k);
          const records = p.beyond ? got.concat(p.beyond) : got;
          const end = p.beyond ? p.beyondNext! : p.next;
          const batches = p.batches ?? [];
          // Join the span kept from the read (it ends where this fetch started), else start one.
          if (s && s.next === p.from) this.keepSpan(k, { from: s.from, next: end, records: s.records.concat(records), batches: s.batches.concat(batches) });
          else if (!s) this.keepSpan(k, { from: p.from, next: end, records, batches });
        }
      })
      .catch(() => undefined)
      .finally(() => {
        if (this.ahead === ahead) this.ahead = undefined;
      });
    this.ahead = ahead;
  }

  private async readRound(c: Cluster, pending: PendingRange[], results: KafkaRecord[][], verifyTopics: boolean, speculative = false): Promise<void> {
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
          const request = {
            replicaId: -1,
            isolationLevel: READ_UNCOMMITTED,
            // A read-ahead must not park in the broker's purgatory ahead of the next real read.
            maxWaitTime: speculative ? 0 : 100,
            minBytes: 1,
            maxBytes: parts.reduce((sum, p) => sum + this.fetchBytes(p), 0),
            topics: [...topics].map(([topic, partitions]) => ({ topic, partitions })),
          };
          // Record sets kept as bytes and read by fetch-records.ts; kafkajs decodes older versions.
          response = (await fetchRaw(broker, request)) ?? (await broker.fetch(request));
        } catch (e) {
          const root = e as { name?: string; topic?: string; partition?: number };
          if (root.name === 'KafkaJSOffsetOutOfRange' && !speculative) {
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
            if (p) await this.consume(c, p, topic, part as InternalFetchPartition & Partial<RawFetchPartition>, results[p.index]!, speculative);
          }
        }
      }),
    );
  }


  /** Closes connections; the reader can be used again afterwards (it reconnects). */
  async close(): Promise<void> {
    const c = this.cluster;
    this.cluster = undefined;
    this.spans.clear();
    this.spanGeneration++;
    if (c) await c.disconnect().catch(() => undefined);
  }

  /**
   * Bytes to ask for: what the rest of the range should take at the observed record size, plus
   * slack, within [64 KiB, maxBytesPerPartition]. Records fetched beyond `until` are decoded and
   * then thrown away (or, with read-ahead, kept but paid for before the batch can start); a broker
   * still returns at least one whole record batch when it is larger (KIP-74), so a low estimate only
   * costs another round. Before any record is seen, 128 bytes (a small JSON event with framing).
   */
  private fetchBytes(p: PendingRange): number {
    const perRecord = this.recordBytes.get(spanKey(p.topic, p.partition)) ?? 128;
    const wanted = Math.ceil((p.until - p.next) * perRecord * 1.1) + 16 * 1024;
    return Math.max(64 * 1024, Math.min(this.maxBytes, wanted));
  }

  private async consume(
    c: Cluster,
    p: PendingRange,
    topic: string,
    part: InternalFetchPartition & Partial<RawFetchPartition>,
    out: KafkaRecord[],
    speculative: boolean,
  ): Promise<void> {
    const key = spanKey(topic, p.partition);
    this.highWatermarks.set(key, Number(part.highWatermark));
    // Records before the fetch offset (the batch holding it starts earlier) are left out.
    const got = part.records
      ? await decodeRecordSet(part.records, topic, part.partition, p.next)
      : decodedMessages(part.messages, topic, part.partition, p.next);
    // key + value + ~70 bytes of record and batch framing (amortised)
    if (got.count > 0) this.recordBytes.set(key, got.bytes / got.count);
    if (this.readAhead) p.batches = got.batches;
    if (got.last >= p.next) {
      const recs = got.records;
      let i = 0;
      while (i < recs.length && recs[i]!.offset < p.until) out.push(recs[i++]!);
      if (got.last >= p.until) {
        p.next = p.until;
        // The rest of the record batch is decoded already: keep it for the next range.
        if (this.readAhead) {
          p.beyond = recs.slice(i);
          p.beyondNext = got.last + 1;
        }
      } else {
        p.next = got.last + 1;
      }
      p.emptyRounds = 0;
      return;
    }
    if (speculative) return;
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

/** A listing that missed a partition's leader or offsets: retried like Kafka's LEADER_NOT_AVAILABLE. */
class PartitionsNotReadyError extends Error {
  readonly type = 'LEADER_NOT_AVAILABLE';
  constructor(message: string) {
    super(message);
    this.name = 'PartitionsNotReadyError';
  }
}

function spanKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}
