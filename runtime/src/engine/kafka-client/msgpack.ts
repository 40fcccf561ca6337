/**
 * MessagePack for learner code, backed by @msgpack/msgpack: a binary JSON whose records are smaller
 * than JSON text (a float is 9 bytes, a small integer 1, a short string its length plus 1).
 *
 *   import { KafkaProducer, msgpack } from "streamlab";
 *   const producer = new KafkaProducer({ bootstrap_servers: "localhost:9092", value_serializer: msgpack.packb });
 *
 * `packb`/`unpackb` are the names of Python's `msgpack` module, which the temperature tutorial's
 * kafka-python producers use (`value_serializer=msgpack.packb`); `encode`/`decode` are the library's.
 * Floats are written as 64-bit floats, as both libraries do by default, so the bytes are the same.
 */
import { decode as decodeMsgpack, encode as encodeMsgpack } from '@msgpack/msgpack';

/** Bytes to decode: a Uint8Array (a Kafka record's value), any other view of bytes, or an ArrayBuffer. */
export type MsgpackBytes = ArrayBufferView | ArrayBuffer | ArrayLike<number>;

/** MessagePack's encoder and decoder. */
export interface Msgpack {
  /** The MessagePack bytes of a value (objects, arrays, strings, numbers, booleans, null, bytes). */
  packb(value: unknown): Uint8Array;
  /** The value MessagePack bytes hold; throws on bytes that are not one MessagePack value. */
  unpackb(bytes: MsgpackBytes): unknown;
  /** The same as {@link packb}, by @msgpack/msgpack's name. */
  encode(value: unknown): Uint8Array;
  /** The same as {@link unpackb}, by @msgpack/msgpack's name. */
  decode(bytes: MsgpackBytes): unknown;
}

const pack = (value: unknown): Uint8Array => encodeMsgpack(value);
const unpack = (bytes: MsgpackBytes): unknown => decodeMsgpack(bytes);

/** MessagePack: `msgpack.packb(reading)` → bytes, `msgpack.unpackb(bytes)` → the reading. */
export const msgpack: Msgpack = Object.freeze({ packb: pack, unpackb: unpack, encode: pack, decode: unpack });
