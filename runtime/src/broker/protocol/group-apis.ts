/**
 * The classic consumer-group APIs: FindCoordinator (10, v0-2), JoinGroup (11, v0-5),
 * Heartbeat (12, v0-3), LeaveGroup (13, v0-3), SyncGroup (14, v0-3), DescribeGroups (15, v0-2),
 * ListGroups (16, v0-2). None of these versions is flexible. Layouts:
 *
 * FindCoordinator  req: key, keyType i8 (v1+)      res: throttle (v1+), error, errorMessage? (v1+), nodeId, host, port
 * JoinGroup        req: groupId, sessionTimeout, rebalanceTimeout (v1+), memberId, groupInstanceId? (v5+),
 *                       protocolType, protocols [name, metadata bytes]
 *                  res: throttle (v2+), error, generationId, protocolName, leader, memberId,
 *                       members [memberId, groupInstanceId? (v5+), metadata bytes]
 * Heartbeat        req: groupId, generationId, memberId, groupInstanceId? (v3+)   res: throttle (v1+), error
 * LeaveGroup       req v0-2: groupId, memberId; v3: groupId, members [memberId, groupInstanceId?]
 *                  res: throttle (v1+), error, members [memberId, groupInstanceId?, error] (v3+)
 * SyncGroup        req: groupId, generationId, memberId, groupInstanceId? (v3+), assignments [memberId, bytes]
 *                  res: throttle (v1+), error, assignment bytes
 * DescribeGroups   req: groups [string]
 *                  res: throttle (v1+), groups [error, groupId, state, protocolType, protocolData,
 *                       members [memberId, clientId, clientHost, metadata bytes, assignment bytes]]
 * ListGroups       req: (empty)                     res: throttle (v1+), error, groups [groupId, protocolType]
 */
import type { Reader } from './reader.js';
import type { Writer } from './writer.js';

const throttle = (w: Writer, version: number, from: number): void => {
  if (version >= from) w.int32(0);
};

/** FindCoordinator request body. */
export interface FindCoordinatorRequest {
  readonly key: string;
  readonly keyType: number;
}

/** Decodes FindCoordinator. */
export function decodeFindCoordinatorRequest(r: Reader, version: number): FindCoordinatorRequest {
  const key = r.string();
  return { key, keyType: version >= 1 ? r.int8() : 0 };
}

/** Encodes the FindCoordinator response. */
export function encodeFindCoordinatorResponse(
  w: Writer,
  version: number,
  res: { errorCode: number; nodeId: number; host: string; port: number },
): void {
  throttle(w, version, 1);
  w.int16(res.errorCode);
  if (version >= 1) w.nullableString(null);
  w.int32(res.nodeId).string(res.host).int32(res.port);
}

/** JoinGroup request body. */
export interface JoinGroupRequest {
  readonly groupId: string;
  readonly sessionTimeoutMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly protocolType: string;
  readonly protocols: ReadonlyArray<{ name: string; metadata: Buffer }>;
}

/** JoinGroup response body. */
export interface JoinGroupResponse {
  readonly errorCode: number;
  readonly generationId: number;
  readonly protocolName: string;
  readonly leader: string;
  readonly memberId: string;
  readonly members: ReadonlyArray<{ memberId: string; metadata: Buffer }>;
}

/** Decodes JoinGroup. */
export function decodeJoinGroupRequest(r: Reader, version: number): JoinGroupRequest {
  const groupId = r.string();
  const sessionTimeoutMs = r.int32();
  const rebalanceTimeoutMs = version >= 1 ? r.int32() : sessionTimeoutMs;
  const memberId = r.string();
  const groupInstanceId = version >= 5 ? r.nullableString() : null;
  const protocolType = r.string();
  const protocols = r.array((r2) => ({ name: r2.string(), metadata: Buffer.from(r2.bytes()) }));
  return { groupId, sessionTimeoutMs, rebalanceTimeoutMs, memberId, groupInstanceId, protocolType, protocols };
}

/** Encodes the JoinGroup response. */
export function encodeJoinGroupResponse(w: Writer, version: number, res: JoinGroupResponse): void {
  throttle(w, version, 2);
  w.int16(res.errorCode).int32(res.generationId).string(res.protocolName).string(res.leader).string(res.memberId);
  w.array(res.members, (w2, m) => {
    w2.string(m.memberId);
    if (version >= 5) w2.nullableString(null);
    w2.bytes(m.metadata);
  });
}

/** Heartbeat request body. */
export interface HeartbeatRequest {
  readonly groupId: string;
  readonly generationId: number;
  readonly memberId: string;
}

/** Decodes Heartbeat. */
export function decodeHeartbeatRequest(r: Reader, version: number): HeartbeatRequest {
  const groupId = r.string();
  const generationId = r.int32();
  const memberId = r.string();
  if (version >= 3) r.nullableString();
  return { groupId, generationId, memberId };
}

/** Encodes a response that is only (throttle v1+, errorCode): Heartbeat. */
export function encodeHeartbeatResponse(w: Writer, version: number, errorCode: number): void {
  throttle(w, version, 1);
  w.int16(errorCode);
}

/** LeaveGroup request body (v0-2 carry one member, v3 a list). */
export interface LeaveGroupRequest {
  readonly groupId: string;
  readonly memberIds: readonly string[];
}

/** Decodes LeaveGroup. */
export function decodeLeaveGroupRequest(r: Reader, version: number): LeaveGroupRequest {
  const groupId = r.string();
  if (version < 3) return { groupId, memberIds: [r.string()] };
  const members = r.array((r2) => {
    const memberId = r2.string();
    r2.nullableString();
    return memberId;
  });
  return { groupId, memberIds: members };
}

/** Encodes the LeaveGroup response. */
export function encodeLeaveGroupResponse(
  w: Writer,
  version: number,
  res: { errorCode: number; members: ReadonlyArray<{ memberId: string; errorCode: number }> },
): void {
  throttle(w, version, 1);
  w.int16(res.errorCode);
  if (version >= 3) {
    w.array(res.members, (w2, m) => {
      w2.string(m.memberId).nullableString(null).int16(m.errorCode);
    });
  }
}

/** SyncGroup request body. */
export interface SyncGroupRequest {
  readonly groupId: string;
  readonly generationId: number;
  readonly memberId: string;
  readonly assignments: ReadonlyArray<{ memberId: string; assignment: Buffer }>;
}

/** Decodes SyncGroup. */
export function decodeSyncGroupRequest(r: Reader, version: number): SyncGroupRequest {
  const groupId = r.string();
  const generationId = r.int32();
  const memberId = r.string();
  if (version >= 3) r.nullableString();
  const assignments = r.array((r2) => ({ memberId: r2.string(), assignment: Buffer.from(r2.bytes()) }));
  return { groupId, generationId, memberId, assignments };
}

/** Encodes the SyncGroup response. */
export function encodeSyncGroupResponse(
  w: Writer,
  version: number,
  res: { errorCode: number; assignment: Buffer },
): void {
  throttle(w, version, 1);
  w.int16(res.errorCode).bytes(res.assignment);
}

/** One group in a DescribeGroups response. */
export interface DescribedGroup {
  readonly errorCode: number;
  readonly groupId: string;
  readonly state: string;
  readonly protocolType: string;
  readonly protocolData: string;
  readonly members: ReadonlyArray<{
    memberId: string;
    clientId: string;
    clientHost: string;
    metadata: Buffer;
    assignment: Buffer;
  }>;
}

/** Decodes DescribeGroups. */
export function decodeDescribeGroupsRequest(r: Reader, _version: number): { groups: string[] } {
  return { groups: r.array((r2) => r2.string()) };
}

/** Encodes the DescribeGroups response. */
export function encodeDescribeGroupsResponse(w: Writer, version: number, groups: readonly DescribedGroup[]): void {
  throttle(w, version, 1);
  w.array(groups, (w2, g) => {
    w2.int16(g.errorCode).string(g.groupId).string(g.state).string(g.protocolType).string(g.protocolData);
    w2.array(g.members, (w3, m) => {
      w3.string(m.memberId).string(m.clientId).string(m.clientHost).bytes(m.metadata).bytes(m.assignment);
    });
  });
}

/** Encodes the ListGroups response. */
export function encodeListGroupsResponse(
  w: Writer,
  version: number,
  groups: ReadonlyArray<{ groupId: string; protocolType: string }>,
): void {
  throttle(w, version, 1);
  w.int16(0);
  w.array(groups, (w2, g) => {
    w2.string(g.groupId).string(g.protocolType);
  });
}
