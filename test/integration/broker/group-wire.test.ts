/**
 * Layer A, group coordinator: the classic group state machine driven with raw requests (kafkajs's
 * encoders and decoders, one connection per member as real clients use), with the same assertions
 * against the embedded broker and real Kafka. Member ids are compared by pattern only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { freshName, freshTopic } from '../../services/inject.js';
import { kafkajsDecodeResponse, kafkajsRequestFrame } from '../../unit/broker/kafkajs-protocol.js';
import { RawClient } from './raw-client.js';
import { stopEmbedded, TARGETS, type Target } from './targets.js';

afterAll(stopEmbedded);

const META = Buffer.from([0, 1, 0, 0, 0, 0]);
let correlation = 100;

async function call(c: RawClient, apiName: string, version: number, args: unknown): Promise<any> {
  const res = await c.send(await kafkajsRequestFrame(apiName, version, args, ++correlation, 'grp'));
  return kafkajsDecodeResponse(apiName, version, res.body);
}

describe.each(TARGETS)('group coordinator on the wire: $name', (target: Target) => {
  let bootstrap: string;
  let topic: string;
  const clients: RawClient[] = [];
  beforeAll(async () => {
    bootstrap = await target.bootstrap();
    topic = freshTopic('grp');
    const admin = new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
  });
  afterAll(() => clients.forEach((c) => c.close()));

  async function conn(): Promise<RawClient> {
    const c = await RawClient.connect(bootstrap);
    clients.push(c);
    return c;
  }

  const join = (c: RawClient, groupId: string, memberId: string, sessionTimeout = 10_000) =>
    call(c, 'JoinGroup', 5, {
      groupId,
      sessionTimeout,
      rebalanceTimeout: 20_000,
      memberId,
      groupInstanceId: null,
      protocolType: 'consumer',
      groupProtocols: [{ name: 'range', metadata: META }],
    });

  /** Finds the coordinator, retrying while real Kafka creates __consumer_offsets (see kafkajs.test.ts). */
  async function coordinatorFor(groupId: string): Promise<void> {
    const c = await conn();
    for (;;) {
      const r = await call(c, 'GroupCoordinator', 2, { groupId, coordinatorType: 0 });
      if (r.errorCode === 0) {
        const fetched = await call(c, 'OffsetFetch', 4, { groupId, topics: [{ topic, partitions: [{ partition: 0 }] }] });
        if (fetched.errorCode === 0) return;
      }
      await new Promise((res) => setTimeout(res, 200));
    }
  }

  it('runs MEMBER_ID_REQUIRED, joins, syncs, rebalances a second member and empties on leave', async () => {
    const groupId = freshName('wiregroup');
    await coordinatorFor(groupId);
    const [a, b, admin] = [await conn(), await conn(), await conn()];

    expect((await join(a, groupId, '', 5000)).errorCode).toBe(26); // below group.min.session.timeout.ms
    const first = await join(a, groupId, '');
    expect(first.errorCode).toBe(79);
    expect(first.memberId).toMatch(/^grp-[0-9a-f-]{36}$/);
    const aId: string = first.memberId;
    const aJoin = await join(a, groupId, aId);
    expect([aJoin.errorCode, aJoin.generationId, aJoin.leaderId, aJoin.memberId, aJoin.groupProtocol]).toEqual([0, 1, aId, aId, 'range']);
    expect(aJoin.members.map((m: any) => [m.memberId, m.memberMetadata])).toEqual([[aId, META]]);
    const aSync = await call(a, 'SyncGroup', 3, { groupId, generationId: 1, memberId: aId, groupAssignment: [{ memberId: aId, memberAssignment: Buffer.from('A') }] });
    expect([aSync.errorCode, aSync.memberAssignment]).toEqual([0, Buffer.from('A')]);
    expect((await call(a, 'Heartbeat', 3, { groupId, groupGenerationId: 1, memberId: aId })).errorCode).toBe(0);
    expect((await call(a, 'Heartbeat', 3, { groupId, groupGenerationId: 0, memberId: aId })).errorCode).toBe(22);
    expect((await call(a, 'Heartbeat', 3, { groupId, groupGenerationId: 1, memberId: 'grp-nobody' })).errorCode).toBe(25);

    // A second member: its join is held until A rejoins; meanwhile A's heartbeat says rebalance.
    const bId: string = (await join(b, groupId, '')).memberId;
    const bJoinHeld = join(b, groupId, bId);
    let aHeartbeat = 0;
    for (;;) {
      aHeartbeat = (await call(a, 'Heartbeat', 3, { groupId, groupGenerationId: 1, memberId: aId })).errorCode;
      if (aHeartbeat !== 0) break;
      await new Promise((res) => setTimeout(res, 50));
    }
    expect(aHeartbeat).toBe(27);
    const aRejoin = await join(a, groupId, aId);
    const bJoin = await bJoinHeld;
    expect([aRejoin.errorCode, aRejoin.generationId, aRejoin.leaderId]).toEqual([0, 2, aId]);
    expect(aRejoin.members.map((m: any) => m.memberId).sort()).toEqual([aId, bId].sort());
    expect([bJoin.errorCode, bJoin.generationId, bJoin.leaderId, bJoin.members]).toEqual([0, 2, aId, []]);

    // The follower's sync is held until the leader's; a commit in between is refused.
    const bSyncHeld = call(b, 'SyncGroup', 3, { groupId, generationId: 2, memberId: bId, groupAssignment: [] });
    const early = await call(admin, 'OffsetCommit', 5, { groupId, groupGenerationId: 2, memberId: bId, topics: [{ topic, partitions: [{ partition: 0, offset: '1' }] }] });
    expect(early.responses[0].partitions[0].errorCode).toBe(27);
    await call(a, 'SyncGroup', 3, {
      groupId,
      generationId: 2,
      memberId: aId,
      groupAssignment: [
        { memberId: aId, memberAssignment: Buffer.from('A') },
        { memberId: bId, memberAssignment: Buffer.from('B') },
      ],
    });
    const bSync = await bSyncHeld;
    expect([bSync.errorCode, bSync.memberAssignment]).toEqual([0, Buffer.from('B')]);

    // Stable: a member commits; an admin-style commit (generation -1) is refused while members exist.
    const commit = await call(admin, 'OffsetCommit', 5, { groupId, groupGenerationId: 2, memberId: bId, topics: [{ topic, partitions: [{ partition: 0, offset: '5' }] }] });
    expect(commit.responses[0].partitions[0].errorCode).toBe(0);
    const anonymous = await call(admin, 'OffsetCommit', 5, { groupId, groupGenerationId: -1, memberId: '', topics: [{ topic, partitions: [{ partition: 0, offset: '6' }] }] });
    expect(anonymous.responses[0].partitions[0].errorCode).toBe(25);
    const described = await call(admin, 'DescribeGroups', 2, { groupIds: [groupId] });
    expect([described.groups[0].state, described.groups[0].protocol, described.groups[0].members.length]).toEqual(['Stable', 'range', 2]);

    // Both leave: the group is Empty, and generation -1 commits are accepted again.
    expect((await call(a, 'LeaveGroup', 3, { groupId, memberId: aId })).errorCode).toBe(0);
    expect((await call(b, 'LeaveGroup', 3, { groupId, memberId: bId })).errorCode).toBe(0);
    const empty = await call(admin, 'DescribeGroups', 2, { groupIds: [groupId] });
    expect([empty.groups[0].state, empty.groups[0].members]).toEqual(['Empty', []]);
    const after = await call(admin, 'OffsetCommit', 5, { groupId, groupGenerationId: -1, memberId: '', topics: [{ topic, partitions: [{ partition: 0, offset: '7' }] }] });
    expect(after.responses[0].partitions[0].errorCode).toBe(0);
    const fetched = await call(admin, 'OffsetFetch', 4, { groupId, topics: [{ topic, partitions: [{ partition: 0 }] }] });
    expect(fetched.responses[0].partitions[0].offset).toBe('7');
    // A member id the group no longer knows.
    expect((await call(a, 'Heartbeat', 3, { groupId, groupGenerationId: 2, memberId: aId })).errorCode).toBe(25);
  });
});
