/**
 * Kafka's API keys, and the shape of an advertised version range. Which APIs this broker speaks, and
 * at which versions, is the list of records in ../apis/broker-apis.ts (the pinned pre-flexible
 * profile: only ApiVersions v3 is flexible).
 *
 * The minimums are deliberately low (Produce 0, FindCoordinator 0, ...) because librdkafka turns
 * features on by checking that the advertised range *overlaps* small fixed ranges: advertising
 * Produce from v3 silently disables gzip/snappy/lz4 in kcat. Versions below `implementedMin` are
 * advertised but refused, as Kafka >= 4.0 does for Produce v0-v2 (KAFKA-18659). Clients always pick
 * the highest common version, so they never send them. See docs/spec/kafka-embedded-broker.md §1-2.
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
  DeleteRecords: 21,
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
