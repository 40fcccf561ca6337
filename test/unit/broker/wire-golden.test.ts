/**
 * Golden bytes for every API kafkajs 2.2.4 sends, at the version it negotiates against our
 * profile. For each API:
 *   - the request frame kafkajs encodes is pinned in fixtures/wire-golden.json and decoded by our
 *     decoder into the expected fields;
 *   - our response body is pinned too, and kafkajs's own decoder must read it back.
 * UPDATE_GOLDEN=1 rewrites the fixture file and then fails on purpose, so a regenerated golden
 * never passes silently.
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeApiVersionsRequest, encodeApiVersionsResponse } from '../../../runtime/src/broker/protocol/api-versions.js';
import { decodeDeleteRecordsRequest, encodeDeleteRecordsResponse } from '../../../runtime/src/broker/protocol/delete-records.js';
import { API_VERSIONS } from '../../../runtime/src/broker/apis/broker-apis.js';
import { decodeFetchRequest, encodeFetchResponse } from '../../../runtime/src/broker/protocol/fetch.js';
import * as G from '../../../runtime/src/broker/protocol/group-apis.js';
import { decodeInitProducerIdRequest, encodeInitProducerIdResponse } from '../../../runtime/src/broker/protocol/init-producer-id.js';
import { decodeSaslAuthenticateRequest, encodeSaslAuthenticateResponse } from '../../../runtime/src/broker/protocol/sasl-authenticate.js';
import { decodeSaslHandshakeRequest, encodeSaslHandshakeResponse } from '../../../runtime/src/broker/protocol/sasl-handshake.js';
import { decodeRequestHeader } from '../../../runtime/src/broker/protocol/header.js';
import { decodeListOffsetsRequest, encodeListOffsetsResponse } from '../../../runtime/src/broker/protocol/list-offsets.js';
import { decodeMetadataRequest, encodeMetadataResponse } from '../../../runtime/src/broker/protocol/metadata.js';
import * as O from '../../../runtime/src/broker/protocol/offset-apis.js';
import { decodeProduceRequest, encodeProduceResponse } from '../../../runtime/src/broker/protocol/produce.js';
import { Reader } from '../../../runtime/src/broker/protocol/reader.js';
import * as T from '../../../runtime/src/broker/protocol/topics-admin.js';
import { Writer } from '../../../runtime/src/broker/protocol/writer.js';
import { kafkajsDecodeResponse, kafkajsRequestFrame } from './kafkajs-protocol.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/wire-golden.json', import.meta.url));
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const golden: Record<string, string> = existsSync(FIXTURE) ? JSON.parse(readFileSync(FIXTURE, 'utf8')) : {};
const seen: Record<string, string> = {};

function pin(name: string, bytes: Buffer): void {
  seen[name] = bytes.toString('hex');
  if (!UPDATE) expect(bytes.toString('hex'), `golden ${name}`).toBe(golden[name]);
}

afterAll(() => {
  if (!UPDATE) return;
  writeFileSync(FIXTURE, `${JSON.stringify({ ...golden, ...seen }, null, 2)}\n`);
  throw new Error('goldens rewritten: rerun without UPDATE_GOLDEN');
});

/** Pins kafkajs's frame and returns a reader positioned at the body, after our header decode. */
async function request(name: string, apiName: string, version: number, args: unknown): Promise<Reader> {
  const frame = await kafkajsRequestFrame(apiName, version, args, 7, 'golden');
  pin(`${name}.request`, frame);
  expect(frame.readInt32BE(0)).toBe(frame.length - 4);
  const r = new Reader(frame, 4);
  const header = decodeRequestHeader(r);
  expect(header.apiVersion).toBe(version);
  expect(header.correlationId).toBe(7);
  expect(header.clientId).toBe('golden');
  return r;
}

function body(encode: (w: Writer) => void): Buffer {
  const w = new Writer();
  encode(w);
  return Buffer.from(w.toBuffer());
}

/** The batch kafkajs produces for one record (key "k", value "v", timestamp 1000), at base offset 5. */
async function kafkajsBatch(): Promise<Buffer> {
  const frame = await kafkajsRequestFrame('Produce', 7, {
    acks: -1,
    timeout: 30000,
    topicData: [{ topic: 'orders', partitions: [{ partition: 0, firstSequence: 0, messages: [{ key: 'k', value: 'v', timestamp: 1000 }] }] }],
  });
  const r = new Reader(frame, 4);
  decodeRequestHeader(r);
  const batch = Buffer.from(decodeProduceRequest(r, 7).topics[0].partitions[0].records!);
  batch.writeBigInt64BE(5n, 0);
  return batch;
}

describe('wire golden bytes against kafkajs 2.2.4', () => {
  it('ApiVersions v2: empty request; our answer lists the pinned profile', async () => {
    const r = await request('apiVersions.v2', 'ApiVersions', 2, {});
    expect(decodeApiVersionsRequest(r, 2)).toEqual({});
    expect(r.remaining).toBe(0);
    const res = body((w) => encodeApiVersionsResponse(w, 2, { errorCode: 0, apiKeys: API_VERSIONS, throttleTimeMs: 0 }));
    pin('apiVersions.v2.response', res);
    const decoded = await kafkajsDecodeResponse('ApiVersions', 2, res);
    expect(decoded.apiVersions).toEqual(API_VERSIONS.map(({ apiKey, minVersion, maxVersion }) => ({ apiKey, minVersion, maxVersion })));
  });

  it('ApiVersions v3 (flexible, as librdkafka sends it): compact array with tags, header v0', () => {
    // librdkafka 2.0.2's first request, hand-assembled from the KIP-511 layout.
    const frame = Buffer.from('00000000' + '00120003' + '00000001' + '00046b636174' + '00' + '056b636174' + '06312e372e31' + '00', 'hex');
    frame.writeInt32BE(frame.length - 4, 0);
    const r = new Reader(frame, 4);
    const header = decodeRequestHeader(r);
    expect(header).toEqual({ apiKey: 18, apiVersion: 3, correlationId: 1, clientId: 'kcat' });
    expect(decodeApiVersionsRequest(r, 3)).toEqual({ clientSoftwareName: 'kcat', clientSoftwareVersion: '1.7.1' });
    const res = body((w) => encodeApiVersionsResponse(w, 3, { errorCode: 0, apiKeys: API_VERSIONS.slice(0, 1), throttleTimeMs: 0 }));
    // error 0, compact array of 1 (varint 2), Produce 0..7 + empty tags, throttle 0, empty tags
    expect(res.toString('hex')).toBe('00000200000000000700' + '00000000' + '00');
  });

  it('InitProducerId v1: an idempotent producer (no transactional id) gets an id and epoch', async () => {
    const r = await request('initProducerId.v1', 'InitProducerId', 1, { transactionalId: null, transactionTimeout: 60000 });
    expect(decodeInitProducerIdRequest(r, 1)).toEqual({ transactionalId: null, transactionTimeoutMs: 60000 });
    expect(r.remaining).toBe(0);
    const res = body((w) => encodeInitProducerIdResponse(w, 1, { errorCode: 0, producerId: 4000, producerEpoch: 0 }));
    pin('initProducerId.v1.response', res);
    const d = await kafkajsDecodeResponse('InitProducerId', 1, res);
    expect([d.errorCode, String(d.producerId), d.producerEpoch]).toEqual([0, '4000', 0]);
  });

  it('SaslHandshake v1 and SaslAuthenticate v1: a mechanism, then one token each way', async () => {
    const h = await request('saslHandshake.v1', 'SaslHandshake', 1, { mechanism: 'SCRAM-SHA-512' });
    expect(decodeSaslHandshakeRequest(h, 1)).toEqual({ mechanism: 'SCRAM-SHA-512' });
    expect(h.remaining).toBe(0);
    const hres = body((w) => encodeSaslHandshakeResponse(w, 1, { errorCode: 0, mechanisms: ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] }));
    pin('saslHandshake.v1.response', hres);
    expect(await kafkajsDecodeResponse('SaslHandshake', 1, hres)).toEqual({ errorCode: 0, enabledMechanisms: ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] });
    const token = Buffer.from('n,,n=alice,r=nonce');
    // kafkajs's mechanisms hand SaslAuthenticate the token already framed as BYTES (int32 length).
    const framed = Buffer.concat([Buffer.from([0, 0, 0, token.length]), token]);
    const a = await request('saslAuthenticate.v1', 'SaslAuthenticate', 1, { authBytes: framed });
    expect(decodeSaslAuthenticateRequest(a, 1)).toEqual({ authBytes: token });
    const ares = body((w) => encodeSaslAuthenticateResponse(w, 1, { errorCode: 0, errorMessage: null, authBytes: Buffer.from('r=noncexyz,s=c2FsdA==,i=4096') }));
    pin('saslAuthenticate.v1.response', ares);
    const d = await kafkajsDecodeResponse('SaslAuthenticate', 1, ares);
    // kafkajs keeps the BYTES length in front of the token, for its mechanism to read.
    expect([d.errorCode, d.errorMessage, Buffer.from(d.authBytes).subarray(4).toString()]).toEqual([0, null, 'r=noncexyz,s=c2FsdA==,i=4096']);
  });

  it('Metadata v6', async () => {
    const r = await request('metadata.v6', 'Metadata', 6, { topics: ['orders'], allowAutoTopicCreation: true });
    expect(decodeMetadataRequest(r, 6)).toEqual({ topics: ['orders'], allowAutoTopicCreation: true });
    const res = body((w) =>
      encodeMetadataResponse(w, 6, {
        brokers: [{ nodeId: 1, host: '127.0.0.1', port: 9092 }],
        clusterId: 'c1',
        controllerId: 1,
        topics: [{ errorCode: 0, name: 'orders', isInternal: false, partitions: [{ errorCode: 0, partitionIndex: 0, leaderId: 1, replicaNodes: [1], isrNodes: [1] }] }],
      }),
    );
    pin('metadata.v6.response', res);
    const d = await kafkajsDecodeResponse('Metadata', 6, res);
    expect(d.brokers).toEqual([{ nodeId: 1, host: '127.0.0.1', port: 9092, rack: null }]);
    expect(d.clusterId).toBe('c1');
    expect(d.controllerId).toBe(1);
    expect(d.topicMetadata).toEqual([
      {
        topicErrorCode: 0,
        topic: 'orders',
        isInternal: false,
        partitionMetadata: [{ partitionErrorCode: 0, partitionId: 0, leader: 1, replicas: [1], isr: [1], offlineReplicas: [] }],
      },
    ]);
  });

  it('Produce v7', async () => {
    const r = await request('produce.v7', 'Produce', 7, {
      acks: -1,
      timeout: 30000,
      topicData: [{ topic: 'orders', partitions: [{ partition: 0, firstSequence: 0, messages: [{ key: 'k', value: 'v', timestamp: 1000 }] }] }],
    });
    const req = decodeProduceRequest(r, 7);
    expect(req.acks).toBe(-1);
    expect(req.timeoutMs).toBe(30000);
    expect(req.transactionalId).toBeNull();
    expect(req.topics.map((t) => [t.name, t.partitions.map((p) => p.index)])).toEqual([['orders', [0]]]);
    expect(req.topics[0].partitions[0].records!.readInt8(16)).toBe(2);
    const res = body((w) => encodeProduceResponse(w, 7, { topics: [{ name: 'orders', partitions: [{ index: 0, errorCode: 0, baseOffset: 42, logStartOffset: 0 }] }] }));
    pin('produce.v7.response', res);
    const d = await kafkajsDecodeResponse('Produce', 7, res);
    expect(d.topics).toEqual([
      { topicName: 'orders', partitions: [{ partition: 0, errorCode: 0, baseOffset: '42', logAppendTime: '-1', logStartOffset: '0' }] },
    ]);
  });

  it('Fetch v11', async () => {
    const r = await request('fetch.v11', 'Fetch', 11, {
      replicaId: -1,
      maxWaitTime: 5000,
      minBytes: 1,
      maxBytes: 10485760,
      topics: [{ topic: 'orders', partitions: [{ partition: 0, fetchOffset: '5', maxBytes: 1048576 }] }],
      isolationLevel: 1,
    });
    expect(decodeFetchRequest(r, 11)).toEqual({
      maxWaitMs: 5000,
      minBytes: 1,
      maxBytes: 10485760,
      isolationLevel: 1,
      topics: [{ name: 'orders', partitions: [{ index: 0, fetchOffset: 5, partitionMaxBytes: 1048576 }] }],
    });
    expect(r.remaining).toBe(0);
    const records = await kafkajsBatch();
    const res = body((w) =>
      encodeFetchResponse(w, 11, { topics: [{ name: 'orders', partitions: [{ index: 0, errorCode: 0, highWatermark: 6, logStartOffset: 0, records }] }] }),
    );
    pin('fetch.v11.response', res);
    const d = await kafkajsDecodeResponse('Fetch', 11, res);
    const p = d.responses[0].partitions[0];
    expect(p.highWatermark).toBe('6');
    expect(p.messages.map((m: any) => [m.offset, m.key.toString(), m.value.toString(), m.timestamp])).toEqual([['5', 'k', 'v', '1000']]);
  });

  it('ListOffsets v3', async () => {
    const r = await request('listOffsets.v3', 'ListOffsets', 3, {
      replicaId: -1,
      isolationLevel: 1,
      topics: [{ topic: 'orders', partitions: [{ partition: 0, timestamp: -2 }] }],
    });
    expect(decodeListOffsetsRequest(r, 3)).toEqual({ topics: [{ name: 'orders', partitions: [{ index: 0, timestamp: -2 }] }] });
    const res = body((w) => encodeListOffsetsResponse(w, 3, { topics: [{ name: 'orders', partitions: [{ index: 0, errorCode: 0, timestamp: -1, offset: 3 }] }] }));
    pin('listOffsets.v3.response', res);
    const d = await kafkajsDecodeResponse('ListOffsets', 3, res);
    expect(d.responses).toEqual([{ topic: 'orders', partitions: [{ partition: 0, errorCode: 0, timestamp: '-1', offset: '3' }] }]);
  });

  it('CreateTopics v3 and DeleteTopics v1', async () => {
    const r = await request('createTopics.v3', 'CreateTopics', 3, {
      topics: [{ topic: 'orders', numPartitions: 3, replicationFactor: 1, configEntries: [{ name: 'retention.ms', value: '1000' }] }],
      timeout: 5000,
      validateOnly: false,
    });
    expect(T.decodeCreateTopicsRequest(r, 3)).toEqual({
      topics: [{ name: 'orders', numPartitions: 3, replicationFactor: 1, assignments: [], configs: [{ name: 'retention.ms', value: '1000' }] }],
      timeoutMs: 5000,
      validateOnly: false,
    });
    const res = body((w) => T.encodeCreateTopicsResponse(w, 3, [{ name: 'orders', errorCode: 36, errorMessage: "Topic 'orders' already exists." }]));
    pin('createTopics.v3.response', res);
    const d = await kafkajsDecodeResponse('CreateTopics', 3, res);
    expect(d.topicErrors).toEqual([{ topic: 'orders', errorCode: 36, errorMessage: "Topic 'orders' already exists." }]);

    const r2 = await request('deleteTopics.v1', 'DeleteTopics', 1, { topics: ['orders'], timeout: 5000 });
    expect(T.decodeDeleteTopicsRequest(r2, 1)).toEqual({ names: ['orders'], timeoutMs: 5000 });
    const res2 = body((w) => T.encodeDeleteTopicsResponse(w, 1, [{ name: 'orders', errorCode: 0, errorMessage: null }]));
    pin('deleteTopics.v1.response', res2);
    expect((await kafkajsDecodeResponse('DeleteTopics', 1, res2)).topicErrors).toEqual([{ topic: 'orders', errorCode: 0 }]);
  });

  it('DeleteRecords v1: offsets per partition (-1 is the high watermark); the new low watermark or an error per partition', async () => {
    const r = await request('deleteRecords.v1', 'DeleteRecords', 1, { topics: [{ topic: 'orders', partitions: [{ partition: 0, offset: '42' }, { partition: 1, offset: '-1' }] }], timeout: 5000 });
    expect(decodeDeleteRecordsRequest(r, 1)).toEqual({ topics: [{ name: 'orders', partitions: [{ index: 0, offset: 42 }, { index: 1, offset: -1 }] }], timeoutMs: 5000 });
    expect(r.remaining).toBe(0);
    const res = body((w) => encodeDeleteRecordsResponse(w, 1, { topics: [{ name: 'orders', partitions: [{ index: 0, lowWatermark: 42, errorCode: 0 }, { index: 1, lowWatermark: -1, errorCode: 1 }] }] }));
    pin('deleteRecords.v1.response', res);
    const d = await kafkajsDecodeResponse('DeleteRecords', 1, res);
    expect(d.topics).toEqual([{ topic: 'orders', partitions: [{ partition: 0, lowWatermark: 42n, errorCode: 0 }, { partition: 1, lowWatermark: -1n, errorCode: 1 }] }]);
  });

  it('FindCoordinator v2 (kafkajs calls it GroupCoordinator)', async () => {
    const r = await request('findCoordinator.v2', 'GroupCoordinator', 2, { groupId: 'g1', coordinatorType: 0 });
    expect(G.decodeFindCoordinatorRequest(r, 2)).toEqual({ key: 'g1', keyType: 0 });
    const res = body((w) => G.encodeFindCoordinatorResponse(w, 2, { errorCode: 0, nodeId: 1, host: '127.0.0.1', port: 9092 }));
    pin('findCoordinator.v2.response', res);
    const d = await kafkajsDecodeResponse('GroupCoordinator', 2, res);
    expect(d.coordinator).toEqual({ nodeId: 1, host: '127.0.0.1', port: 9092 });
  });

  it('JoinGroup v5, SyncGroup v3, Heartbeat v3, LeaveGroup v3', async () => {
    const meta = Buffer.from([0, 1, 2]);
    const r = await request('joinGroup.v5', 'JoinGroup', 5, {
      groupId: 'g1',
      sessionTimeout: 30000,
      rebalanceTimeout: 60000,
      memberId: '',
      groupInstanceId: null,
      protocolType: 'consumer',
      groupProtocols: [{ name: 'RoundRobinAssigner', metadata: meta }],
    });
    expect(G.decodeJoinGroupRequest(r, 5)).toEqual({
      groupId: 'g1',
      sessionTimeoutMs: 30000,
      rebalanceTimeoutMs: 60000,
      memberId: '',
      groupInstanceId: null,
      protocolType: 'consumer',
      protocols: [{ name: 'RoundRobinAssigner', metadata: meta }],
    });
    const res = body((w) =>
      G.encodeJoinGroupResponse(w, 5, { errorCode: 0, generationId: 1, protocolName: 'RoundRobinAssigner', leader: 'm1', memberId: 'm1', members: [{ memberId: 'm1', metadata: meta }] }),
    );
    pin('joinGroup.v5.response', res);
    const d = await kafkajsDecodeResponse('JoinGroup', 5, res);
    expect([d.generationId, d.groupProtocol, d.leaderId, d.memberId]).toEqual([1, 'RoundRobinAssigner', 'm1', 'm1']);
    expect(d.members).toEqual([{ memberId: 'm1', groupInstanceId: null, memberMetadata: meta }]);

    const rs = await request('syncGroup.v3', 'SyncGroup', 3, { groupId: 'g1', generationId: 1, memberId: 'm1', groupAssignment: [{ memberId: 'm1', memberAssignment: meta }] });
    expect(G.decodeSyncGroupRequest(rs, 3)).toEqual({ groupId: 'g1', generationId: 1, memberId: 'm1', assignments: [{ memberId: 'm1', assignment: meta }] });
    const sres = body((w) => G.encodeSyncGroupResponse(w, 3, { errorCode: 0, assignment: meta }));
    pin('syncGroup.v3.response', sres);
    expect((await kafkajsDecodeResponse('SyncGroup', 3, sres)).memberAssignment).toEqual(meta);

    const rh = await request('heartbeat.v3', 'Heartbeat', 3, { groupId: 'g1', groupGenerationId: 1, memberId: 'm1' });
    expect(G.decodeHeartbeatRequest(rh, 3)).toEqual({ groupId: 'g1', generationId: 1, memberId: 'm1' });
    const hres = body((w) => G.encodeHeartbeatResponse(w, 3, 0));
    pin('heartbeat.v3.response', hres);
    expect((await kafkajsDecodeResponse('Heartbeat', 3, hres)).errorCode).toBe(0);

    const rl = await request('leaveGroup.v3', 'LeaveGroup', 3, { groupId: 'g1', memberId: 'm1' });
    expect(G.decodeLeaveGroupRequest(rl, 3)).toEqual({ groupId: 'g1', memberIds: ['m1'] });
    const lres = body((w) => G.encodeLeaveGroupResponse(w, 3, { errorCode: 0, members: [{ memberId: 'm1', errorCode: 0 }] }));
    pin('leaveGroup.v3.response', lres);
    expect((await kafkajsDecodeResponse('LeaveGroup', 3, lres)).members).toEqual([{ memberId: 'm1', groupInstanceId: null, errorCode: 0 }]);
  });

  it('OffsetCommit v5 and OffsetFetch v4', async () => {
    const r = await request('offsetCommit.v5', 'OffsetCommit', 5, {
      groupId: 'g1',
      groupGenerationId: 3,
      memberId: 'm1',
      topics: [{ topic: 'orders', partitions: [{ partition: 0, offset: '17' }] }],
    });
    expect(O.decodeOffsetCommitRequest(r, 5)).toEqual({
      groupId: 'g1',
      generationId: 3,
      memberId: 'm1',
      topics: [{ name: 'orders', partitions: [{ index: 0, offset: 17, leaderEpoch: -1, metadata: null }] }],
    });
    const res = body((w) => O.encodeOffsetCommitResponse(w, 5, [{ name: 'orders', partitions: [{ index: 0, errorCode: 0 }] }]));
    pin('offsetCommit.v5.response', res);
    expect((await kafkajsDecodeResponse('OffsetCommit', 5, res)).responses).toEqual([{ topic: 'orders', partitions: [{ partition: 0, errorCode: 0 }] }]);

    const rf = await request('offsetFetch.v4', 'OffsetFetch', 4, { groupId: 'g1', topics: [{ topic: 'orders', partitions: [{ partition: 0 }] }] });
    expect(O.decodeOffsetFetchRequest(rf, 4)).toEqual({ groupId: 'g1', topics: [{ name: 'orders', partitions: [0] }] });
    const fres = body((w) =>
      O.encodeOffsetFetchResponse(w, 4, { errorCode: 0, topics: [{ name: 'orders', partitions: [{ index: 0, offset: 17, leaderEpoch: -1, metadata: '', errorCode: 0 }] }] }),
    );
    pin('offsetFetch.v4.response', fres);
    expect((await kafkajsDecodeResponse('OffsetFetch', 4, fres)).responses).toEqual([
      { topic: 'orders', partitions: [{ partition: 0, offset: '17', metadata: '', errorCode: 0 }] },
    ]);
  });

  it('DescribeGroups v2 and ListGroups v2', async () => {
    const r = await request('describeGroups.v2', 'DescribeGroups', 2, { groupIds: ['g1'] });
    expect(G.decodeDescribeGroupsRequest(r, 2)).toEqual({ groups: ['g1'] });
    const res = body((w) =>
      G.encodeDescribeGroupsResponse(w, 2, [{ errorCode: 0, groupId: 'g1', state: 'Empty', protocolType: 'consumer', protocolData: '', members: [] }]),
    );
    pin('describeGroups.v2.response', res);
    expect((await kafkajsDecodeResponse('DescribeGroups', 2, res)).groups).toEqual([
      { errorCode: 0, groupId: 'g1', state: 'Empty', protocolType: 'consumer', protocol: '', members: [] },
    ]);
    const rl = await request('listGroups.v2', 'ListGroups', 2, {});
    expect(rl.remaining).toBe(0);
    const lres = body((w) => G.encodeListGroupsResponse(w, 2, [{ groupId: 'g1', protocolType: 'consumer' }]));
    pin('listGroups.v2.response', lres);
    expect((await kafkajsDecodeResponse('ListGroups', 2, lres)).groups).toEqual([{ groupId: 'g1', protocolType: 'consumer' }]);
  });
});
