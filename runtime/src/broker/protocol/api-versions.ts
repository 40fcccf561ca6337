/**
 * ApiVersions (key 18), v0-v3.
 *
 * Request v0-v2: empty. v3 (flexible): clientSoftwareName compact string, clientSoftwareVersion
 * compact string, tags.
 * Response: errorCode i16, apiKeys [apiKey i16, min i16, max i16], throttleTimeMs i32 (v1+).
 * v3 uses a compact array with empty tags per entry and at the end. An unknown version is
 * answered in the v0 body format with UNSUPPORTED_VERSION, so the client can step down.
 */
import type { ApiVersionRange } from './api-keys.js';
import type { Reader } from './reader.js';
import type { Writer } from './writer.js';

/** ApiVersions request body. */
export interface ApiVersionsRequest {
  readonly clientSoftwareName?: string;
  readonly clientSoftwareVersion?: string;
}

/** ApiVersions response body. */
export interface ApiVersionsResponse {
  readonly errorCode: number;
  readonly apiKeys: readonly ApiVersionRange[];
  readonly throttleTimeMs: number;
}

/** Decodes the request body. */
export function decodeApiVersionsRequest(r: Reader, version: number): ApiVersionsRequest {
  if (version < 3) return {};
  const clientSoftwareName = r.compactString();
  const clientSoftwareVersion = r.compactString();
  r.skipTags();
  return { clientSoftwareName, clientSoftwareVersion };
}

/** Encodes the response body (after the v0 response header). */
export function encodeApiVersionsResponse(w: Writer, version: number, res: ApiVersionsResponse): void {
  w.int16(res.errorCode);
  if (version >= 3) {
    w.compactArray(res.apiKeys, (w2, k) => {
      w2.int16(k.apiKey).int16(k.minVersion).int16(k.maxVersion).emptyTags();
    });
    w.int32(res.throttleTimeMs).emptyTags();
    return;
  }
  w.array(res.apiKeys, (w2, k) => {
    w2.int16(k.apiKey).int16(k.minVersion).int16(k.maxVersion);
  });
  if (version >= 1) w.int32(res.throttleTimeMs);
}
