/**
 * One Kafka API as this broker speaks it, in one record: its key, the versions it advertises in
 * ApiVersions and the ones it parses, the request codec, and what it does.
 *
 *   request (version already accepted by the server) → decode(body, version) → handle(request, call)
 *     → response body (written with the API's response codec) | null when none is due
 *
 * The list of records (broker-apis.ts) is the broker's API surface: ApiVersions' answer and the
 * server's dispatch both come from it. Adding an API is its codec file in ../protocol, its record in
 * the file of its area, and its name in that list.
 */
import type { SaslSession } from '../auth/sasl-session.js';
import type { GroupCoordinator } from '../group/group-coordinator.js';
import type { FetchWaiters } from '../fetch-waiters.js';
import type { LogStore } from '../log/log-store.js';
import type { ProducerIdAllocator } from '../producer/producer-ids.js';
import type { RequestHeader } from '../protocol/header.js';
import type { Reader } from '../protocol/reader.js';

/** Settings the APIs read. */
export interface BrokerConfig {
  readonly nodeId: number;
  readonly clusterId: string;
  /** Host written into Metadata and FindCoordinator answers (with the listener's own port). */
  readonly advertisedHost: string;
  readonly autoCreateTopics: boolean;
  readonly defaultPartitions: number;
  /** Largest accepted batch (Kafka's message.max.bytes). */
  readonly maxMessageBytes: number;
}

/** The broker's state, as every API sees it. */
export interface BrokerState {
  readonly store: LogStore;
  readonly coordinator: GroupCoordinator;
  readonly config: BrokerConfig;
  readonly producerIds: ProducerIdAllocator;
  /** Held Fetch requests, woken by Produce. */
  readonly waiters: FetchWaiters;
  /** True once the broker is closing: held requests answer at once. */
  readonly closed: boolean;
}

/** One request being served. */
export interface ApiCall {
  readonly version: number;
  readonly header: RequestHeader;
  /** The client's address as Kafka prints it in group descriptions (`/127.0.0.1`). */
  readonly clientHost: string;
  /** The connection's authentication (SaslHandshake and SaslAuthenticate move it on). */
  readonly session: SaslSession;
  /** The port of the listener the request came in on, advertised in Metadata and FindCoordinator. */
  readonly advertisedPort: number;
  readonly broker: BrokerState;
}

/** A response body, as one buffer or as pieces to write in order; null when no response is due. */
export type ResponseBody = Buffer | Buffer[] | null;

/** A Kafka API: key, versions, codec and behaviour. */
export interface BrokerApi<Request = unknown> {
  /** Kafka's name for it (`Produce`, `JoinGroup`). */
  readonly name: string;
  readonly key: number;
  /** The versions advertised in ApiVersions, lowest and highest. */
  readonly advertised: readonly [min: number, max: number];
  /**
   * The lowest version parsed. Advertised versions below it close the connection; clients pick the
   * highest common version, so they never send them (see ../protocol/api-keys.ts).
   */
  readonly implementedMin: number;
  /** Reads the request body. */
  decode(r: Reader, version: number): Request;
  /** Acts on the request and writes the response body. */
  handle(request: Request, call: ApiCall): ResponseBody | Promise<ResponseBody>;
}

/** A record of any request type, as the list holds it. */
export type AnyBrokerApi = BrokerApi<any>;

/** Declares an API (infers the request type from `decode`). */
export function brokerApi<Request>(api: BrokerApi<Request>): BrokerApi<Request> {
  return api;
}

/** Serves one request with its API's record. */
export function serveApi(api: AnyBrokerApi, r: Reader, call: ApiCall): ResponseBody | Promise<ResponseBody> {
  return api.handle(api.decode(r, call.version), call);
}
