/** The kinds of test service Streamlab needs. */
export type ServiceKind = 'kafka' | 'postgres';

/** Where a service came from, in the order the resolver tries them. */
export type ServiceMode = 'external' | 'containers' | 'local';

/** A service that answered a real request and can be used by tests. */
export interface ServiceHandle {
  kind: ServiceKind;
  mode: ServiceMode;
  /** Name shown in the banner: `external`, `container`, `local-jvm`, `embedded`. */
  label: string;
  /** Server version where it is known (e.g. `4.3.1`, `18.4`), else `?`. */
  version: string;
  /** `host:port` shown in the banner. */
  address: string;
  /** What tests connect with: the bootstrap servers for Kafka, a connection URL for PostgreSQL. */
  value: string;
  /** Milliseconds from "start" to "answers a request" (0 for an external service that was already up). */
  startMs: number;
  /** Stops what this run started; a no-op for external services. */
  stop(): Promise<void>;
}

/** `kafka=local-jvm 4.3.1@127.0.0.1:40123`, or `kafka=external@host:9092` when the version is unknown. */
export function bannerPart(handle: ServiceHandle): string {
  const version = handle.version === '?' ? '' : ` ${handle.version}`;
  return `${handle.kind}=${handle.label}${version}@${handle.address}`;
}
