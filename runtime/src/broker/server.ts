/**
 * The TCP front end. Grammar of a connection:
 *
 *   stream   := frame*
 *   frame    := size:int32 payload[size]
 *   request  := header(v1 | v2 if flexible) body
 *   response := correlationId [tags if flexible, never for ApiVersions] body
 *
 * Requests on one connection are answered strictly in arrival order, one at a time, as Kafka
 * does: the next request is not even decoded until the previous answer is written. Clients put
 * long-polling Fetch and group heartbeats on different sockets, so a held Fetch never delays a
 * heartbeat. Unsupported ApiVersions versions get error 35 in the v0 body format; any other
 * unknown key or version, an oversize frame or an unparsable body closes the connection.
 *
 * On a SASL listener each connection authenticates first (auth/sasl-session.ts): until then only
 * ApiVersions, SaslHandshake and SaslAuthenticate are served, anything else closes the connection,
 * and a refused authentication is answered and then closed.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { apiVersionsBody, brokerApiOf } from './apis/broker-apis.js';
import { ApiKey } from './protocol/api-keys.js';
import { ErrorCode } from './protocol/errors.js';
import { decodeRequestHeader, type RequestHeader } from './protocol/header.js';
import { Reader } from './protocol/reader.js';
import { SaslSession, type ListenerSecurity } from './auth/sasl-session.js';
import type { Dispatcher } from './dispatcher.js';

/** Kafka's connection.failed.authentication.delay.ms default. */
const FAILED_AUTHENTICATION_DELAY_MS = 100;

/** Largest accepted frame (Kafka's socket.request.max.bytes default). */
export const MAX_FRAME_BYTES = 100 * 1024 * 1024;

/** Optional hooks for logging and tests. */
export interface ServerHooks {
  /** Called for every request that reaches a handler (api key and version). */
  onRequest?: (header: RequestHeader) => void;
  /** Called when a connection is closed because of a protocol problem. */
  onProtocolError?: (reason: string) => void;
}

/** One listener: what it requires of a connection and the port it advertises in Metadata. */
export interface ListenerConfig {
  readonly security: ListenerSecurity;
  /** The port clients are told to connect to (known once the server is bound). */
  advertisedPort(): number;
}

/** Listens and serves; returns the bound server. */
export function createBrokerServer(dispatcher: Dispatcher, listener: ListenerConfig, hooks: ServerHooks = {}): { server: Server; sockets: Set<Socket> } {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    const clientHost = `/${socket.remoteAddress ?? 'unknown'}`;
    const session = new SaslSession(listener.security);
    const chunks: Buffer[] = [];
    let buffered = 0;
    let busy = false;
    let closed = false;

    const drop = (reason: string): void => {
      hooks.onProtocolError?.(reason);
      closed = true;
      socket.destroy();
    };

    const nextFrame = (): Buffer | undefined => {
      if (buffered < 4) return undefined;
      if (chunks[0].length < 4) chunks.splice(0, chunks.length, Buffer.concat(chunks, buffered));
      const size = chunks[0].readInt32BE(0);
      if (size < 0 || size > MAX_FRAME_BYTES) {
        drop(`frame size ${size}`);
        return undefined;
      }
      // Join the chunks only once the whole frame is here: a large produce arrives in many pieces.
      if (buffered < 4 + size) return undefined;
      if (chunks.length > 1) chunks.splice(0, chunks.length, Buffer.concat(chunks, buffered));
      const head = chunks[0];
      const frame = head.subarray(4, 4 + size);
      const rest = head.subarray(4 + size);
      chunks.length = 0;
      if (rest.length > 0) chunks.push(rest);
      buffered = rest.length;
      return frame;
    };

    const pump = async (): Promise<void> => {
      if (busy) return;
      busy = true;
      try {
        for (let frame = nextFrame(); frame && !closed; frame = nextFrame()) {
          const out = await serve(frame);
          if (out === 'close') return drop('unsupported or malformed request');
          if (out && !closed) {
            socket.cork();
            for (const piece of out) socket.write(piece);
            socket.uncork();
          }
          if (session.closeAfterResponse) {
            // The answer says why (a refused mechanism or credentials); then the connection ends,
            // after Kafka's connection.failed.authentication.delay.ms, so that clients which notice
            // a closed socket before reading what arrived with it still read the error.
            closed = true;
            setTimeout(() => socket.end(), FAILED_AUTHENTICATION_DELAY_MS).unref();
            return;
          }
        }
      } catch (err) {
        drop(String(err));
      } finally {
        busy = false;
      }
    };

    const serve = async (frame: Buffer): Promise<Buffer[] | null | 'close'> => {
      const r = new Reader(frame);
      let header: RequestHeader;
      try {
        header = decodeRequestHeader(r);
      } catch {
        // An ApiVersions request at a version we do not know may carry a header we cannot read.
        return 'close';
      }
      const api = brokerApiOf(header.apiKey);
      if (header.apiKey === ApiKey.ApiVersions && api && header.apiVersion > api.advertised[1]) {
        return respond(header.correlationId, apiVersionsBody(0, ErrorCode.UNSUPPORTED_VERSION));
      }
      if (!api || header.apiVersion < api.implementedMin || header.apiVersion > api.advertised[1]) return 'close';
      if (!session.allows(header.apiKey)) return 'close';
      hooks.onRequest?.(header);
      const body = await dispatcher.serve(api, r, { header, clientHost, session, advertisedPort: listener.advertisedPort() });
      if (body === null) return null;
      return respond(header.correlationId, body);
    };

    socket.on('data', (data: Buffer) => {
      chunks.push(data);
      buffered += data.length;
      void pump();
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      closed = true;
      sockets.delete(socket);
    });
  });
  return { server, sockets };
}

/** Frames a response: size, correlation id (response header v0), then the body's pieces. */
function respond(correlationId: number, body: Buffer | Buffer[]): Buffer[] {
  const pieces = Array.isArray(body) ? body : [body];
  const head = Buffer.allocUnsafe(8);
  head.writeInt32BE(4 + pieces.reduce((n, p) => n + p.length, 0), 0);
  head.writeInt32BE(correlationId, 4);
  return [head, ...pieces];
}
