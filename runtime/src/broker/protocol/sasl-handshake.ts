/**
 * SaslHandshake (key 17), v1 implemented (v0 advertised for librdkafka's overlap checks but refused:
 * after a v0 handshake the tokens travel unframed, and every client we serve picks v1).
 *
 * Request: mechanism string.
 * Response: errorCode i16, mechanisms [string] (the mechanisms the listener enables).
 * After a v1 handshake the client authenticates with SaslAuthenticate requests.
 */
import type { Reader } from './reader.js';
import type { Writer } from './writer.js';

/** SaslHandshake request body. */
export interface SaslHandshakeRequest {
  readonly mechanism: string;
}

/** SaslHandshake response body. */
export interface SaslHandshakeResponse {
  readonly errorCode: number;
  readonly mechanisms: readonly string[];
}

/** Decodes the request body. */
export function decodeSaslHandshakeRequest(r: Reader, _version: number): SaslHandshakeRequest {
  return { mechanism: r.string() };
}

/** Encodes the request body (test clients). */
export function encodeSaslHandshakeRequest(w: Writer, _version: number, req: SaslHandshakeRequest): void {
  w.string(req.mechanism);
}

/** Encodes the response body. */
export function encodeSaslHandshakeResponse(w: Writer, _version: number, res: SaslHandshakeResponse): void {
  w.int16(res.errorCode);
  w.array(res.mechanisms, (w2, m) => {
    w2.string(m);
  });
}
