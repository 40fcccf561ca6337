/**
 * SaslAuthenticate (key 36), v0-v1 (v2 is flexible).
 *
 * Request: authBytes bytes (one token of the mechanism's exchange).
 * Response: errorCode i16, errorMessage nullable string, authBytes bytes, sessionLifetimeMs i64 (v1+;
 * 0 = the session never has to re-authenticate).
 */
import type { Reader } from './reader.js';
import type { Writer } from './writer.js';

/** SaslAuthenticate request body. */
export interface SaslAuthenticateRequest {
  readonly authBytes: Buffer;
}

/** SaslAuthenticate response body. */
export interface SaslAuthenticateResponse {
  readonly errorCode: number;
  readonly errorMessage: string | null;
  readonly authBytes: Buffer;
}

/** Decodes the request body. */
export function decodeSaslAuthenticateRequest(r: Reader, _version: number): SaslAuthenticateRequest {
  return { authBytes: Buffer.from(r.bytes()) };
}

/** Encodes the request body (test clients). */
export function encodeSaslAuthenticateRequest(w: Writer, _version: number, req: SaslAuthenticateRequest): void {
  w.bytes(req.authBytes);
}

/** Encodes the response body. */
export function encodeSaslAuthenticateResponse(w: Writer, version: number, res: SaslAuthenticateResponse): void {
  w.int16(res.errorCode).nullableString(res.errorMessage).bytes(res.authBytes);
  if (version >= 1) w.int64(0);
}
