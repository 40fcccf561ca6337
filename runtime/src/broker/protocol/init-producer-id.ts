/**
 * InitProducerId (key 22), v0-v1 (v2 is flexible and v3 adds epoch bumps; neither is in the
 * pre-flexible profile, and clients then pick v1).
 *
 * Request: transactionalId nullable string, transactionTimeoutMs i32.
 * Response: throttleTimeMs i32, errorCode i16, producerId i64, producerEpoch i16.
 */
import type { Reader } from './reader.js';
import type { Writer } from './writer.js';

/** InitProducerId request body. */
export interface InitProducerIdRequest {
  readonly transactionalId: string | null;
  readonly transactionTimeoutMs: number;
}

/** InitProducerId response body. */
export interface InitProducerIdResponse {
  readonly errorCode: number;
  readonly producerId: number;
  readonly producerEpoch: number;
}

/** Decodes the request body. */
export function decodeInitProducerIdRequest(r: Reader, _version: number): InitProducerIdRequest {
  return { transactionalId: r.nullableString(), transactionTimeoutMs: r.int32() };
}

/** Encodes the request body (test clients). */
export function encodeInitProducerIdRequest(w: Writer, _version: number, req: InitProducerIdRequest): void {
  w.nullableString(req.transactionalId).int32(req.transactionTimeoutMs);
}

/** Encodes the response body. */
export function encodeInitProducerIdResponse(w: Writer, _version: number, res: InitProducerIdResponse): void {
  w.int32(0).int16(res.errorCode).int64(res.producerId).int16(res.producerEpoch);
}
