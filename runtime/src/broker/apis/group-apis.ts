/**
 * Consumer groups, on the group coordinator: FindCoordinator, the membership protocol (JoinGroup,
 * SyncGroup, Heartbeat, LeaveGroup), DescribeGroups, ListGroups, and committed offsets (OffsetCommit,
 * OffsetFetch).
 */
import { ApiKey } from '../protocol/api-keys.js';
import { ErrorCode } from '../protocol/errors.js';
import {
  decodeDescribeGroupsRequest, decodeFindCoordinatorRequest, decodeHeartbeatRequest, decodeJoinGroupRequest, decodeLeaveGroupRequest,
  decodeSyncGroupRequest, encodeDescribeGroupsResponse, encodeFindCoordinatorResponse, encodeHeartbeatResponse, encodeJoinGroupResponse,
  encodeLeaveGroupResponse, encodeListGroupsResponse, encodeSyncGroupResponse,
} from '../protocol/group-apis.js';
import { decodeOffsetCommitRequest, decodeOffsetFetchRequest, encodeOffsetCommitResponse, encodeOffsetFetchResponse } from '../protocol/offset-apis.js';
import { Writer } from '../protocol/writer.js';
import { brokerApi } from './broker-api.js';

/** Writes one response body with `encode`. */
function body(encode: (w: Writer) => void): Buffer {
  const w = new Writer();
  encode(w);
  return w.toBuffer();
}

/** FindCoordinator: this broker coordinates every group. */
export const findCoordinatorApi = brokerApi({
  name: 'FindCoordinator', key: ApiKey.FindCoordinator, advertised: [0, 2], implementedMin: 0,
  decode: decodeFindCoordinatorRequest,
  handle: (req, { version, advertisedPort, broker: { config } }) => body((w) => encodeFindCoordinatorResponse(w, version, {
    errorCode: req.key === '' && req.keyType === 0 ? ErrorCode.INVALID_GROUP_ID : ErrorCode.NONE,
    nodeId: config.nodeId,
    host: config.advertisedHost,
    port: advertisedPort,
  })),
});

/** JoinGroup: answered when the group's rebalance completes. */
export const joinGroupApi = brokerApi({
  name: 'JoinGroup', key: ApiKey.JoinGroup, advertised: [0, 5], implementedMin: 0,
  decode: decodeJoinGroupRequest,
  handle: (req, { version, header, clientHost, broker: { coordinator } }) => new Promise<Buffer>((resolve) => {
    coordinator.join(req, version, { clientId: header.clientId ?? '', clientHost }, (res) => resolve(body((w) => encodeJoinGroupResponse(w, version, res))));
  }),
});

/** SyncGroup: answered when the leader has sent the assignment. */
export const syncGroupApi = brokerApi({
  name: 'SyncGroup', key: ApiKey.SyncGroup, advertised: [0, 3], implementedMin: 0,
  decode: decodeSyncGroupRequest,
  handle: (req, { version, broker: { coordinator } }) => new Promise<Buffer>((resolve) => {
    coordinator.sync(req, (res) => resolve(body((w) => encodeSyncGroupResponse(w, version, res))));
  }),
});

/** Heartbeat. */
export const heartbeatApi = brokerApi({
  name: 'Heartbeat', key: ApiKey.Heartbeat, advertised: [0, 3], implementedMin: 0,
  decode: decodeHeartbeatRequest,
  handle: (req, { version, broker: { coordinator } }) => body((w) => encodeHeartbeatResponse(w, version, coordinator.heartbeat(req.groupId, req.memberId, req.generationId))),
});

/** LeaveGroup. */
export const leaveGroupApi = brokerApi({
  name: 'LeaveGroup', key: ApiKey.LeaveGroup, advertised: [0, 3], implementedMin: 0,
  decode: decodeLeaveGroupRequest,
  handle: (req, { version, broker: { coordinator } }) => body((w) => encodeLeaveGroupResponse(w, version, coordinator.leave(req.groupId, req.memberIds))),
});

/** DescribeGroups. */
export const describeGroupsApi = brokerApi({
  name: 'DescribeGroups', key: ApiKey.DescribeGroups, advertised: [0, 2], implementedMin: 0,
  decode: decodeDescribeGroupsRequest,
  handle: (req, { version, broker: { coordinator } }) => body((w) => encodeDescribeGroupsResponse(w, version, coordinator.describe(req.groups))),
});

/** ListGroups (the request has no body before v4). */
export const listGroupsApi = brokerApi({
  name: 'ListGroups', key: ApiKey.ListGroups, advertised: [0, 2], implementedMin: 0,
  decode: () => undefined,
  handle: (_req, { version, broker: { coordinator } }) => body((w) => encodeListGroupsResponse(w, version, coordinator.list())),
});

/** OffsetCommit. */
export const offsetCommitApi = brokerApi({
  name: 'OffsetCommit', key: ApiKey.OffsetCommit, advertised: [2, 7], implementedMin: 2,
  decode: decodeOffsetCommitRequest,
  handle: (req, { version, broker: { coordinator } }) => body((w) => encodeOffsetCommitResponse(w, version, coordinator.commitOffsets(req))),
});

/** OffsetFetch. */
export const offsetFetchApi = brokerApi({
  name: 'OffsetFetch', key: ApiKey.OffsetFetch, advertised: [1, 5], implementedMin: 1,
  decode: decodeOffsetFetchRequest,
  handle: (req, { version, broker: { coordinator } }) => body((w) => encodeOffsetFetchResponse(w, version, coordinator.fetchOffsets(req))),
});
