/**
 * API keys and the version profile this broker advertises in ApiVersions.
 *
 * The minimums are deliberately low (Produce 0, FindCoordinator 0, ...) because librdkafka turns
 * features on by checking that the advertised range *overlaps* small fixed ranges: advertising
 * Produce from v3 silently disables gzip/snappy/lz4 in kcat. Versions below `implementedMin` are
 * advertised but refused, as Kafka >= 4.0 does for Produce v0-v2 (KAFKA-18659). Clients always pick
 * the highest common version, so they never send them. See ../shared/kafka/embedded-broker.md §1-2.
 */
export const ApiKey = {
  Produce: 0,
  Fetch: 1,
  ListOffsets: 2,
  Metadata: 3,
  OffsetCommit: 8,
  OffsetFetch: 9,
  FindCoordinator: 10,
  JoinGroup: 11,
  Heartbeat: 12,
  LeaveGroup: 13,
  SyncGroup: 14,
  DescribeGroups: 15,
  ListGroups: 16,
  SaslHandshake: 17,
  ApiVersions: 18,
  CreateTopics: 19,
  DeleteTopics: 20,
  InitProducerId: 22,
  SaslAuthenticate: 36,
} as const;

/** One advertised API: the range sent in ApiVersions and the range actually parsed. */
export interface ApiVersionRange {
  readonly apiKey: number;
  readonly minVersion: number;
  readonly maxVersion: number;
  /** Lowest version the broker parses; lower advertised versions close the connection. */
  readonly implementedMin: number;
}

/** The pinned pre-flexible profile (only ApiVersions v3 is flexible). */
export const API_VERSIONS: readonly ApiVersionRange[] = [
  { apiKey: ApiKey.Produce, minVersion: 0, maxVersion: 7, implementedMin: 3 },
  { apiKey: ApiKey.Fetch, minVersion: 4, maxVersion: 11, implementedMin: 4 },
  { apiKey: ApiKey.ListOffsets, minVersion: 1, maxVersion: 3, implementedMin: 1 },
  { apiKey: ApiKey.Metadata, minVersion: 0, maxVersion: 6, implementedMin: 0 },
  { apiKey: ApiKey.OffsetCommit, minVersion: 2, maxVersion: 7, implementedMin: 2 },
  { apiKey: ApiKey.OffsetFetch, minVersion: 1, maxVersion: 5, implementedMin: 1 },
  { apiKey: ApiKey.FindCoordinator, minVersion: 0, maxVersion: 2, implementedMin: 0 },
  { apiKey: ApiKey.JoinGroup, minVersion: 0, maxVersion: 5, implementedMin: 0 },
  { apiKey: ApiKey.Heartbeat, minVersion: 0, maxVersion: 3, implementedMin: 0 },
  { apiKey: ApiKey.LeaveGroup, minVersion: 0, maxVersion: 3, implementedMin: 0 },
  { apiKey: ApiKey.SyncGroup, minVersion: 0, maxVersion: 3, implementedMin: 0 },
  { apiKey: ApiKey.DescribeGroups, minVersion: 0, maxVersion: 2, implementedMin: 0 },
  { apiKey: ApiKey.ListGroups, minVersion: 0, maxVersion: 2, implementedMin: 0 },
  { apiKey: ApiKey.ApiVersions, minVersion: 0, maxVersion: 3, implementedMin: 0 },
  { apiKey: ApiKey.CreateTopics, minVersion: 0, maxVersion: 4, implementedMin: 0 },
  { apiKey: ApiKey.DeleteTopics, minVersion: 0, maxVersion: 3, implementedMin: 0 },
  { apiKey: ApiKey.InitProducerId, minVersion: 0, maxVersion: 1, implementedMin: 0 },
  { apiKey: ApiKey.SaslHandshake, minVersion: 0, maxVersion: 1, implementedMin: 1 },
  { apiKey: ApiKey.SaslAuthenticate, minVersion: 0, maxVersion: 1, implementedMin: 0 },
];

/** The advertised range for a key, or undefined when the key is not supported at all. */
export function apiRange(apiKey: number): ApiVersionRange | undefined {
  return API_VERSIONS.find((r) => r.apiKey === apiKey);
}
