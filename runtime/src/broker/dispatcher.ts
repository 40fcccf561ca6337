/**
 * Serves requests with the API records (apis/broker-apis.ts) on one broker's state: the log store,
 * the group coordinator, the producer ids and the held fetches.
 */
import type { GroupCoordinator } from './group/group-coordinator.js';
import { FetchWaiters } from './fetch-waiters.js';
import type { LogStore } from './log/log-store.js';
import type { ProducerIdAllocator } from './producer/producer-ids.js';
import type { Reader } from './protocol/reader.js';
import { serveApi, type AnyBrokerApi, type ApiCall, type BrokerConfig, type BrokerState, type ResponseBody } from './apis/broker-api.js';

/** The broker's state and the one way in to it. */
export class Dispatcher {
  private readonly state: BrokerState & { closed: boolean };

  constructor(store: LogStore, coordinator: GroupCoordinator, config: BrokerConfig, producerIds: ProducerIdAllocator) {
    this.state = { store, coordinator, config, producerIds, waiters: new FetchWaiters(), closed: false };
  }

  /** Serves a request whose version the server accepted for `api`. */
  serve(api: AnyBrokerApi, r: Reader, connection: Omit<ApiCall, 'version' | 'broker'>): ResponseBody | Promise<ResponseBody> {
    return serveApi(api, r, { ...connection, version: connection.header.apiVersion, broker: this.state });
  }

  /** Releases held fetches. */
  close(): void {
    this.state.closed = true;
    this.state.waiters.releaseAll();
  }
}
