/**
 * Request and response headers.
 *
 * Request header v1: apiKey i16, apiVersion i16, correlationId i32, clientId nullable string.
 * v2 (flexible requests) adds a tagged-field section; the client id stays a classic string.
 * Responses start with the correlation id (header v0); flexible responses add empty tags (v1),
 * except ApiVersions, whose response header is always v0.
 */
import { ApiKey } from './api-keys.js';
import type { Reader } from './reader.js';
import type { Writer } from './writer.js';

/** A decoded request header. */
export interface RequestHeader {
  readonly apiKey: number;
  readonly apiVersion: number;
  readonly correlationId: number;
  readonly clientId: string | null;
}

/** True when this (key, version) uses the flexible header v2. In our profile: ApiVersions v3+. */
export function isFlexibleRequest(apiKey: number, apiVersion: number): boolean {
  return apiKey === ApiKey.ApiVersions && apiVersion >= 3;
}

/** Reads a request header, including the tag section when the request is flexible. */
export function decodeRequestHeader(r: Reader): RequestHeader {
  const apiKey = r.int16();
  const apiVersion = r.int16();
  const correlationId = r.int32();
  const clientId = r.nullableString();
  if (isFlexibleRequest(apiKey, apiVersion)) r.skipTags();
  return { apiKey, apiVersion, correlationId, clientId };
}

/** Writes a request header (used by test clients). */
export function encodeRequestHeader(w: Writer, h: RequestHeader): void {
  w.int16(h.apiKey).int16(h.apiVersion).int32(h.correlationId).nullableString(h.clientId);
  if (isFlexibleRequest(h.apiKey, h.apiVersion)) w.emptyTags();
}
