/**
 * Fetch answers decoded straight into the source's records, for the partition reader.
 *
 * kafkajs decodes every record of a Fetch answer into its own message object, doing 64-bit
 * arithmetic on strings (offset and timestamp of each record), before the reader keeps a few
 * fields of it. Here the answer's record sets stay bytes, and {@link decodeRecordSet} reads them:
 *
 *   fetchRaw(broker, request)  → the Fetch answer as kafkajs' parser shapes it (errors raised the
 *                                same way), each partition's record set kept as a Buffer in `records`
 *                                and `messages` empty; only for Fetch v11, the version kafkajs uses
 *                                with any broker since Kafka 2.3 — otherwise `undefined`, and the
 *                                caller uses kafkajs' own `broker.fetch`
 *   firstBatch(set)            → base offset, last offset, length and CRC of its first batch
 *   decodeRecordSet(set, …, from) → the records with offset ≥ from of every complete record batch,
 *                                in offset order (a batch cut short by the fetch size is skipped,
 *                                as kafkajs does), and the last offset seen, control records
 *                                included. Uncompressed v2 batches are read here; compressed ones
 *                                and old message sets go through kafkajs' decoders, so the result
 *                                is the same as kafkajs would give.
 *
 * Record batch v2 (KIP-98): baseOffset int64, length int32, partitionLeaderEpoch int32, magic int8,
 * crc int32, attributes int16 (bits 0–2 codec, 3 log-append time, 5 control), lastOffsetDelta int32,
 * baseTimestamp int64, maxTimestamp int64, producerId int64, producerEpoch int16,
 * baseSequence int32, count int32, then records: length varint, attributes int8,
 * timestampDelta varlong, offsetDelta varint, key (varint length, -1 = null), value (same),
 * headers (varint count; key varint-length UTF-8, value varint-length bytes, -1 = null).
 */
import Decoder from 'kafkajs/src/protocol/decoder.js';
import RecordBatchDecoder from 'kafkajs/src/protocol/recordBatch/v0/decoder.js';
import decodeMessages from 'kafkajs/src/protocol/requests/fetch/v4/decodeMessages.js';
import protocolRequests from 'kafkajs/src/protocol/requests/index.js';
import apiKeys from 'kafkajs/src/protocol/requests/apiKeys.js';
import type { InternalBroker, InternalMessage } from 'kafkajs/src/cluster/index.js';
import type { KafkaHeader, KafkaRecord } from './kafka-record.js';

/** One partition of a raw Fetch answer. */
export interface RawFetchPartition {
  partition: number;
  errorCode: number;
  highWatermark: string;
  messages: InternalMessage[];
  /** The record set as the broker sent it (empty when there is none). */
  records: Buffer;
}

/** A raw Fetch answer. */
export interface RawFetchResponse {
  responses: Array<{ topicName: string; partitions: RawFetchPartition[] }>;
}

/** Identity of a record batch: where it starts and ends, and its length and CRC. */
export interface BatchIdentity {
  readonly base: number;
  readonly last: number;
  readonly length: number;
  readonly crc: number;
}

/** What {@link decodeRecordSet} found. */
export interface DecodedRecords {
  /** Every complete v2 batch read (its identity), in order; empty for old message sets. */
  batches: BatchIdentity[];
  /** Data records with offset ≥ from, in offset order. */
  records: KafkaRecord[];
  /** The highest offset seen at or after `from` (control records included); -1 if none. */
  last: number;
  /** Records decoded (for sizing the next fetch) and their key + value bytes. */
  count: number;
  bytes: number;
}

type FetchRequest = Parameters<InternalBroker['fetch']>[0];

const EMPTY = Buffer.alloc(0);
const NO_HEADERS: KafkaHeader[] = Object.freeze([]) as unknown as KafkaHeader[];
const MAGIC_OFFSET = 16;
const BATCH_HEADER = 61;
const LOG_APPEND_TIME = 0x8;
const CONTROL = 0x20;
const CODEC = 0x7;

/**
 * Sends a Fetch request whose answer keeps record sets as bytes; undefined when the broker
 * connection negotiated a version other than 11.
 */
export async function fetchRaw(broker: InternalBroker, request: FetchRequest): Promise<RawFetchResponse | undefined> {
  const b = broker as unknown as RawBroker;
  if (typeof b.lookupRequest !== 'function' || !b.connectionPool) return undefined;
  const protocol = b.lookupRequest(apiKeys.Fetch, protocolRequests.requests.Fetch)({ ...request, rackId: '' });
  if (protocol.request.apiVersion !== 11) return undefined;
  protocol.response = { decode: decodeFetchV11, parse: protocol.response.parse };
  try {
    return (await b.connectionPool.send(protocol)) as RawFetchResponse;
  } catch (e) {
    // As kafkajs' broker does: a closed connection is dropped so the next request reconnects.
    if ((e as Error).name === 'KafkaJSConnectionClosedError') await b.disconnect();
    throw e;
  }
}

interface RawBroker {
  lookupRequest?: (apiKey: number, definition: unknown) => (args: Record<string, unknown>) => {
    request: { apiVersion: number };
    response: { decode: (raw: Buffer) => Promise<unknown>; parse: (data: unknown) => Promise<unknown> };
  };
  connectionPool?: { send(protocol: unknown): Promise<unknown> };
  disconnect(): Promise<void>;
}

/** Fetch v11 answer: throttle_time error_code session_id [topic [partition header record_set]]. */
async function decodeFetchV11(raw: Buffer): Promise<RawFetchResponse & Record<string, unknown>> {
  const d = new Decoder(raw);
  const clientSideThrottleTime = d.readInt32();
  const errorCode = d.readInt16();
  const sessionId = d.readInt32();
  const responses = d.readArray((t: Decoder) => ({
    topicName: t.readString(),
    partitions: t.readArray((p: Decoder): RawFetchPartition => {
      const partition = p.readInt32();
      const partErrorCode = p.readInt16();
      const highWatermark = p.readInt64().toString();
      p.readInt64(); // last stable offset
      p.readInt64(); // log start offset
      p.readArray((a: Decoder) => [a.readInt64(), a.readInt64()]); // aborted transactions
      p.readInt32(); // preferred read replica
      const size = p.readInt32();
      const records = size > 0 && p.canReadBytes(size) ? p.readBytes(size) : EMPTY;
      return { partition, errorCode: partErrorCode, highWatermark, messages: [], records };
    }),
  }));
  // kafkajs reports no throttling of its own (see its v11 decoder).
  return { throttleTime: 0, clientSideThrottleTime, errorCode, sessionId, responses };
}

/** Reads the records with offset ≥ `from` of a record set (see the contract above). */
export async function decodeRecordSet(set: Buffer, topic: string, partition: number, from: number): Promise<DecodedRecords> {
  const out: DecodedRecords = { batches: [], records: [], last: -1, count: 0, bytes: 0 };
  if (set.length <= MAGIC_OFFSET) return out;
  if (set[MAGIC_OFFSET] !== 2) {
    // An old message set (magic 0 or 1): kafkajs' decoder, from the size prefix it expects.
    const prefixed = Buffer.allocUnsafe(4 + set.length);
    prefixed.writeInt32BE(set.length, 0);
    set.copy(prefixed, 4);
    addMessages(out, (await decodeMessages(new Decoder(prefixed))) as InternalMessage[], topic, partition, from);
    return out;
  }
  let pos = 0;
  while (pos + BATCH_HEADER <= set.length) {
    const base = int64(set, pos);
    const end = pos + 12 + set.readInt32BE(pos + 8);
    if (end > set.length) break; // cut short by the fetch size
    const attributes = set.readInt16BE(pos + 21);
    const lastOffset = base + set.readInt32BE(pos + 23);
    out.batches.push({ base, last: lastOffset, length: end - pos, crc: set.readUInt32BE(pos + 17) });
    if (lastOffset < from) {
      // Wholly before the range (a fetch starts at the batch holding `from`): nothing to read.
      pos = end;
      continue;
    }
    if ((attributes & CODEC) !== 0) {
      const batch = (await RecordBatchDecoder(new Decoder(set.subarray(pos, end)))) as { records: InternalMessage[] };
      addMessages(out, batch.records, topic, partition, from);
    } else {
      readBatch(out, set, pos, end, base, attributes, topic, partition, from);
    }
    pos = end;
  }
  return out;
}

/** The identity of the first record batch of a record set, if it is a v2 batch. */
export function firstBatch(set: Buffer): BatchIdentity | undefined {
  if (set.length < BATCH_HEADER || set[MAGIC_OFFSET] !== 2) return undefined;
  const base = int64(set, 0);
  return { base, last: base + set.readInt32BE(23), length: 12 + set.readInt32BE(8), crc: set.readUInt32BE(17) };
}

/** Reads the records of one uncompressed v2 batch at [pos, end). */
function readBatch(out: DecodedRecords, b: Buffer, pos: number, end: number, base: number, attributes: number, topic: string, partition: number, from: number): void {
  const control = (attributes & CONTROL) !== 0;
  const timestampType = (attributes & LOG_APPEND_TIME) !== 0 ? 1 : 0;
  const baseTimestamp = int64(b, pos + 27);
  const maxTimestamp = int64(b, pos + 35);
  const count = b.readInt32BE(pos + 57);
  const cur = { pos: pos + BATCH_HEADER };
  for (let i = 0; i < count && cur.pos < end; i++) {
    const length = varint(b, cur);
    const next = cur.pos + length;
    cur.pos++; // record attributes (unused)
    const timestampDelta = varlong(b, cur);
    const offset = base + varint(b, cur);
    if (offset < from) {
      cur.pos = next;
      continue;
    }
    out.count++;
    if (offset > out.last) out.last = offset;
    const keyLength = varint(b, cur);
    const key = keyLength < 0 ? null : b.subarray(cur.pos, (cur.pos += keyLength));
    const valueLength = varint(b, cur);
    const value = valueLength < 0 ? null : b.subarray(cur.pos, (cur.pos += valueLength));
    out.bytes += (key?.length ?? 0) + (value?.length ?? 0) + 70;
    const headerCount = varint(b, cur);
    let headers = NO_HEADERS;
    if (headerCount > 0) {
      // In the record's order, repeated keys included, as Spark's headers column lists them.
      headers = [];
      for (let h = 0; h < headerCount; h++) {
        const kl = varint(b, cur);
        const hk = b.toString('utf8', cur.pos, (cur.pos += kl));
        const vl = varint(b, cur);
        const hv = vl < 0 ? null : b.subarray(cur.pos, (cur.pos += vl));
        headers.push({ key: hk, value: hv });
      }
    }
    cur.pos = next;
    if (control) continue;
    out.records.push({
      key,
      value,
      topic,
      partition,
      offset,
      timestamp: timestampType === 1 ? maxTimestamp : baseTimestamp + timestampDelta,
      timestampType,
      headers,
    });
  }
}

/** The records with offset ≥ `from` of messages kafkajs decoded (any Fetch version). */
export function decodedMessages(messages: InternalMessage[], topic: string, partition: number, from: number): DecodedRecords {
  const out: DecodedRecords = { batches: [], records: [], last: -1, count: 0, bytes: 0 };
  addMessages(out, messages, topic, partition, from);
  return out;
}

function addMessages(out: DecodedRecords, messages: InternalMessage[], topic: string, partition: number, from: number): void {
  for (const m of messages) {
    const offset = Number(m.offset);
    if (offset < from) continue;
    out.count++;
    out.bytes += (m.key?.length ?? 0) + (m.value?.length ?? 0) + 70;
    if (offset > out.last) out.last = offset;
    if (m.isControlRecord) continue;
    out.records.push({
      key: m.key,
      value: m.value,
      topic,
      partition,
      offset,
      timestamp: Number(m.timestamp),
      timestampType: m.batchContext?.timestampType ?? 0,
      headers: listHeaders(m.headers),
    });
  }
}

/**
 * kafkajs folds headers into an object (repeated keys become arrays); Spark wants a list. Records
 * decoded by kafkajs (old message formats only) list a repeated key's values together, so there the
 * order across keys can differ from the record's; the raw path above keeps it.
 */
export function listHeaders(h: InternalMessage['headers'] | undefined): KafkaHeader[] {
  let any = false;
  for (const _ in h) {
    any = true;
    break;
  }
  if (!any) return NO_HEADERS;
  const out: KafkaHeader[] = [];
  for (const [key, v] of Object.entries(h ?? {})) {
    if (Array.isArray(v)) for (const one of v) out.push({ key, value: one ?? null });
    else out.push({ key, value: v ?? null });
  }
  return out;
}

/** A big-endian signed 64-bit integer as a number (exact below 2^53, as offsets and times are). */
function int64(b: Buffer, pos: number): number {
  return b.readInt32BE(pos) * 4_294_967_296 + b.readUInt32BE(pos + 4);
}

/** A zig-zag varint of at most 32 bits. */
function varint(b: Buffer, cur: { pos: number }): number {
  let result = 0;
  let shift = 0;
  let byte: number;
  do {
    byte = b[cur.pos++]!;
    result |= (byte & 0x7f) << shift;
    shift += 7;
  } while (byte & 0x80 && shift < 35);
  return (result >>> 1) ^ -(result & 1);
}

/** A zig-zag varlong, with number arithmetic (exact below 2^53). */
function varlong(b: Buffer, cur: { pos: number }): number {
  let result = 0;
  let scale = 1;
  let byte: number;
  do {
    byte = b[cur.pos++]!;
    result += (byte & 0x7f) * scale;
    scale *= 128;
  } while (byte & 0x80 && scale <= 2 ** 63);
  // zig-zag: even n → n / 2, odd n → -(n + 1) / 2
  return result % 2 === 0 ? result / 2 : -(result + 1) / 2;
}
