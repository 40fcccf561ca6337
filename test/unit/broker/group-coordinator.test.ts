/**
 * The classic group state machine driven directly, with fake timers standing in for session and
 * rebalance timeouts.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GroupCoordinator } from '../../../runtime/src/broker/group/group-coordinator.js';
import { OffsetStore } from '../../../runtime/src/broker/group/offset-store.js';
import { ErrorCode } from '../../../runtime/src/broker/protocol/errors.js';
import type { JoinGroupRequest, JoinGroupResponse } from '../../../runtime/src/broker/protocol/group-apis.js';

const META = Buffer.from('meta');
const joinReq = (memberId: string, over: Partial<JoinGroupRequest> = {}): JoinGroupRequest => ({
  groupId: 'g',
  sessionTimeoutMs: 10_000,
  rebalanceTimeoutMs: 20_000,
  memberId,
  groupInstanceId: null,
  protocolType: 'consumer',
  protocols: [{ name: 'range', metadata: META }],
  ...over,
});

let coord: GroupCoordinator;
beforeEach(() => {
  vi.useFakeTimers();
  coord = new GroupCoordinator(new OffsetStore(), (t) => t === 'orders', undefined, () => 42);
});
afterEach(() => {
  coord.close();
  vi.useRealTimers();
});

/** Sends JoinGroup and collects the (possibly held) answer. */
function join(req: JoinGroupRequest, client = 'c'): { res?: JoinGroupResponse } {
  const box: { res?: JoinGroupResponse } = {};
  coord.join(req, 5, { clientId: client, clientHost: '/127.0.0.1' }, (res) => (box.res = res));
  return box;
}

/** MEMBER_ID_REQUIRED, then the real join; returns the assigned member id and the held answer. */
function joinNew(client: string, over: Partial<JoinGroupRequest> = {}): { id: string; box: { res?: JoinGroupResponse } } {
  const first = join(joinReq('', over), client);
  expect(first.res!.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
  const id = first.res!.memberId;
  expect(id.startsWith(`${client}-`)).toBe(true);
  return { id, box: join(joinReq(id, over), client) };
}

function sync(memberId: string, generationId: number, assignments: Array<{ memberId: string; assignment: Buffer }> = []) {
  const box: { res?: { errorCode: number; assignment: Buffer } } = {};
  coord.sync({ groupId: 'g', generationId, memberId, assignments }, (res) => (box.res = res));
  return box;
}

describe('GroupCoordinator', () => {
  it('forms a one-member group: MEMBER_ID_REQUIRED, join, sync, heartbeat', () => {
    const { id, box } = joinNew('c1');
    expect(box.res).toMatchObject({ errorCode: 0, generationId: 1, leader: id, memberId: id, protocolName: 'range' });
    expect(box.res!.members).toEqual([{ memberId: id, metadata: META }]);
    expect(coord.inspect('g')!.state).toBe('CompletingRebalance');
    const s = sync(id, 1, [{ memberId: id, assignment: Buffer.from('A') }]);
    expect(s.res).toEqual({ errorCode: 0, assignment: Buffer.from('A') });
    expect(coord.inspect('g')!.state).toBe('Stable');
    expect(coord.heartbeat('g', id, 1)).toBe(ErrorCode.NONE);
    expect(coord.heartbeat('g', id, 0)).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(coord.heartbeat('g', 'nobody', 1)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('rejects session timeouts outside the bounds', () => {
    expect(join(joinReq('', { sessionTimeoutMs: 5000 })).res!.errorCode).toBe(ErrorCode.INVALID_SESSION_TIMEOUT);
  });

  it('two members: the leader alone gets the member list; a follower sync waits for the leader', () => {
    const a = joinNew('a');
    const b0 = join(joinReq(''), 'b');
    const bId = b0.res!.memberId;
    // a's rejoin (Stable leader or preparing) is needed: the group is preparing until all rejoin.
    coord.heartbeat('g', a.id, 1);
    const aSync = sync(a.id, 1, [{ memberId: a.id, assignment: Buffer.from('A') }]);
    expect(aSync.res!.errorCode).toBe(0);
    const bJoin = join(joinReq(bId), 'b');
    expect(bJoin.res).toBeUndefined(); // held until a rejoins
    expect(coord.heartbeat('g', a.id, 1)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    const aJoin = join(joinReq(a.id), 'a');
    expect(aJoin.res).toMatchObject({ errorCode: 0, generationId: 2, leader: a.id });
    expect(aJoin.res!.members.map((m) => m.memberId)).toEqual([a.id, bId]);
    expect(bJoin.res).toMatchObject({ errorCode: 0, generationId: 2, leader: a.id, members: [] });
    const bSync = sync(bId, 2);
    expect(bSync.res).toBeUndefined();
    // A commit while CompletingRebalance is refused.
    const commit = coord.commitOffsets({ groupId: 'g', generationId: 2, memberId: bId, topics: [{ name: 'orders', partitions: [{ index: 0, offset: 1, leaderEpoch: -1, metadata: null }] }] });
    expect(commit[0].partitions[0].errorCode).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    sync(a.id, 2, [{ memberId: a.id, assignment: Buffer.from('A') }, { memberId: bId, assignment: Buffer.from('B') }]);
    expect(bSync.res).toEqual({ errorCode: 0, assignment: Buffer.from('B') });
    expect(sync(bId, 1).res!.errorCode).toBe(ErrorCode.ILLEGAL_GENERATION);
  });

  it('expires a silent member after its session timeout and rebalances the rest', () => {
    const a = joinNew('a');
    sync(a.id, 1, [{ memberId: a.id, assignment: Buffer.alloc(0) }]);
    const b0 = join(joinReq(''), 'b');
    const bJoin = join(joinReq(b0.res!.memberId), 'b');
    const aJoin = join(joinReq(a.id), 'a');
    expect(aJoin.res!.generationId).toBe(2);
    expect(bJoin.res!.generationId).toBe(2);
    sync(b0.res!.memberId, 2);
    sync(a.id, 2, []);
    expect(coord.inspect('g')!.state).toBe('Stable');
    // b keeps heartbeating, a goes silent.
    for (let i = 0; i < 4; i++) {
      vi.advanceTimersByTime(3000);
      coord.heartbeat('g', b0.res!.memberId, 2);
    }
    expect(coord.inspect('g')).toMatchObject({ state: 'PreparingRebalance', members: [b0.res!.memberId] });
    expect(coord.heartbeat('g', b0.res!.memberId, 2)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    const again = join(joinReq(b0.res!.memberId), 'b');
    expect(again.res).toMatchObject({ errorCode: 0, generationId: 3, leader: b0.res!.memberId });
  });

  it('drops members that do not rejoin within the rebalance timeout', () => {
    const a = joinNew('a');
    sync(a.id, 1, []);
    const b0 = join(joinReq(''), 'b');
    const bJoin = join(joinReq(b0.res!.memberId), 'b');
    expect(bJoin.res).toBeUndefined();
    // a heartbeats (and is told to rejoin) but never sends JoinGroup.
    for (let i = 0; i < 6; i++) {
      vi.advanceTimersByTime(3000);
      expect(coord.heartbeat('g', a.id, 1)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    }
    expect(bJoin.res).toBeUndefined();
    vi.advanceTimersByTime(2000);
    expect(bJoin.res).toMatchObject({ errorCode: 0, generationId: 2, leader: b0.res!.memberId });
    expect(coord.inspect('g')!.members).toEqual([b0.res!.memberId]);
  });

  it('the last member leaving leaves an Empty group one generation later', () => {
    const a = joinNew('a');
    sync(a.id, 1, []);
    expect(coord.leave('g', [a.id])).toEqual({ errorCode: 0, members: [{ memberId: a.id, errorCode: 0 }] });
    expect(coord.inspect('g')).toMatchObject({ state: 'Empty', generationId: 2, members: [] });
    expect(coord.leave('g', [a.id]).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('refuses a member whose protocols share nothing with the group', () => {
    joinNew('a');
    const other = join(joinReq('', { protocols: [{ name: 'RoundRobinAssigner', metadata: META }] }), 'x');
    expect(other.res!.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
  });

  it('commits with generation -1 only while the group is Empty, and fetches -1 for the rest', () => {
    const commit = (generationId: number, memberId = '', index = 0) =>
      coord.commitOffsets({ groupId: 'g', generationId, memberId, topics: [{ name: 'orders', partitions: [{ index, offset: 7, leaderEpoch: -1, metadata: 'm' }] }] })[0].partitions[0].errorCode;
    expect(commit(3)).toBe(ErrorCode.ILLEGAL_GENERATION); // no such group
    expect(commit(-1)).toBe(ErrorCode.NONE);
    expect(coord.commitOffsets({ groupId: 'g', generationId: -1, memberId: '', topics: [{ name: 'nope', partitions: [{ index: 0, offset: 1, leaderEpoch: -1, metadata: null }] }] })[0].partitions[0].errorCode).toBe(
      ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
    );
    const a = joinNew('a');
    expect(commit(-1)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    sync(a.id, 1, []);
    expect(commit(1, a.id, 1)).toBe(ErrorCode.NONE);
    expect(coord.fetchOffsets({ groupId: 'g', topics: [{ name: 'orders', partitions: [0, 1, 2] }] }).topics[0].partitions.map((p) => [p.index, p.offset])).toEqual([
      [0, 7],
      [1, 7],
      [2, -1],
    ]);
    expect(coord.fetchOffsets({ groupId: 'unknown', topics: [{ name: 'orders', partitions: [0] }] }).topics[0].partitions[0].offset).toBe(-1);
    expect(coord.fetchOffsets({ groupId: 'g', topics: null }).topics.map((t) => [t.name, t.partitions.map((p) => p.index)])).toEqual([['orders', [0, 1]]]);
  });
});
